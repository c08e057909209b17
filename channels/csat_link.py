"""Signed, expiring links to a ticket's satisfaction survey (one per resolution round).

Token: `<ticket id, base64url>.<round>.<expiry, unix seconds>.<HMAC-SHA256, base64url>`. Same
secret as the status links (LINGODESK_STATUS_SECRET) but a different purpose tag in the MAC, so a
status-page token can never be used as a survey token or the other way round. The round is
signed too: a link from an earlier resolution cannot rate a later one.
"""

import binascii
import hmac
from datetime import UTC, datetime

from pydantic import BaseModel

from channels.signing import ExpiredToken, InvalidToken, b64url, field_mac, require_secret, unb64url

PURPOSE = b"lingodesk-csat-v1"


class SurveyToken(BaseModel):
    ticket_id: str
    round: int
    expires_at: datetime


class CsatLinkSigner:
    def __init__(self, secret: bytes) -> None:
        self._secret = require_secret(secret, "link secret")

    def _mac(self, ticket_id: str, round_: int, expires: int) -> bytes:
        return field_mac(self._secret, PURPOSE, ticket_id, str(round_), str(expires))

    def sign(self, ticket_id: str, round_: int, expires_at: datetime) -> str:
        expires = int(expires_at.timestamp())
        mac = b64url(self._mac(ticket_id, round_, expires))
        return f"{b64url(ticket_id.encode('utf-8'))}.{round_}.{expires}.{mac}"

    def verify(self, token: str, now: datetime | None = None) -> SurveyToken:
        """The survey a valid token was issued for; raises InvalidToken or ExpiredToken."""
        parts = token.split(".")
        if len(parts) != 4 or len(token) > 512:
            raise InvalidToken("malformed token")
        try:
            ticket_id = unb64url(parts[0]).decode("utf-8")
            round_ = int(parts[1])
            expires = int(parts[2])
            mac = unb64url(parts[3])
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
