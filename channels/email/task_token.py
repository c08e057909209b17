"""Signed reply tokens for collaboration-task e-mails to departments.

A department answers a task by replying to our mail. The reply finds its task by a token that
we put in the subject (`[task:<token>]`) and in our Message-ID (`<task.<n>.<token>@domain>`,
which comes back in In-Reply-To/References). Token: `<task id, base64url>.<HMAC-SHA256, first
15 bytes, base64url>`, the MAC over a purpose tag and the task id with the server's secret (the
status-link secret, `channels/signing.py`, under a different purpose tag, so a status-page token
is never a task token). Unlike the `[#ticket]` token of customer mail, this one is a secret-backed
proof: a task id alone, guessed from the ticket id, does not make a valid reply.

No expiry: a task that has ended rejects late answers itself, with a clear message.
"""

import binascii
import hmac
import re

from channels.signing import b64url, field_mac, load_secret, require_secret, unb64url
from runtime.settings import Settings

PURPOSE = b"lingodesk-task-reply-v1"
MAC_BYTES = 15  # 120 bits: unforgeable in practice, short enough for a subject line
_TOKEN = r"[A-Za-z0-9_-]{4,400}\.[A-Za-z0-9_-]{20}"
SUBJECT_TAG = re.compile(rf"\[task:({_TOKEN})\]", re.IGNORECASE)
_MESSAGE_ID = re.compile(rf"^<?task\.[0-9a-f]{{1,32}}\.({_TOKEN})@", re.IGNORECASE)


class InvalidTaskToken(ValueError):
    """Not a token this server issued for a task (forged, altered, truncated or unreadable)."""


class TaskTokenSigner:
    def __init__(self, secret: bytes) -> None:
        self._secret = require_secret(secret)

    def _mac(self, task_id: str) -> bytes:
        return field_mac(self._secret, PURPOSE, task_id)[:MAC_BYTES]

    def sign(self, task_id: str) -> str:
        return f"{b64url(task_id.encode('utf-8'))}.{b64url(self._mac(task_id))}"

    def verify(self, token: str) -> str:
        """The task id of a valid token; raises InvalidTaskToken (constant-time MAC check)."""
        head, _, mac_text = token.partition(".")
        try:
            task_id = unb64url(head).decode("utf-8")
            mac = unb64url(mac_text)
        except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
            raise InvalidTaskToken("unreadable task token") from exc
        if not hmac.compare_digest(mac, self._mac(task_id)):
            raise InvalidTaskToken("task token signature does not match")
        return task_id


def task_signer_from_settings(settings: Settings) -> TaskTokenSigner | None:
    """Uses the status-link secret (LINGODESK_STATUS_SECRET / _FILE); None when it is not set."""
    secret = load_secret(settings)
    return TaskTokenSigner(secret) if secret is not None else None


def subject_tag(token: str) -> str:
    return f"[task:{token}]"


def task_message_id(seq: str, token: str, mail_domain: str) -> str:
    """Our Message-ID for one task mail; `seq` (hex) keeps the mails of one task apart."""
    return f"<task.{seq}.{token}@{mail_domain}>"


def tokens_in(subject: str, message_ids: list[str]) -> list[str]:
    """Task tokens a mail carries: In-Reply-To/References first (set by the client), then the subject."""
    found = [m.group(1) for m in (_MESSAGE_ID.match(i.strip()) for i in message_ids) if m]
    found += SUBJECT_TAG.findall(subject or "")
    return list(dict.fromkeys(found))


def mentions_task(subject: str, message_ids: list[str], mail_domain: str) -> bool:
    """The mail claims to answer a task mail (a tag or one of our task Message-IDs), valid or not."""
    if "[task:" in (subject or "").lower():
        return True
    suffix = f"@{mail_domain.lower()}"
    return any(i.strip().lower().startswith("<task.") and i.strip().lower().rstrip(">").endswith(suffix)
               for i in message_ids)
