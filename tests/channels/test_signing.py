"""Signed status links: valid, tampered, expired, foreign."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channels.signing import ExpiredToken, InvalidToken, StatusLinkSigner, signer_from_settings, status_url
from runtime.settings import Settings

SIGNER = StatusLinkSigner(b"0123456789abcdef-test-secret", timedelta(days=30))
NOW = datetime(2025, 1, 20, 12, 0, tzinfo=UTC)


def test_round_trip_and_expiry() -> None:
    token = SIGNER.sign("E1A2B3C4D5E6F70", now=NOW)
    assert SIGNER.verify(token, now=NOW + timedelta(days=29)) == "E1A2B3C4D5E6F70"
    with pytest.raises(ExpiredToken):
        SIGNER.verify(token, now=NOW + timedelta(days=30, seconds=1))


def test_tampering_and_foreign_secrets_are_rejected() -> None:
    token = SIGNER.sign("T-1", now=NOW)
    other_ticket = SIGNER.sign("T-2", now=NOW)
    ticket_part, expires, mac = token.split(".")
    forged = [
        f"{other_ticket.split('.')[0]}.{expires}.{mac}",  # someone else's ticket, my signature
        f"{ticket_part}.{int(expires) + 86400}.{mac}",  # a longer life
        f"{ticket_part}.{expires}.{mac[:-2]}AA",
        f"{ticket_part}.{expires}",
        "",
        "a.b.c",
    ]
    for bad in forged:
        with pytest.raises(InvalidToken):
            SIGNER.verify(bad, now=NOW)
    with pytest.raises(InvalidToken):
        StatusLinkSigner(b"another-secret-0123456789").verify(token, now=NOW)


@given(st.text(min_size=1, max_size=80))
def test_any_ticket_id_round_trips(ticket_id: str) -> None:
    assert SIGNER.verify(SIGNER.sign(ticket_id, now=NOW), now=NOW) == ticket_id


@given(st.text(max_size=300))
def test_garbage_never_verifies(token: str) -> None:
    with pytest.raises(InvalidToken):
        SIGNER.verify(token, now=NOW)


def test_secret_comes_from_settings_or_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert signer_from_settings(Settings.model_validate({})) is None
    secret_file = tmp_path / "secret"
    secret_file.write_text("file-secret-0123456789\n")
    signer = signer_from_settings(Settings.model_validate({"LINGODESK_STATUS_SECRET_FILE": str(secret_file)}))
    assert signer is not None
    assert StatusLinkSigner(b"file-secret-0123456789").verify(signer.sign("X")) == "X"
    with pytest.raises(ValueError, match="at least"):
        StatusLinkSigner(b"short")
    assert status_url("https://help.example.com/", "tok") == "https://help.example.com/status/tok"
