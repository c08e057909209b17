"""AES-256-GCM payload codec: workflow inputs, results, signals, updates and failures are ciphertext
on the Temporal server; only workers, clients and the codec endpoint holding the keyring read them.

Each encrypted payload is a serialized `Payload` sealed with the active key; its metadata says
`encoding: binary/encrypted` and which key id sealed it, so rotation only adds keys. Payloads
without that encoding (histories from before encryption, committed replay histories) pass
through untouched.
"""

import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from security.keys import Keyring

ENCODING = b"binary/encrypted"
KEY_ID_METADATA = "encryption-key-id"
NONCE_BYTES = 12


class PayloadDecryptionError(ValueError):
    """An encrypted payload could not be opened (unknown key id, wrong key or tampered data)."""


class EncryptionCodec(PayloadCodec):
    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self._ciphers: dict[str, AESGCM] = {}

    def _cipher(self, key_id: str) -> AESGCM:
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            try:
                cipher = AESGCM(self.keyring.key(key_id))
            except ValueError as exc:
                raise PayloadDecryptionError(str(exc)) from None
            self._ciphers[key_id] = cipher
        return cipher

    def encrypt(self, payload: Payload) -> Payload:
        key_id = self.keyring.active_id
        nonce = os.urandom(NONCE_BYTES)
        # The key id is authenticated data: relabelling a payload with another id fails to open.
        sealed = self._cipher(key_id).encrypt(nonce, payload.SerializeToString(), key_id.encode())
        return Payload(
            metadata={"encoding": ENCODING, KEY_ID_METADATA: key_id.encode()}, data=nonce + sealed
        )

    def decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        key_id = payload.metadata.get(KEY_ID_METADATA, b"").decode("utf-8", "replace")
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        try:
            plain = self._cipher(key_id).decrypt(nonce, sealed, key_id.encode())
        except InvalidTag:
            raise PayloadDecryptionError(f"payload sealed with key {key_id!r} does not open") from None
        out = Payload()
        out.ParseFromString(plain)
        return out

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.encrypt(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decrypt(p) for p in payloads]
