"""E-mail parsing: any bytes give a parsed mail or MalformedEmail (a clear reason), never a crash."""

from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channels.email.models import MalformedEmail, ParsedEmail
from channels.email.parse import MAX_SUBJECT_CHARS, parse_email
from tests.chaos import figures
from tests.fuzz.hostile import hostile_text

CORPUS = Path(__file__).resolve().parent / "corpus"


def parse_or_reason(raw: bytes) -> ParsedEmail | str:
    figures.add("bad inputs")
    try:
        parsed = parse_email(raw)
    except MalformedEmail as exc:
        assert str(exc)
        return str(exc)
    assert len(parsed.subject) <= MAX_SUBJECT_CHARS
    return parsed


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes(raw: bytes) -> None:
    parse_or_reason(raw)


@settings(max_examples=150, deadline=None)
@given(
    body=hostile_text,
    subject=hostile_text,
    charset=st.sampled_from(["utf-8", "latin-1", "gb18030", "shift_jis", "windows-1256", "koi8-r"]),
    html=st.booleans(),
)
def test_hostile_mail(body: str, subject: str, charset: str, html: bool) -> None:
    msg = EmailMessage()
    msg["From"] = "Kunde <kunde@example.de>"
    msg["To"] = "support@lingodesk.test"
    msg["Subject"] = " ".join(subject.splitlines())  # a header is one line; the rest stays hostile
    msg["Message-ID"] = "<fuzz@example.de>"
    try:
        msg.set_content(body, subtype="html" if html else "plain", charset=charset)
        raw = bytes(msg)
    except (UnicodeError, ValueError):
        # The text cannot be written in that charset: send it as wrongly labelled bytes instead.
        raw = (
            b"From: kunde@example.de\r\nContent-Type: text/plain; charset=" + charset.encode() + b"\r\n\r\n"
            + body.encode("utf-8", "surrogatepass")
        )
    parse_or_reason(raw)


def test_html_mail_is_read_as_text_without_scripts() -> None:
    parsed = parse_or_reason((CORPUS / "html_script.eml").read_bytes())
    assert isinstance(parsed, ParsedEmail)
    assert "Hallo" in parsed.text
    assert "alert" not in parsed.text and "<p" not in parsed.text and "onclick" not in parsed.text


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.eml")), ids=lambda p: p.name)
def test_corpus_mail(path: Path) -> None:
    parse_or_reason(path.read_bytes())
