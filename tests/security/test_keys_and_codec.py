"""The keyring and the AES-GCM codec: configuration errors, rotation by key id, tamper detection."""

import base64
import os
from pathlib import Path

import pytest
from pydantic import BaseModel
from temporalio.api.common.v1 import Payload

from runtime.client import data_converter, encrypted_converter
from runtime.settings import Settings
from security.codec import ENCODING, KEY_ID_METADATA, EncryptionCodec, PayloadDecryptionError
from security.keys import KeyringError, build_keyring, new_key, parse_keys, write_local_key_file


class Ticket(BaseModel):
    body: str
    email: str


SECRET_TEXT = "Lieferadresse: Hauptstraße 5, 10115 Berlin, Bestellung 4711"


def ring(text: str, active: str | None = None):  # type: ignore[no-untyped-def]
    keyring = build_keyring(text, None, active)
    assert keyring is not None
    return keyring


async def test_a_payload_is_ciphertext_and_round_trips() -> None:
    converter = encrypted_converter(ring(f"k1:{new_key()}"))
    [payload] = await converter.encode([Ticket(body=SECRET_TEXT, email="a@example.com")])
    assert payload.metadata["encoding"] == ENCODING
    assert payload.metadata[KEY_ID_METADATA] == b"k1"
    assert b"Hauptstra" not in payload.SerializeToString() and b"example.com" not in payload.data
    [back] = await converter.decode([payload], [Ticket])
    assert back == Ticket(body=SECRET_TEXT, email="a@example.com")


async def test_old_payloads_decode_after_rotation_and_new_ones_use_the_new_key() -> None:
    k1, k2 = new_key(), new_key()
    before = encrypted_converter(ring(f"k1:{k1}"))
    [old] = await before.encode([Ticket(body="old", email="o@example.com")])
    after = encrypted_converter(ring(f"k1:{k1}\nk2:{k2}"))  # k2 appended: the last key listed is active
    [new] = await after.encode([Ticket(body="new", email="n@example.com")])
    assert new.metadata[KEY_ID_METADATA] == b"k2"
    assert await after.decode([old, new], [Ticket, Ticket]) == [
        Ticket(body="old", email="o@example.com"),
        Ticket(body="new", email="n@example.com"),
    ]
    # A converter without the new key cannot read what was written after the rotation.
    with pytest.raises(PayloadDecryptionError, match="k2"):
        await before.decode([new], [Ticket])


async def test_plain_payloads_pass_through_so_old_histories_still_decode() -> None:
    [plain] = await data_converter(Settings()).encode([Ticket(body="plain", email="p@example.com")])
    assert plain.metadata["encoding"] == b"json/plain"
    [back] = await encrypted_converter(ring(f"k1:{new_key()}")).decode([plain], [Ticket])
    assert back.body == "plain"


async def test_tampered_or_relabelled_payloads_are_refused() -> None:
    codec = EncryptionCodec(ring(f"k1:{new_key()}\nk2:{new_key()}", active="k1"))
    sealed = codec.encrypt(Payload(metadata={"encoding": b"json/plain"}, data=b'"x"'))
    flipped = Payload(metadata=dict(sealed.metadata), data=sealed.data[:-1] + bytes([sealed.data[-1] ^ 1]))
    with pytest.raises(PayloadDecryptionError):
        codec.decrypt(flipped)
    relabelled = Payload(metadata={**sealed.metadata, KEY_ID_METADATA: b"k2"}, data=sealed.data)
    with pytest.raises(PayloadDecryptionError):
        codec.decrypt(relabelled)
    unknown = Payload(metadata={**sealed.metadata, KEY_ID_METADATA: b"k9"}, data=sealed.data)
    with pytest.raises(PayloadDecryptionError, match="k9"):
        codec.decrypt(unknown)


def test_the_same_payload_encrypts_differently_each_time() -> None:
    codec = EncryptionCodec(ring(f"k1:{new_key()}"))
    payload = Payload(metadata={"encoding": b"json/plain"}, data=b'"same"')
    assert codec.encrypt(payload).data != codec.encrypt(payload).data


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("k1", "expected"),
        ("k1:not-base64!", "base64"),
        (f"k1:{base64.b64encode(os.urandom(16)).decode()}", "AES-256 needs 32"),
        (f"k1:{new_key()},k1:{new_key()}", "twice"),
        (f"bad id:{new_key()}", "expected"),
    ],
)
def test_bad_key_configuration_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(KeyringError, match=message) as err:
        parse_keys(text)
    # The error never echoes key material.
    assert text.partition(":")[2][:12] not in str(err.value) or not text.partition(":")[2]


def test_keys_from_file_and_environment_and_the_active_id(tmp_path: Path) -> None:
    file_key, env_key = new_key(), new_key()
    keys_file = tmp_path / "keys"
    keys_file.write_text(f"# rotation log\nold:{file_key}\n", encoding="utf-8")
    keyring = build_keyring(f"new:{env_key}", keys_file, None)
    assert keyring is not None and keyring.active_id == "new" and set(keyring.keys) == {"old", "new"}
    assert build_keyring(f"new:{env_key}", keys_file, "old").active_id == "old"  # type: ignore[union-attr]
    with pytest.raises(KeyringError, match="not in the keyring"):
        build_keyring(f"new:{env_key}", keys_file, "missing")
    with pytest.raises(KeyringError, match="no payload keys"):
        build_keyring(None, None, "new")
    assert build_keyring(None, None, None) is None
    assert env_key not in repr(keyring) and file_key not in str(keyring)


def test_settings_wire_the_keyring_into_the_project_converter(tmp_path: Path) -> None:
    keys_file = write_local_key_file(tmp_path / "data" / "payload_keys")
    assert oct(keys_file.stat().st_mode & 0o777) == "0o600"
    first = keys_file.read_text(encoding="utf-8")
    assert write_local_key_file(keys_file).read_text(encoding="utf-8") == first  # created once, kept
    settings = Settings.model_validate({"LINGODESK_PAYLOAD_KEYS_FILE": str(keys_file)})
    converter = data_converter(settings)
    assert isinstance(converter.payload_codec, EncryptionCodec)
    assert converter.payload_codec.keyring.active_id == "local-1"
    assert data_converter(Settings()).payload_codec is None
