"""The payload keyring: key id -> 256-bit AES key, and which id encrypts new payloads.

Keys come only from the environment or a key file (never from code, logs or workflow inputs):

    LINGODESK_PAYLOAD_KEYS="2026-11:<base64 32 bytes>,2026-05:<base64 32 bytes>"
    LINGODESK_PAYLOAD_KEYS_FILE=/run/secrets/lingodesk_payload_keys   # one `id:base64` per line
    LINGODESK_PAYLOAD_KEY_ID=2026-11    # the active id; default: the last key listed

Old keys stay in the ring after a rotation so histories written with them still decode.
"""

import base64
import binascii
import os
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, SecretBytes

if TYPE_CHECKING:
    from runtime.settings import Settings

KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class KeyringError(ValueError):
    """The key configuration is unusable; the message never contains key material."""


class Keyring(BaseModel):
    model_config = ConfigDict(frozen=True)

    keys: dict[str, SecretBytes]
    active_id: str

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id].get_secret_value()
        except KeyError:
            raise KeyringError(f"no payload key with id {key_id!r} in the keyring") from None

    @property
    def active_key(self) -> bytes:
        return self.key(self.active_id)


def new_key() -> str:
    """A fresh 256-bit key, base64 (what goes after `id:` in the key file)."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def parse_keys(text: str) -> dict[str, bytes]:
    """`id:base64` entries separated by commas or new lines; `#` starts a comment."""
    keys: dict[str, bytes] = {}
    for lineno, raw in enumerate(re.split(r"[,\n]", text), start=1):
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        key_id, sep, b64 = entry.partition(":")
        key_id = key_id.strip()
        if not sep or not _KEY_ID.match(key_id):
            raise KeyringError(f"payload key entry {lineno}: expected `<id>:<base64 key>` with a simple id")
        try:
            key = base64.b64decode(b64.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise KeyringError(f"payload key {key_id!r}: not valid base64") from None
        if len(key) != KEY_BYTES:
            raise KeyringError(f"payload key {key_id!r}: {len(key)} bytes, AES-256 needs {KEY_BYTES}")
        if key_id in keys:
            raise KeyringError(f"payload key id {key_id!r} is listed twice")
        keys[key_id] = key
    return keys


def build_keyring(keys_text: str | None, keys_file: Path | None, active_id: str | None) -> Keyring | None:
    """The keyring from the configured sources, or None when no key is configured at all."""
    keys: dict[str, bytes] = {}
    ordered: list[str] = []
    sources = []
    if keys_file is not None and str(keys_file) not in ("", "."):
        try:
            sources.append(Path(keys_file).read_text(encoding="utf-8"))
        except OSError as exc:
            raise KeyringError(f"payload key file {keys_file}: {exc.strerror}") from None
    if keys_text:
        sources.append(keys_text)
    for text in sources:
        for key_id, key in parse_keys(text).items():
            if key_id in keys and keys[key_id] != key:
                raise KeyringError(f"payload key id {key_id!r} has two different values")
            if key_id not in keys:
                ordered.append(key_id)
            keys[key_id] = key
    if not keys:
        if active_id:
            raise KeyringError(f"LINGODESK_PAYLOAD_KEY_ID={active_id!r} but no payload keys are configured")
        return None
    active = active_id or ordered[-1]
    if active not in keys:
        raise KeyringError(f"active payload key id {active!r} is not in the keyring")
    return Keyring(keys={k: SecretBytes(v) for k, v in keys.items()}, active_id=active)


def write_local_key_file(path: Path, key_id: str = "local-1") -> Path:
    """A one-key file only the owner can read (the embedded `make run` default); kept if present."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# Lingodesk payload keys (id:base64). Add new keys at the end; never delete old ones\n")
        handle.write("# while histories encrypted with them are retained. See docs/security.md.\n")
        handle.write(f"{key_id}:{new_key()}\n")
    return path


def keyring_from_settings(settings: "Settings") -> Keyring | None:
    secret = settings.payload_keys.get_secret_value() if settings.payload_keys is not None else None
    return build_keyring(secret, settings.payload_keys_file, settings.payload_key_id)
