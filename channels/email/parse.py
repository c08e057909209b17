"""Real-world MIME to `ParsedEmail`: bodies, charsets, HTML, attachments, threading headers.

The stdlib parser with the lenient `compat32` policy reads anything; we walk the parts
ourselves so that (a) attached mails (message/rfc822) stay attachments instead of leaking
their text into the body, (b) every charset goes through `charset.decode_bytes` with its
legacy aliases and fallbacks, and (c) HTML-only mail is turned into text by an HTML parser.
The customer's new words are then separated from quoted history and signature
(`nlp.textclean.split_quoted` / `strip_signature`, shared with language detection).
"""

import email
import mimetypes
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime

from channels.email.bounce import bounce_info, classify
from channels.email.charset import decode_bytes, decode_header_value, html_meta_charset
from channels.email.html_to_text import html_to_text
from channels.email.models import MailKind, MalformedEmail, ParsedAttachment, ParsedEmail
from channels.email.threading import normalize_message_id, parse_id_list, synthetic_message_id
from nlp.textclean import split_quoted, strip_signature

MAX_SUBJECT_CHARS = 500


def _leaves(part: Message) -> Iterator[Message]:
    """Leaf parts in order; an attached mail (message/*) is one leaf, never opened."""
    if part.get_content_maintype() != "message" and part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, Message):
                yield from _leaves(sub)
    else:
        yield part


def _first_address(msg: Message, name: str) -> tuple[str, str]:
    values = [str(v) for v in msg.get_all(name, [])]
    if not values:
        return "", ""
    # Split addresses before decoding display names: "Müller, Hans" decodes to a comma.
    for raw_name, addr in getaddresses(values):
        if "@" in addr:
            return decode_header_value(raw_name), addr.strip().lower()
    return "", ""


def _addresses(msg: Message, name: str) -> list[str]:
    values = [str(v) for v in msg.get_all(name, [])]
    return [addr.strip().lower() for _, addr in getaddresses(values) if "@" in addr]


def _date(msg: Message) -> datetime | None:
    value = msg.get("Date")
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _part_bytes(part: Message) -> bytes:
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return inner[0].as_bytes()
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _filename(part: Message, index: int) -> str:
    try:
        raw = part.get_filename()
    except (LookupError, UnicodeError):  # an RFC 2231 name in an unknown charset
        raw = None
    name = decode_header_value(raw) if raw else ""
    # Paths are the sender's business, not ours: keep the last component only.
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if name:
        return name
    ctype = part.get_content_type()
    extension = ".eml" if ctype == "message/rfc822" else (mimetypes.guess_extension(ctype) or ".bin")
    return f"attachment-{index}{extension}"


def _text_of(part: Message, html: bool) -> tuple[str, bool]:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        data = str(part.get_payload()).encode("utf-8", errors="surrogateescape")
    label = part.get_content_charset() or (html_meta_charset(data) if html else None)
    return decode_bytes(data, label)


def _attachment(part: Message, index: int) -> ParsedAttachment:
    disposition = part.get_content_disposition()
    content_id = normalize_message_id(str(part.get("Content-ID", ""))) if part.get("Content-ID") else None
    inline = disposition != "attachment" and (disposition == "inline" or content_id is not None)
    return ParsedAttachment(
        filename=_filename(part, index),
        content_type=part.get_content_type(),
        data=_part_bytes(part),
        inline=inline and part.get_content_maintype() == "image",
        content_id=content_id.strip("<>") if content_id else None,
    )


def _bodies(msg: Message, parsed: ParsedEmail) -> tuple[list[str], list[str]]:
    plain: list[str] = []
    html: list[str] = []
    for index, part in enumerate(_leaves(msg), start=1):
        ctype = part.get_content_type()
        disposition = part.get_content_disposition()
        named = bool(part.get_param("name") or part.get_param("filename", header="content-disposition"))
        if ctype in ("text/plain", "text/html") and disposition != "attachment" and not named:
            text, exact = _text_of(part, html=ctype == "text/html")
            (html if ctype == "text/html" else plain).append(text)
            if not exact:
                parsed.decoding_exact = False
                parsed.defects.append(f"undecodable bytes in {ctype} ({part.get_content_charset()})")
        elif ctype in ("message/delivery-status", "text/rfc822-headers", "message/disposition-notification"):
            continue  # machine-readable report parts: read by bounce.py, not attachments
        elif part.get_content_maintype() == "multipart":
            parsed.defects.append(f"unparseable {ctype} (missing boundary)")
            plain.append(_text_of(part, html=False)[0])
        else:
            parsed.attachments.append(_attachment(part, index))
    return plain, html


def _choose_body(plain: list[str], html: list[str]) -> tuple[str, str]:
    plain_text = "\n".join(t.strip("\n") for t in plain).strip()
    html_text = html_to_text("\n".join(html)) if html else ""
    # Some clients send a stub plain part ("This is an HTML message") next to the real HTML.
    if plain_text and not (len(plain_text) < 40 and len(html_text) > 4 * len(plain_text)):
        return plain_text, "plain"
    if html_text:
        return html_text, "html"
    return plain_text, "plain" if plain_text else "none"


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse one RFC 5322 message. Raises `MalformedEmail` when it cannot become a ticket."""
    if not raw.strip():
        raise MalformedEmail("empty message")
    msg = email.message_from_bytes(raw, policy=compat32)
    if not msg.keys():
        raise MalformedEmail("no mail headers")
    message_id = normalize_message_id(str(msg.get("Message-ID", "")))
    parsed = ParsedEmail(
        message_id=message_id or synthetic_message_id(raw), message_id_synthetic=not message_id
    )
    parsed.defects += [type(d).__name__ for d in msg.defects]
    plain, html = _bodies(msg, parsed)
    # Raw 8-bit headers are usually in the charset of the body.
    body_charset = next((p.get_content_charset() for p in _leaves(msg) if p.get_content_charset()), None)
    parsed.subject = decode_header_value(msg.get("Subject", ""), body_charset)[:MAX_SUBJECT_CHARS]
    parsed.from_name, parsed.from_addr = _first_address(msg, "From")
    parsed.reply_to = _first_address(msg, "Reply-To")[1]
    parsed.to = _addresses(msg, "To") + _addresses(msg, "Cc")
    parsed.date = _date(msg)
    parsed.in_reply_to = parse_id_list(str(msg.get("In-Reply-To", "")))
    parsed.references = parse_id_list(str(msg.get("References", "")))
    language = decode_header_value(msg.get("Content-Language", "")).split(",")[0].strip()
    parsed.content_language = language or None
    parsed.kind, parsed.kind_reason = classify(msg, parsed.subject, parsed.from_addr)
    if parsed.kind is MailKind.BOUNCE:
        parsed.bounce = bounce_info(msg)
    elif parsed.kind is MailKind.MESSAGE and not parsed.customer_address:
        raise MalformedEmail("no sender address (From/Reply-To)")

    text, parsed.body_source = _choose_body(plain, html)
    parsed.text = _normalize_newlines(text)
    new_text, quoted = split_quoted(parsed.text)
    without_signature = strip_signature(new_text)
    signature = new_text[len(without_signature) :].strip() if new_text.startswith(without_signature) else ""
    parsed.new_text = without_signature
    parsed.quoted_text = "\n\n".join(t for t in (signature, quoted) if t)
    if not parsed.new_text and not parsed.attachments:
        # Nothing but a quote: keep everything rather than an empty ticket.
        parsed.new_text = parsed.text
    return parsed
