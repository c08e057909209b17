"""Who may use the codec endpoint: `engineer:sha256(token)` per line in LINGODESK_CODEC_TOKENS_FILE.

Only hashes are stored, so the file is not itself a credential. `lingodesk codec-server
--new-token NAME` prints a fresh token and the line to append.
"""

import hashlib
import hmac
import re
import secrets
from pathlib import Path

_LINE = re.compile(r"^([A-Za-z0-9._@-]{1,64}):([0-9a-f]{64})$")


class CodecTokens:
    def __init__(self, hashes: dict[str, str]) -> None:
        self._by_hash = {digest: name for name, digest in hashes.items()}

    @classmethod
    def from_file(cls, path: Path) -> "CodecTokens":
        hashes: dict[str, str] = {}
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            match = _LINE.match(line)
            if match is None:
                raise ValueError(f"{path}:{lineno}: expected `engineer:<sha256 hex of the token>`")
            hashes[match.group(1)] = match.group(2)
        return cls(hashes)

    def engineer(self, token: str) -> str | None:
        """The engineer a presented token belongs to, or None."""
        digest = token_hash(token)
        for known, name in self._by_hash.items():
            if hmac.compare_digest(known, digest):
                return name
        return None

    def __len__(self) -> int:
        return len(self._by_hash)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(engineer: str) -> tuple[str, str]:
    """(the token to hand to the engineer, the line for the tokens file)."""
    if not re.match(r"^[A-Za-z0-9._@-]{1,64}$", engineer):
        raise ValueError("engineer names are letters, digits and . _ @ - (at most 64)")
    token = secrets.token_urlsafe(32)
    return token, f"{engineer}:{token_hash(token)}"
