"""Signed, expiring links to a ticket's customer status page.

Token: `<ticket id, base64url>.<expiry, unix seconds>.<HMAC-SHA256, base64url>`, the MAC over a
purpose tag, the ticket id and the expiry with a server secret. Nothing secret is in the token;
it proves "this server issued a link to this ticket, valid until then". Verification is
constant-time and rejects tampered, truncated and expired tokens alike.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from runtime.settings import Settings

PURPOSE = b"lingodesk-status-v1"
MIN_SECRET_BYTES = 16


class InvalidToken(ValueError):
    """Not a token we issued (or altered)."""


class ExpiredToken(InvalidToken):
    """Issued by us, but past its expiry."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def require_secret(secret: bytes, what: str = "signing secret") -> bytes:
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the {what} must have at least {MIN_SECRET_BYTES} bytes")
    return secret


def field_mac(secret: bytes, purpose: bytes, *fields: str) -> bytes:
    """HMAC-SHA256 over a purpose tag and the fields, NUL-separated. Every signed token here (status
    links, survey links, task replies) uses it with its own purpose tag, so one never passes for another."""
    message = b"\x00".join([purpose, *(field.encode("utf-8") for field in fields)])
    return hmac.new(secret, message, hashlib.sha256).digest()


class StatusLinkSigner:
    def __init__(self, secret: bytes, ttl: timedelta = timedelta(days=90)) -> None:
        self._secret = require_secret(secret, "status link secret")
        self.ttl = ttl

    def _mac(self, ticket_id: str, expires: int) -> bytes:
        return field_mac(self._secret, PURPOSE, ticket_id, str(expires))

    def sign(self, ticket_id: str, now: datetime | None = None, ttl: timedelta | None = None) -> str:
        now = now or datetime.now(UTC)
        expires = int((now + (ttl or self.ttl)).timestamp())
        return f"{b64url(ticket_id.encode('utf-8'))}.{expires}.{b64url(self._mac(ticket_id, expires))}"

    def verify(self, token: str, now: datetime | None = None) -> str:
        """The ticket id of a valid token; raises InvalidToken or ExpiredToken."""
        parts = token.split(".")
        if len(parts) != 3 or len(token) > 512:
            raise InvalidToken("malformed token")
        try:
            ticket_id = unb64url(parts[0]).decode("utf-8")
            expires = int(parts[1])
            mac = unb64url(parts[2])
        except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
            raise InvalidToken("malformed token") from exc
        if not hmac.compare_digest(mac, self._mac(ticket_id, expires)):
            raise InvalidToken("bad signature")
        if (now or datetime.now(UTC)).timestamp() >= expires:
            raise ExpiredToken("link expired")
        return ticket_id


def load_secret(settings: Settings) -> bytes | None:
    """The status-link secret from LINGODESK_STATUS_SECRET or LINGODESK_STATUS_SECRET_FILE."""
    if settings.status_secret is not None and settings.status_secret.get_secret_value():
        return settings.status_secret.get_secret_value().encode("utf-8")
    if settings.status_secret_file is not None and str(settings.status_secret_file) not in ("", "."):
        return Path(settings.status_secret_file).read_bytes().strip()
    return None  # unset or empty


def signer_from_settings(settings: Settings) -> StatusLinkSigner | None:
    secret = load_secret(settings)
    if secret is None:
        return None
    return StatusLinkSigner(secret, timedelta(days=settings.status_link_days))


def status_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/status/{token}"


def new_secret() -> str:
    """A fresh secret for `LINGODESK_STATUS_SECRET` (printed by `lingodesk web --new-secret`)."""
    return secrets.token_urlsafe(32)
