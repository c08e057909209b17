"""Pure helpers for e-mail threading: Message-IDs, the subject ticket token, ticket ids.

A reply finds its ticket through `In-Reply-To`/`References` (ids we sent or received), and
the `[#<ticket_id>]` token in the subject as a fallback; see `store.email_threads` for the
lookups. A new thread gets a ticket id derived from its Message-ID, so the same mail delivered
twice, by two pollers or after a crash, starts the same workflow id and never two tickets.
"""

import hashlib
import re

_ANGLE_ID = re.compile(r"<([^<>\s]{1,500})>")
_BARE_ID = re.compile(r"^[^<>\s@]+@[^<>\s@]+$")
# Ticket ids are short ASCII (e.g. 20250101-1A2B3C, E1A2B3C4D5E6F70); anything else is not a token.
TICKET_TOKEN = re.compile(r"\[#([A-Za-z0-9][A-Za-z0-9._-]{0,63})\]")
# activities.channel_activities.outgoing_message_id: <ticket-{ticket_id}.{seq}@{domain}>
_OUR_ID = re.compile(r"^<ticket-([A-Za-z0-9][A-Za-z0-9._-]{0,63})\.(\d+)@([^<>\s]+)>$")
# Reply and forward prefixes in the languages we serve ("AW:", "回复：", "RE：", "Fwd:", "رد:").
_PREFIX = re.compile(
    r"^\s*(?:re|aw|sv|vs|wg|fw|fwd|tr|rv|enc|odp|antw|antwort|r|ref|res|رد|回复|回覆|答复|转发|轉寄|"
    r"返信|転送|답장|전달|ตอบกลับ|ตอบ)\s*(?:\[\d+\])?\s*[:：]\s*",
    re.IGNORECASE,
)


def normalize_message_id(value: str | None) -> str | None:
    """`<local@domain>`, or None when the header holds no usable id."""
    if not value:
        return None
    match = _ANGLE_ID.search(value)
    if match:
        return f"<{match.group(1)}>"
    bare = value.strip()
    return f"<{bare}>" if _BARE_ID.match(bare) else None


def parse_id_list(value: str | None) -> list[str]:
    """Every `<id>` in a References/In-Reply-To header, in order, without repeats."""
    if not value:
        return []
    ids = [f"<{m}>" for m in _ANGLE_ID.findall(value)]
    if not ids:
        single = normalize_message_id(value)
        ids = [single] if single else []
    return list(dict.fromkeys(ids))


def synthetic_message_id(raw: bytes) -> str:
    """A stable id for mail without a Message-ID: the same bytes give the same id."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()[:40]}@lingodesk.invalid>"


def ticket_id_for_new_thread(message_id: str, prefix: str = "E") -> str:
    """Deterministic ticket id for the first mail of a thread (56 bits of its Message-ID hash).

    `prefix` keeps installations that share one Temporal namespace (or test runs) apart.
    """
    return prefix + hashlib.sha256(message_id.encode("utf-8")).hexdigest()[:14].upper()


def ticket_ids_in_subject(subject: str) -> list[str]:
    return list(dict.fromkeys(TICKET_TOKEN.findall(subject or "")))


def ticket_from_our_message_id(message_id: str, mail_domain: str) -> str | None:
    """The ticket of a Message-ID that Lingodesk generated for an outgoing reply."""
    match = _OUR_ID.match(message_id)
    if match and match.group(3).lower() == mail_domain.lower():
        return match.group(1)
    return None


def ticket_of_reply_id(message_id: str) -> str | None:
    """The ticket of one of our reply Message-IDs, whatever the domain (for the outgoing side)."""
    match = _OUR_ID.match(message_id)
    return match.group(1) if match else None


def clean_subject(subject: str) -> str:
    """The subject without ticket tokens and without leading Re:/AW:/回复: prefixes."""
    text = TICKET_TOKEN.sub(" ", subject or "")
    previous = None
    while previous != text:
        previous = text
        text = _PREFIX.sub("", text, count=1)
    return " ".join(text.split())


def thread_candidates(in_reply_to: list[str], references: list[str]) -> list[str]:
    """Ids to look up, most specific first: the direct parent, then References newest first."""
    return list(dict.fromkeys([*in_reply_to, *reversed(references)]))
