"""The hybrid request classifier: rules + supervised fastText, original text + translation."""

import json
from pathlib import Path

import pytest

from domain.nlp import ClassifyRequest, Industry, RequestDomain, Urgency
from nlp.classify.classifier import HybridClassifier
from nlp.classify.model import DomainModel
from nlp.classify.training_data import LabelledTicket, read_labelled, seed_tickets
from runtime.settings import Settings
from tests.nlp import nlp_engines


@pytest.fixture(scope="module")
def classifier() -> HybridClassifier:
    return nlp_engines.classifier()


def classify(c: HybridClassifier, text: str, language: str = "und", translated: str | None = None):
    return c.classify(ClassifyRequest(text=text, language=language, translated_text=translated))


@pytest.mark.parametrize(("text", "language", "domain"), [
    ("พัสดุยังไม่ถึงเลยค่ะ สั่งไปสองอาทิตย์แล้ว ช่วยตรวจสอบการจัดส่งให้หน่อย", "th", RequestDomain.LOGISTICS),
    ("Where is my parcel? The tracking has not changed for days.", "en", RequestDomain.LOGISTICS),
    ("我要退款，收到的货有破损", "zh", RequestDomain.AFTER_SALES),
    ("Ich möchte eine Rückerstattung für das defekte Gerät.", "de", RequestDomain.AFTER_SALES),
    ("환불해 주세요", "ko", RequestDomain.AFTER_SALES),
    ("The firmware update failed and the controller shows error 17.", "en", RequestDomain.TECHNICAL_SUPPORT),
    ("Please send a quotation and the datasheet for 300 pumps.", "en", RequestDomain.PRE_SALES),
    ("La factura tiene un importe incorrecto.", "es", RequestDomain.BILLING),
    ("Nous voulons annuler notre commande passée hier.", "fr", RequestDomain.ORDER_INQUIRY),
    ("対応がひどすぎます。責任者と話したいです。", "ja", RequestDomain.COMPLAINT),
])
def test_tickets_in_several_languages_get_their_domain(classifier: HybridClassifier, text: str, language: str,
                                                       domain: RequestDomain) -> None:
    result = classify(classifier, text, language)
    assert result.domain == domain
    assert result.reliable


def test_the_model_alone_classifies_english_without_any_keyword(classifier: HybridClassifier) -> None:
    result = classify(classifier, "how long will it take for my stuff to get here", "en")
    assert (result.domain, result.layer) == (RequestDomain.LOGISTICS, "model")


def test_rules_carry_a_language_the_model_barely_knows(classifier: HybridClassifier) -> None:
    result = classify(classifier, "ยังไม่ได้รับพัสดุ เลขพัสดุก็ติดตามไม่ได้", "th")
    assert result.domain == RequestDomain.LOGISTICS
    assert result.layer.startswith("rules")


def test_the_translation_is_used_and_reported(classifier: HybridClassifier) -> None:
    # A Hungarian ticket (no Hungarian rules, few Hungarian training lines) with its Chinese translation.
    alone = classify(classifier, "Kérem, küldjenek árajánlatot.", "hu")
    both = classify(classifier, "Kérem, küldjenek árajánlatot.", "hu", translated="请给我们报价。")
    assert both.domain == RequestDomain.PRE_SALES
    assert both.layer.endswith("+translation")
    assert both.confidence > alone.confidence or alone.domain != RequestDomain.PRE_SALES


def test_a_ticket_without_words_goes_to_triage(classifier: HybridClassifier) -> None:
    for text in ("", "12345", "https://example.com"):
        result = classify(classifier, text)
        assert (result.domain, result.reliable, result.layer) == (RequestDomain.OTHER, False, "none")


@pytest.mark.parametrize("text", ["hello", "hi", "ok", "asdf qwer", "Can you help me?"])
def test_a_vague_ticket_is_not_reliable(classifier: HybridClassifier, text: str) -> None:
    assert not classify(classifier, text, "en").reliable


def test_industry_urgency_and_sentiment_signals(classifier: HybridClassifier) -> None:
    urgent = classify(classifier, "URGENT: the hydraulic pump leaks oil, our production stopped!", "en")
    assert (urgent.industry, urgent.urgency) == (Industry.MACHINERY, Urgency.HIGH)
    angry = classify(classifier, "Terrible service, I am very disappointed and angry!!", "en")
    assert angry.urgency == Urgency.HIGH and angry.sentiment < 0
    calm = classify(classifier, "No rush, but could you send the invoice for the sofa? Thanks", "en")
    assert (calm.industry, calm.urgency) == (Industry.LIGHT_INDUSTRY, Urgency.LOW)
    assert calm.sentiment > 0
    assert classify(classifier, "我的打印机坏了，很急", "zh").industry == Industry.ELECTRONICS


def test_quoted_history_does_not_vote(classifier: HybridClassifier) -> None:
    body = ("I would like a quotation for 200 chairs.\n\n"
            "On Mon, 1 Jan 2024 at 10:00, Support <s@example.com> wrote:\n"
            "> Your refund was processed, the invoice is attached, the parcel was shipped.")
    assert classify(classifier, body, "en").domain == RequestDomain.PRE_SALES


def test_training_is_deterministic(tmp_path: Path) -> None:
    seed = seed_tickets()[:600]
    a = DomainModel.train(seed, output=tmp_path / "a.bin")
    b = DomainModel.train(seed, output=tmp_path / "b.bin")
    assert (tmp_path / "a.bin").read_bytes() == (tmp_path / "b.bin").read_bytes()
    assert a.predict("where is my parcel") == b.predict("where is my parcel")


def test_corrections_teach_the_model_a_new_phrasing(tmp_path: Path) -> None:
    phrase = "the zorbex gadget fizzles"
    corrections = [LabelledTicket(text=f"{phrase} again {n}", domain=RequestDomain.TECHNICAL_SUPPORT,
                                  language="en")
                   for n in ("today", "since monday", "every morning", "after lunch")]
    model = DomainModel.train(seed_tickets(), corrections, output=tmp_path / "m.bin")
    probs = model.predict(phrase)
    assert max(probs, key=probs.__getitem__) == RequestDomain.TECHNICAL_SUPPORT
    languages = json.loads((tmp_path / "m.languages.json").read_text())
    assert languages["en"] > 3000


def test_corrections_are_read_from_csv_and_jsonl(tmp_path: Path) -> None:
    csv_file = tmp_path / "c.csv"
    csv_file.write_text('text,domain,language\n"Paket fehlt, bitte prüfen",logistics,de\n', encoding="utf-8")
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text('{"text": "发票错了", "domain": "billing", "translated_text": "wrong invoice"}\n\n',
                     encoding="utf-8")
    rows = read_labelled(csv_file) + read_labelled(jsonl)
    assert [(r.domain, r.language) for r in rows] == [(RequestDomain.LOGISTICS, "de"),
                                                      (RequestDomain.BILLING, "und")]
    assert rows[1].translated_text == "wrong invoice"


def test_a_bad_correction_row_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "c.csv"
    bad.write_text("text,domain\nok,billing\nx,refunds\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"c\.csv:3"):
        read_labelled(bad)


def test_the_model_is_trained_on_first_use_and_reused(tmp_path: Path) -> None:
    settings = Settings(LINGODESK_DATA_DIR=tmp_path)
    first = HybridClassifier.from_settings(settings)
    model_file = tmp_path / "models" / "request_domain.bin"
    assert model_file.exists()
    stamp = model_file.stat().st_mtime_ns
    second = HybridClassifier.from_settings(settings)
    assert model_file.stat().st_mtime_ns == stamp
    text = ClassifyRequest(text="I need a refund", language="en")
    assert first.classify(text) == second.classify(text)
