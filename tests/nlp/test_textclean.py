"""Cleaning before language ID and classification: quoted history, signatures, noise tokens, HTML."""

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nlp import textclean
from nlp.textclean import clean_all_steps, clean_for_detection, html_to_text, split_quoted, strip_signature

NEW = "Die Pumpe verliert seit gestern Öl."


@pytest.mark.parametrize("attribution", [
    "On Mon, 1 Jan 2024 at 10:00, Support <support@example.com> wrote:",
    "Am Mo., 1. Jan. 2024 um 10:00 Uhr schrieb Support <support@example.com>:",
    "Le lun. 1 janv. 2024 à 10:00, Support <support@example.com> a écrit :",
    "El lun, 1 ene 2024 a las 10:00, Support (<support@example.com>) escribió:",
    "Em seg., 1 de jan. de 2024 às 10:00, Support <support@example.com> escreveu:",
    "Il giorno lun 1 gen 2024 alle ore 10:00 Support <support@example.com> ha scritto:",
    "Op ma 1 jan 2024 om 10:00 schreef Support <support@example.com>:",
    "在 2024年1月1日 星期一 10:00，客服 <support@example.com> 写道：",
    "2024年1月1日(月) 10:00 サポート <support@example.com>:",
    "2024년 1월 1일 (월) 오전 10:00, 고객지원 <support@example.com>님이 작성:",
    "1 янв. 2024 г., в 10:00, Support <support@example.com> написал(а):",
    "Vào Th 2, 1 thg 1, 2024 lúc 10:00 Support <support@example.com> đã viết:",
    "Pada tanggal Sen, 1 Jan 2024 pukul 10.00 Support <support@example.com> menulis:",
    "1 Oca 2024 Pzt, 10:00 tarihinde Support <support@example.com> şunu yazdı:",
])
def test_reply_attributions_in_many_languages_start_the_quoted_history(attribution: str) -> None:
    body = f"{NEW}\n\n{attribution}\n> Dear customer, thank you for your message.\n> Best regards"
    new, quoted = split_quoted(body)
    assert new == NEW
    assert quoted.startswith(attribution.split(",")[0][:6])
    assert "thank you for your message" in quoted


def test_an_attribution_wrapped_over_two_lines_is_found() -> None:
    body = f"{NEW}\n\nOn Mon, 1 Jan 2024 at 10:00, Customer Support Team\n<support@example.com> wrote:\n> old"
    new, quoted = split_quoted(body)
    assert new == NEW
    assert quoted.startswith("On Mon")


@pytest.mark.parametrize("separator", [
    "-----Original Message-----", "-----Ursprüngliche Nachricht-----", "-----Message d'origine-----",
    "------------------ 原始邮件 ------------------", "---------- Forwarded message ---------",
])
def test_original_message_separators_start_the_quoted_history(separator: str) -> None:
    new, quoted = split_quoted(f"{NEW}\n\n{separator}\nFrom: Bob\nSent: Monday\n\nold text")
    assert new == NEW
    assert quoted.startswith(separator)


@pytest.mark.parametrize("header", [
    "From: Support <s@example.com>\nSent: Monday, 1 January 2024 10:00\nTo: Ann\nSubject: RE: order",
    "Von: Support <s@example.com>\nGesendet: Montag, 1. Januar 2024 10:00\nAn: Ann\nBetreff: AW: Bestellung",
    "发件人: 客服 <s@example.com>\n发送时间: 2024年1月1日 10:00\n收件人: Ann\n主题: 回复: 订单",
])
def test_outlook_header_blocks_start_the_quoted_history(header: str) -> None:
    new, quoted = split_quoted(f"{NEW}\n\n{header}\n\nold text")
    assert new == NEW
    assert "old text" in quoted


def test_a_from_line_without_a_header_block_is_the_customers_text() -> None:
    text = "From: the warehouse in Hamburg\nthe parcel left yesterday"
    assert split_quoted(text) == (text, "")


def test_inline_replies_between_quoted_lines_stay_new_text() -> None:
    new, quoted = split_quoted("> Which model do you have?\nThe X200.\n> Since when?\nSince Monday.")
    assert new == "The X200.\nSince Monday."
    assert quoted == "> Which model do you have?\n> Since when?"


@pytest.mark.parametrize("closing", [
    "Best regards", "Mit freundlichen Grüßen", "Cordialement,", "Saludos cordiales", "此致", "敬具",
    "С уважением,", "Trân trọng", "ขอแสดงความนับถือ", "-- ", "Sent from my iPhone",
])
def test_signature_blocks_are_stripped(closing: str) -> None:
    text = f"{NEW}\nBitte um Rückruf.\n{closing}\nHans Müller\nACME GmbH, Hauptstraße 1, Berlin"
    assert strip_signature(text) == f"{NEW}\nBitte um Rückruf."


def test_a_message_that_is_only_a_closing_formula_is_kept() -> None:
    assert strip_signature("Thanks!\nAnn") == "Thanks!\nAnn"
    assert strip_signature("Mit freundlichen Grüßen") == "Mit freundlichen Grüßen"


def test_urls_addresses_and_order_or_tracking_numbers_are_removed() -> None:
    text = "Order #A-123456 via https://shop.example.com/o?id=9 — mail ann.lee+cs@example.co.uk, SF1234567890"
    assert clean_for_detection(text) == "Order via — mail ,"


def test_numbers_glued_to_chinese_text_are_removed_without_eating_the_text() -> None:
    assert clean_for_detection("订单号123456789还没到") == "订单号 还没到"


def test_html_is_reduced_to_text_with_paragraphs_and_without_quoted_blocks() -> None:
    html = ("<html><head><style>p{color:red}</style></head><body><p>Hola,&nbsp;mi pedido no llegó.</p>"
            "<div>Gracias</div><blockquote>On Mon, Ann wrote: old</blockquote></body></html>")
    assert "old" not in html_to_text(html)
    # Block elements end paragraphs, which language ID looks at one by one.
    assert clean_for_detection(html) == "Hola, mi pedido no llegó.\n\nGracias"


def test_a_short_message_above_a_long_quoted_reply_keeps_only_itself() -> None:
    body = ("Danke!\n\nOn Tue, 2 Jan 2024 at 09:00, Support <s@example.com> wrote:\n"
            "> Dear customer, your replacement unit was shipped today with tracking number 1Z999.\n"
            "> Please let us know if there is anything else we can do for you.")
    assert clean_for_detection(body) == "Danke!"


@pytest.mark.timeout(10)
def test_pathological_blobs_are_cleaned_in_linear_time() -> None:
    blob = "a" * 200_000
    for text in (blob + "@", blob + "1", "<" + blob, "> " + blob + ":\n", "https://" + blob, "&" + blob):
        assert len(clean_for_detection(text)) <= len(text)


@given(st.text(max_size=400))
@example("0>")  # a stripped code once left a bare quote marker behind
def test_cleaning_never_fails_and_is_stable(text: str) -> None:
    once = clean_for_detection(text)
    assert clean_for_detection(once) == once
    new, quoted = split_quoted(text)
    assert isinstance(new, str) and isinstance(quoted, str)


# The spelling of the order-number pattern that says what it matches; nlp.textclean uses an
# equivalent one that opens with a character class, which the regex engine scans faster.
PLAIN_NUMBERISH = re.compile(r"(?<![A-Za-z0-9_/.:+#№-])[#№]?[A-Za-z0-9_/.:+-]*?[0-9][A-Za-z0-9_/.:+-]*")
CODE_ALPHABET = "ab#№12.:/+-_ жЖ中,;xZ9"


@given(st.text(alphabet=CODE_ALPHABET, max_size=40))
@example("#ab#1")
@example("№12ab")
@example("a.b:1/2 #x")
def test_the_fast_order_number_pattern_matches_the_plain_one(text: str) -> None:
    assert textclean._NUMBERISH.sub(" ", text) == PLAIN_NUMBERISH.sub(" ", text)


# Pieces that trigger each cleaning step, and plain letters and punctuation that trigger none.
CLEANING_PIECES = [*"aZé中ж .,!?-:;'\"\r\n\t\u00a0\u3000<>&@#17/",
                   "http", "www.", "ftp:", "  ", "&amp;", "<b>", "-- ", "> ", "Sent from my "]


@given(st.one_of(st.lists(st.sampled_from(CLEANING_PIECES), max_size=40).map("".join), st.text(max_size=200)))
@example("  Hallo Welt  ")
@example("Bestellung bitte\r")
def test_the_shortcut_for_plain_text_cleans_as_every_step_would(text: str) -> None:
    assert clean_for_detection(text) == clean_all_steps(text)
