"""Bounces and auto-replies: recognised so they never become tickets (or mail loops).

Rules, strongest first: RFC 3464 delivery reports (multipart/report; report-type=delivery-status),
RFC 3834 `Auto-Submitted`, the de-facto autoresponder headers (X-Autoreply, Precedence), mailer
daemons, and — only as a "Prefix:" at the start of the subject, so "不在保修期内吗？" stays a
question — the out-of-office prefixes of the common clients in our customers' languages.
"""

import re
from email.message import Message

from channels.email.charset import decode_bytes, decode_header_value
from channels.email.models import BounceInfo, MailKind
from channels.email.threading import normalize_message_id

_DAEMON = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon|bounces?|no-?reply-dsn)@", re.I)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(?:undeliver(?:ed|able)|delivery status notification|delivery failure|failure notice|"
    r"returned mail|mail delivery (?:failed|system)|unzustellbar|nicht zustellbar|non remis|"
    r"no se puede entregar|退信|邮件退回|系统退信|配信不能|전송 실패)",
    re.IGNORECASE,
)
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:auto(?:matic)?[ -]?reply|auto[ -]?response|autoreply|out of (?:the )?office|"
    r"automatische antwort|abwesenheitsnotiz|abwesend|réponse automatique|absence du bureau|absent|"
    r"respuesta automática|fuera de la oficina|risposta automatica|fuori sede|resposta automática|"
    r"automatisch antwoord|автоматический ответ|自动回复|自動回覆|自動回復|自動返信|自動応答|不在|"
    r"자동 회신|자동회신|ตอบกลับอัตโนมัติ|رد تلقائي|الرد التلقائي)\s*[:：]",
    re.IGNORECASE,
)
_AUTO_PRECEDENCE = frozenset({"auto_reply", "auto-reply", "bulk", "junk", "list"})


def _header(msg: Message, name: str) -> str:
    return decode_header_value(msg.get(name, "")).strip()


def _delivery_fields(part: Message) -> list[dict[str, str]]:
    """The per-message and per-recipient field blocks of a message/delivery-status part."""
    payload = part.get_payload()
    blocks: list[dict[str, str]] = []
    if isinstance(payload, list):  # the stdlib parses each block as a header-only Message
        for block in payload:
            if isinstance(block, Message):
                blocks.append({k.lower(): str(v) for k, v in block.items()})
        return blocks
    raw = part.get_payload(decode=True)
    text = decode_bytes(raw, "utf-8")[0] if isinstance(raw, bytes) else str(payload)
    for chunk in re.split(r"\r?\n\s*\r?\n", text):
        fields: dict[str, str] = {}
        for line in chunk.splitlines():
            name, sep, value = line.partition(":")
            if sep and name.strip():
                fields[name.strip().lower()] = value.strip()
        if fields:
            blocks.append(fields)
    return blocks


def _original_message_id(part: Message) -> str | None:
    """Message-ID of the returned mail in a message/rfc822 or text/rfc822-headers part."""
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return normalize_message_id(str(payload[0].get("Message-ID", "")))
    raw = part.get_payload(decode=True)
    text = decode_bytes(raw, "utf-8")[0] if isinstance(raw, bytes) else str(payload)
    match = re.search(r"^message-id:\s*(.+)$", text, re.IGNORECASE | re.MULTILINE)
    return normalize_message_id(match.group(1)) if match else None


def bounce_info(msg: Message) -> BounceInfo:
    info = BounceInfo()
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            for fields in _delivery_fields(part):
                if "final-recipient" in fields or "action" in fields:
                    info.recipient = fields.get("final-recipient", "").split(";")[-1].strip()
                    info.action = fields.get("action", "").lower()
                    info.status = fields.get("status", "")
                    info.diagnostic = " ".join(fields.get("diagnostic-code", "").split())[:500]
                    break
        elif ctype in ("message/rfc822", "text/rfc822-headers") and info.original_message_id is None:
            info.original_message_id = _original_message_id(part)
    if info.original_message_id is None:
        header_ids = re.findall(r"<[^<>\s]+>", _header(msg, "In-Reply-To") + " " + _header(msg, "References"))
        info.original_message_id = header_ids[-1] if header_ids else None
    return info


def classify(msg: Message, subject: str, from_addr: str) -> tuple[MailKind, str]:
    """(kind, reason) of one parsed mail."""
    ctype = msg.get_content_type()
    report_type = str(msg.get_param("report-type", "") or "").lower()
    if ctype == "multipart/report" and report_type == "delivery-status":
        return MailKind.BOUNCE, "delivery status report (RFC 3464)"
    if ctype == "multipart/report" and report_type == "disposition-notification":
        return MailKind.AUTO_REPLY, "read receipt (RFC 8098)"
    if msg.get("X-Failed-Recipients"):
        return MailKind.BOUNCE, "X-Failed-Recipients header"
    if _DAEMON.match(from_addr) and (
        _BOUNCE_SUBJECT.match(subject) or not _header(msg, "Return-Path").strip("<> ")
    ):
        return MailKind.BOUNCE, "from a mailer daemon"
    auto_submitted = _header(msg, "Auto-Submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return MailKind.AUTO_REPLY, f"Auto-Submitted: {auto_submitted.split(';')[0]}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder"):
        if msg.get(name):
            return MailKind.AUTO_REPLY, f"{name} header"
    precedence = (_header(msg, "Precedence") or _header(msg, "X-Precedence")).lower()
    if precedence in _AUTO_PRECEDENCE:
        return MailKind.AUTO_REPLY, f"Precedence: {precedence}"
    if _AUTO_SUBJECT.match(subject):
        return MailKind.AUTO_REPLY, "out-of-office subject"
    return MailKind.MESSAGE, ""
