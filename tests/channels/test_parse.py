"""MIME parsing of the real-world samples in tests/data/emails, charset handling, HTML to text."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channels.email.charset import codec_for, decode_bytes, decode_header_value
from channels.email.html_to_text import html_to_text
from channels.email.models import MailKind, MalformedEmail
from channels.email.parse import parse_email
from tests.channels.conftest import sample


def test_german_outlook_html_only_mail_becomes_clean_text() -> None:
    mail = parse_email(sample("de_outlook_html.eml"))
    assert mail.kind is MailKind.MESSAGE
    assert mail.body_source == "html"
    assert mail.subject == "Lieferung unvollständig – Bestellung 4711"
    assert (mail.from_name, mail.from_addr) == ("Weber, Klaus", "k.weber@mueller-maschinenbau.de")
    assert mail.content_language == "de-DE"
    assert mail.new_text.startswith(
        "Sehr geehrte Damen und Herren,\n\nbei unserer Lieferung zur Bestellung 4711"
    )
    assert "schnellstmöglich nach – die Montage steht still." in mail.new_text
    assert "hier (https://track.example.de/4711)" in mail.new_text  # the link target is kept for agents
    # Styles, Office XML, conditional comments and the script never reach the text.
    for noise in ("MsoNormal", "alert", "WordSection", "spidmax", "<", "&nbsp;"):
        assert noise not in mail.text
    # The signature is separated from the new text.
    assert "Mit freundlichen Grüßen" in mail.quoted_text and "Klaus Weber" not in mail.new_text


def test_japanese_iso_2022_jp() -> None:
    mail = parse_email(sample("ja_iso2022jp.eml"))
    assert mail.subject == "製品の不具合について（KP-300）"
    assert mail.from_name == "山田 太郎"
    assert "先週納品いただいたポンプ（型番 KP-300）が起動しません。" in mail.new_text
    assert "よろしくお願いいたします。" not in mail.new_text  # the closing formula starts the signature
    assert mail.decoding_exact


def test_arabic_windows_1256_prefers_the_plain_part() -> None:
    mail = parse_email(sample("ar_windows1256.eml"))
    assert mail.subject == "استفسار عن الشحنة 88231"
    assert mail.from_name == "أحمد الحربي"
    assert mail.body_source == "plain"
    assert mail.new_text == (
        "السلام عليكم،\n\nلم تصل شحنتنا رقم 88231 حتى الآن، وقد مر أكثر من أسبوعين على موعد "
        "التسليم. نرجو إفادتنا بحالة الشحنة."
    )
    assert mail.quoted_text.startswith("مع خالص التحيات")
    assert mail.content_language == "ar-sa"


def test_thai_tis_620_reply_separates_quoted_history() -> None:
    mail = parse_email(sample("th_tis620_reply.eml"))
    assert mail.subject.startswith("Re: สอบถามสถานะคำสั่งซื้อ [#E")
    assert mail.new_text == "ได้รับสินค้าแล้วค่ะ แต่กล่องเสียหายหนึ่งกล่อง ต้องทำอย่างไรคะ\n\nสมศรี"
    assert "เขียนว่า:" in mail.quoted_text and "EX123456789TH" in mail.quoted_text
    assert mail.in_reply_to == [f"<ticket-{mail.subject.split('[#')[1].rstrip(']')}.3@lingodesk.test>"]
    assert mail.references[0] == "<CAF7x3Kq-th001+Yw@mail.somsri-trading.co.th>"


def test_chinese_gb18030_with_a_four_byte_character() -> None:
    mail = parse_email(sample("zh_gb18030.eml"))
    assert mail.subject == "空气净化器显示屏故障及发票问题"
    assert "深圳市𠮷祥贸易有限公司" in mail.new_text  # U+20BB7 is four bytes in GB18030
    assert mail.decoding_exact


def test_korean_ks_c_5601_label_decodes_cp949_only_syllables() -> None:
    mail = parse_email(sample("ko_ks_c_5601.eml"))
    assert mail.subject == "배송 지연 문의 (KR-3301)"
    assert "(담당: 김똠)" in mail.new_text  # 똠 is outside EUC-KR, inside CP949
    assert mail.decoding_exact


def test_spanish_gmail_reply_quote_is_split() -> None:
    mail = parse_email(sample("es_gmail_html.eml"))
    assert mail.new_text.startswith("Hola,\n\nsigo sin recibir el reembolso del pedido ES-7781.")
    assert "se procesará esta semana" in mail.quoted_text
    assert "se procesará" not in mail.new_text


def test_bounce_is_recognised_with_the_original_message_id() -> None:
    mail = parse_email(sample("bounce_dsn.eml"))
    assert mail.kind is MailKind.BOUNCE
    assert mail.bounce is not None
    assert mail.bounce.original_message_id == "<ticket-20250117-ABC123.4@lingodesk.test>"
    assert (mail.bounce.action, mail.bounce.status) == ("failed", "5.1.1")
    assert mail.bounce.recipient == "nobody@example.invalid"
    assert "User unknown" in mail.bounce.diagnostic
    assert not mail.attachments  # report parts are not customer attachments


def test_out_of_office_is_an_auto_reply() -> None:
    mail = parse_email(sample("auto_reply_ooo.eml"))
    assert mail.kind is MailKind.AUTO_REPLY
    assert "Auto-Submitted" in mail.kind_reason


def test_attachments_and_inline_image() -> None:
    mail = parse_email(sample("en_attachment_inline.eml"))
    by_name = {a.filename: a for a in mail.attachments}
    assert set(by_name) == {"image001.png", "Rechnung März.pdf", "carton.jpg"}  # no "../../etc/" path
    logo = by_name["image001.png"]
    assert logo.inline and logo.content_id == "image001.png@01DB6A1C.3E4F5A60"
    assert logo.data.startswith(b"\x89PNG")
    pdf = by_name["Rechnung März.pdf"]
    assert pdf.content_type == "application/pdf" and not pdf.inline and pdf.data.startswith(b"%PDF-1.4")
    assert by_name["carton.jpg"].size == 2070
    assert mail.new_text.startswith("Hello,\n\nplease find attached the invoice")


def test_malformed_mail_is_refused() -> None:
    with pytest.raises(MalformedEmail):
        parse_email(sample("malformed_no_headers.eml"))
    with pytest.raises(MalformedEmail, match="sender"):
        parse_email(b"Subject: hello\r\nMessage-ID: <x@y>\r\n\r\nbody\r\n")


def test_missing_message_id_gets_a_stable_synthetic_one() -> None:
    raw = b"From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n"
    first, second = parse_email(raw), parse_email(raw)
    assert first.message_id_synthetic and first.message_id == second.message_id
    assert first.message_id != parse_email(raw + b"more\r\n").message_id


def test_reply_to_wins_as_customer_address() -> None:
    raw = (
        b"From: Shop <noreply@shop.example>\r\nReply-To: buyer@example.org\r\nSubject: form\r\n"
        b"Message-ID: <f1@shop.example>\r\n\r\nI need help\r\n"
    )
    assert parse_email(raw).customer_address == "buyer@example.org"


def test_charset_aliases_and_fallbacks() -> None:
    assert codec_for("windows-874") == "cp874"
    assert codec_for("GB2312") == "gb18030"
    assert codec_for("x-unknown-charset") is None
    # UTF-8 bytes mislabelled as us-ascii still read correctly.
    assert decode_bytes("Grüße".encode(), "us-ascii") == ("Grüße", True)
    # An unknown label falls back to UTF-8.
    assert decode_bytes("日本".encode(), "x-unknown") == ("日本", True)
    # Undecodable bytes are replaced, never raised.
    text, exact = decode_bytes(b"\xff\xfe\xfa", "utf-8")
    assert not exact and text


def test_header_decoding_handles_raw_8bit_and_encoded_words() -> None:
    raw_gbk = "报价".encode("gb18030").decode("ascii", errors="surrogateescape")
    assert decode_header_value(raw_gbk, "gb18030") == "报价"
    assert decode_header_value("=?utf-8?q?Gr=C3=BC=C3=9Fe?= aus Berlin") == "Grüße aus Berlin"
    assert decode_header_value("=?unknown-8bit?b?w6Q=?=") == "ä"


def test_html_to_text_is_safe_and_marks_quotes() -> None:
    html = (
        "<html><head><title>t</title><style>p{color:red}</style></head><body>"
        "<p>Hi &amp; hello<br>second&nbsp;line</p><script>evil()</script>"
        "<ul><li>one</li><li>two</li></ul><blockquote>old text</blockquote>"
        '<p onclick="x()">after <a href="https://ex.com/t">track</a></p>'
        '<div id="divRplyFwdMsg">From: someone</div><p>history</p></body></html>'
    )
    text = html_to_text(html)
    assert "evil" not in text and "color" not in text and "<" not in text
    assert text.splitlines()[:2] == ["Hi & hello", "second line"]
    assert "- one" in text and "- two" in text
    assert "> old text" in text
    assert "after track (https://ex.com/t)" in text
    assert "> history" in text and "> From: someone" in text


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=2000)
    | st.builds(
        lambda head, body: head + b"\r\n\r\n" + body,
        st.sampled_from(
            [
                sample("de_outlook_html.eml")[:600],
                sample("en_attachment_inline.eml")[:900],
                b"From: a@b.c\r\nContent-Type: multipart/mixed",
            ]
        ),
        st.binary(max_size=800),
    )
)
def test_arbitrary_bytes_parse_or_are_refused_never_crash(raw: bytes) -> None:
    try:
        mail = parse_email(raw)
    except MalformedEmail:
        return
    assert mail.message_id.startswith("<") and isinstance(mail.new_text, str)
