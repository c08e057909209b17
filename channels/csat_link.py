"""Signed, expiring links to a ticket's satisfaction survey (one per resolution round).

Token: `<ticket id, base64url>.<round>.<expiry, unix seconds>.<HMAC-SHA256, base64url>`. Same
secret as the status links (LINGODESK_STATUS_SECRET) but a different purpose tag in the MAC, so a
status-page token can never be used as a survey token or the other way round. The round is
signed too: a link from an earlier resolution cannot rate a later one.
"""

import binascii
import hashlib
import hmac
from datetime import UTC, datetime

from pydantic import BaseModel

from channels.signing import MIN_SECRET_BYTES, ExpiredToken, InvalidToken, _b64, _unb64

PURPOSE = b"lingodesk-csat-v1"


class SurveyToken(BaseModel):
    ticket_id: str
    round: int
    expires_at: datetime


class CsatLinkSigner:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"the link secret must have at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret

    def _mac(self, ticket_id: str, round_: int, expires: int) -> bytes:
        message = b"\x00".join(
            [PURPOSE, ticket_id.encode("utf-8"), str(round_).encode("ascii"), str(expires).encode("ascii")]
        )
        return hmac.new(self._secret, message, hashlib.sha256).digest()

    def sign(self, ticket_id: str, round_: int, expires_at: datetime) -> str:
        expires = int(expires_at.timestamp())
        mac = _b64(self._mac(ticket_id, round_, expires))
        return f"{_b64(ticket_id.encode('utf-8'))}.{round_}.{expires}.{mac}"

    def verify(self, token: str, now: datetime | None = None) -> SurveyToken:
        """The survey a valid token was issued for; raises InvalidToken or ExpiredToken."""
        parts = token.split(".")
        if len(parts) != 4 or len(token) > 512:
            raise InvalidToken("malformed token")
        try:
            ticket_id = _unb64(parts[0]).decode("utf-8")
            round_ = int(parts[1])
            expires = int(parts[2])
            mac = _unb64(parts[3])
        except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
            raise InvalidToken("malformed token") from exc
        if round_ < 0 or not hmac.compare_digest(mac, self._mac(ticket_id, round_, expires)):
            raise InvalidToken("bad signature")
        if (now or datetime.now(UTC)).timestamp() >= expires:
            raise ExpiredToken("link expired")
        return SurveyToken(ticket_id=ticket_id, round=round_, expires_at=datetime.fromtimestamp(expires, UTC))


def survey_url(base_url: str, token: str, lang: str = "") -> str:
    url = f"{base_url.rstrip('/')}/survey/{token}"
    return f"{url}?lang={lang}" if lang else url
