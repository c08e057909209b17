"""Language identification on the texts that break plain detectors: short, mixed, noisy."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.nlp import UNDETERMINED, DetectLanguageRequest
from nlp.langid.detector import LanguageIdentifier
from nlp.langid.languages import SUPPORTED
from tests.nlp import nlp_engines


@pytest.fixture(scope="module")
def detector() -> LanguageIdentifier:
    return nlp_engines.detector()


def detect(detector: LanguageIdentifier, text: str, **prior: object) -> tuple[str, float, bool]:
    r = detector.detect(DetectLanguageRequest(text=text, **prior))  # type: ignore[arg-type]
    return r.language, r.confidence, r.reliable


# One "where is my order?" per supported language, and the short texts the issue names.
WHERE_IS_MY_ORDER = {
    "zh": "我的订单在哪里？",
    "en": "Where is my order?",
    "ja": "注文はどこですか？",
    "ko": "제 주문은 어디에 있나요?",
    "th": "คำสั่งซื้อของฉันอยู่ที่ไหน",
    "vi": "Đơn hàng của tôi đâu?",
    "id": "Barang saya belum sampai, tolong dicek ya.",
    "ms": "Saya belum terima barang lagi, boleh tolong semak?",
    "tl": "Nasaan ang order ko?",
    "ar": "أين طلبي؟",
    "he": "איפה ההזמנה שלי?",
    "fa": "سفارش من کجاست؟",
    "tr": "Siparişim nerede?",
    "ru": "Где мой заказ?",
    "uk": "Де моє замовлення?",
    "pl": "Gdzie jest moje zamówienie?",
    "cs": "Kde je moje objednávka? Ještě nedorazila.",
    "de": "Wo ist meine Bestellung?",
    "fr": "Où est ma commande ?",
    "es": "¿Dónde está mi pedido?",
    "pt": "Onde está o meu pedido?",
    "it": "Dov'è il mio ordine?",
    "nl": "Waar is mijn bestelling?",
    "sv": "Var är min beställning?",
    "da": "Hvor er min ordre?",
    "no": "Jeg har ikke fått pakken min ennå.",
    "fi": "Missä tilaukseni on?",
    "el": "Πού είναι η παραγγελία μου;",
    "ro": "Unde este comanda mea?",
    "hu": "Hol van a rendelésem?",
    "hi": "मेरा ऑर्डर कहाँ है?",
    "bn": "আমার অর্ডার কোথায়?",
}


def test_every_supported_language_is_covered_by_the_table() -> None:
    assert set(WHERE_IS_MY_ORDER) == set(SUPPORTED)


@pytest.mark.parametrize(("lang", "text"), sorted(WHERE_IS_MY_ORDER.items()))
def test_a_short_question_is_identified_in_every_supported_language(
        detector: LanguageIdentifier, lang: str, text: str) -> None:
    assert detect(detector, text)[0] == lang


@pytest.mark.parametrize(("text", "lang"), [
    ("退款", "zh"),          # two Han characters: fastText alone answers English at p=0.12
    ("環境保護", "zh"),       # Traditional characters are Chinese too, not Japanese
    ("払戻", "ja"),          # kanji only, but 払 is a form Chinese does not write (拂)
    ("発送", "ja"),          # 発: Japanese shinjitai (Chinese 发/發)
    ("返金してください", "ja"),  # any kana makes it Japanese
    ("환불", "ko"),
    ("คืนเงิน", "th"),
    ("Danke!", "de"),
    ("Obrigado", "pt"),
    ("Gracias", "es"),
    ("Дякую", "uk"),
    ("Спасибо", "ru"),
    ("ممنون", "fa"),
    ("תודה", "he"),
    ("Ευχαριστώ", "el"),
    ("ধন্যবাদ", "bn"),
    ("我的iPhone坏了", "zh"),  # a Latin product name inside Chinese
])
def test_one_word_texts_are_identified_from_script_and_lexicon(
        detector: LanguageIdentifier, text: str, lang: str) -> None:
    assert detect(detector, text)[0] == lang


@pytest.mark.parametrize("text", ["", "   ", "12345-678", "https://example.com/track?id=1", "😀👍", "ok",
                                  "OK!!"])
def test_texts_without_language_evidence_are_undetermined_and_unreliable(
        detector: LanguageIdentifier, text: str) -> None:
    assert detect(detector, text) == (UNDETERMINED, 0.0, False)


@pytest.mark.parametrize("text", [
    "El Barça va guanyar el partit d'ahir a la nit amb dos gols de diferència.",      # Catalan
    "Здравейте, поръчката ми още не е пристигнала, моля проверете какво се случва.",  # Bulgarian
    "नमस्कार, माझी ऑर्डर अजून आलेली नाही, कृपया तपासा आणि मला कळवा.",                   # Marathi
    "Բարեւ ձեզ, իմ պատվերը դեռ չի հասել",                                           # Armenian script
])
def test_unsupported_languages_are_not_forced_onto_a_supported_one(
        detector: LanguageIdentifier, text: str) -> None:
    lang, _, reliable = detect(detector, text)
    assert lang == UNDETERMINED
    assert not reliable


def test_a_kanji_only_word_follows_the_customers_history(detector: LanguageIdentifier) -> None:
    assert detect(detector, "合同")[0] == "zh"
    assert detect(detector, "合同", prior_languages=["ja", "ja"])[0] == "ja"
    # 返金 is Japanese, but its two kanji are both written in Chinese too, and the word is not
    # frequent enough in Japanese to count as Japanese-only: the customer's history decides.
    assert detect(detector, "返金", prior_languages=["ja"])[0] == "ja"


@pytest.mark.parametrize("text", ["墓碑", "文字", "四国", "動植物", "加上肉類"])
def test_two_to_four_kanji_without_japanese_only_forms_are_chinese(detector: LanguageIdentifier,
                                                                    text: str) -> None:
    assert detect(detector, text)[0] == "zh"


def test_a_text_without_evidence_takes_the_customers_language_but_stays_unreliable(
        detector: LanguageIdentifier) -> None:
    assert detect(detector, "ok", country="TH") == ("th", 0.5, False)
    lang, confidence, reliable = detect(detector, "OK", prior_languages=["de", "de", "en"])
    assert lang == "de" and not reliable and 0 < confidence < 0.5


def test_the_prior_does_not_overrule_clear_evidence(detector: LanguageIdentifier) -> None:
    text = "Danke für die schnelle Lieferung!"
    assert detect(detector, text, country="NL", prior_languages=["nl"])[0] == "de"


def test_the_country_settles_a_short_ambiguous_text(detector: LanguageIdentifier) -> None:
    assert detect(detector, "Terima kasih", country="ID")[0] == "id"
    assert detect(detector, "Terima kasih", country="MY")[0] == "ms"
    assert detect(detector, "Hej", country="SE")[0] == "sv"
    assert detect(detector, "Hej", country="DK")[0] == "da"


def test_a_mixed_language_email_is_flagged_with_shares(detector: LanguageIdentifier) -> None:
    email = ("Hallo Support-Team,\n\n"
             "mein Drucker zeigt seit gestern einen Fehler an und druckt überhaupt nicht mehr.\n\n"
             "For our English-speaking colleagues: the printer shows an error since yesterday and stopped "
             "printing entirely, could you please call us back?\n\n"
             "Mit freundlichen Grüßen\nHans Müller")
    r = detector.detect(DetectLanguageRequest(text=email))
    assert r.mixed
    assert set(r.shares) == {"de", "en"}
    assert r.language == max(r.shares, key=r.shares.__getitem__) == "en"
    assert abs(sum(r.shares.values()) - 1.0) < 0.01
    assert r.method == "paragraphs"


def test_chinese_and_english_paragraphs_weigh_by_content_not_by_letters(detector: LanguageIdentifier) -> None:
    email = ("您好，我们上周订购的设备到现在还没有发货，请尽快帮忙查一下物流情况，谢谢。\n\n"
             "Hello, the equipment we ordered last week has not shipped yet.")
    r = detector.detect(DetectLanguageRequest(text=email))
    assert r.mixed and set(r.shares) == {"zh", "en"}
    assert r.shares["zh"] > 0.4


def test_a_polite_one_line_greeting_does_not_make_an_email_mixed(detector: LanguageIdentifier) -> None:
    email = "Hi,\n\nich habe meine Bestellung vor zwei Wochen aufgegeben und noch nichts erhalten.\n\nThanks"
    r = detector.detect(DetectLanguageRequest(text=email))
    assert (r.language, r.mixed) == ("de", False)


def test_a_short_reply_above_a_long_quoted_english_history_is_identified_by_the_reply(
        detector: LanguageIdentifier) -> None:
    body = ("Vielen Dank, das hat geholfen!\n\n"
            "On Tue, 2 Jan 2024 at 09:00, Support <support@example.com> wrote:\n"
            "> Dear customer, your replacement unit was shipped today, tracking number 1Z999AA10123456784.\n"
            "> Please let us know if there is anything else we can do for you.\n> Best regards, Support")
    lang, _, reliable = detect(detector, body)
    assert (lang, reliable) == ("de", True)


def test_noise_tokens_do_not_decide_a_short_message(detector: LanguageIdentifier) -> None:
    text = "退款 SF1234567890 https://tracking.example.com/status?order=A-99887766 help@example.com"
    assert detect(detector, text)[0] == "zh"


def test_html_mail_is_identified_from_its_text(detector: LanguageIdentifier) -> None:
    html = "<div><p>Bonjour,</p><p>je n&#39;ai toujours pas re&ccedil;u mon remboursement.</p></div>"
    assert detect(detector, html)[0] == "fr"


def test_long_texts_are_confident_and_reliable(detector: LanguageIdentifier) -> None:
    lang, confidence, reliable = detect(
        detector, "Je n'ai toujours pas reçu mon remboursement pour la commande retournée le mois dernier.")
    assert (lang, reliable) == ("fr", True)
    assert confidence > 0.95


def test_script_evidence_is_reported(detector: LanguageIdentifier) -> None:
    r = detector.detect(DetectLanguageRequest(text="환불해 주세요"))
    assert (r.language, r.script, r.method) == ("ko", "Hang", "script")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_consistent_answer(text: str) -> None:
    r = nlp_engines.detector().detect(DetectLanguageRequest(text=text))
    assert 0.0 <= r.confidence <= 1.0
    assert r.language == UNDETERMINED or r.language in SUPPORTED
    if r.reliable:
        assert r.language != UNDETERMINED
    if r.language == UNDETERMINED:
        assert not r.reliable and r.shares == {}
    if r.shares:
        assert abs(sum(r.shares.values()) - 1.0) < 0.01


def test_long_texts_get_only_the_fasttext_labels_that_can_move_a_score(detector: LanguageIdentifier) -> None:
    fasttext = detector.segments.fasttext
    text = "Die Pumpe verliert seit gestern Öl, und wir brauchen dringend Ersatzteile für die Maschine."
    every, _ = fasttext.probabilities(text, 4)
    above, evidence = fasttext.probabilities(text, 4, 0.01)
    assert evidence and above == {code: p for code, p in every.items() if p >= 0.01}
    assert next(iter(above)) == "de"
    # When no label reaches the threshold the whole top-k comes back rather than nothing.
    flat = "ok si"
    every, _ = fasttext.probabilities(flat, 4)
    assert max(every.values()) < 0.999
    assert fasttext.probabilities(flat, 4, 0.999) == (every, True)
