"""The codec endpoint over HTTP (Starlette test client): auth, CORS for the Web UI, audit, errors."""

import base64
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from temporalio.api.common.v1 import Payload

from security.codec import EncryptionCodec
from security.codec_server import COOKIE, create_codec_app, sql_audit
from security.codec_tokens import CodecTokens, new_token, token_hash
from security.keys import build_keyring, new_key
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from store.tables import AuditLogRow

UI = "http://localhost:8233"


@pytest.fixture
def setup(tmp_path: Path, sqlite_url: str):  # type: ignore[no-untyped-def]
    keyring = build_keyring(f"k1:{new_key()}", None, None)
    assert keyring is not None
    token, line = new_token("alice")
    tokens_file = tmp_path / "codec_tokens"
    tokens_file.write_text(f"# engineers allowed to decode\n{line}\n", encoding="utf-8")
    upgrade(sqlite_url)
    sessions = make_session_factory(make_engine(sqlite_url))
    codec = EncryptionCodec(keyring)
    app = create_codec_app(codec, CodecTokens.from_file(tokens_file), [UI], audit=sql_audit(sessions))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://codec.test")
    return client, codec, token, sessions


def body(*payloads: Payload) -> dict[str, list[dict[str, object]]]:
    return {
        "payloads": [
            {
                "metadata": {k: base64.b64encode(v).decode() for k, v in p.metadata.items()},
                "data": base64.b64encode(p.data).decode(),
            }
            for p in payloads
        ]
    }


PLAIN = Payload(metadata={"encoding": b"json/plain"}, data='{"body":"Rechnung für Frau Müller"}'.encode())


async def test_decode_needs_a_known_token(setup) -> None:  # type: ignore[no-untyped-def]
    client, codec, token, _ = setup
    sealed = codec.encrypt(PLAIN)
    assert (await client.post("/decode", json=body(sealed))).status_code == 401
    assert (
        await client.post("/decode", json=body(sealed), headers={"Authorization": "Bearer nope"})
    ).status_code == 401
    resp = await client.post(
        "/decode", json=body(sealed), headers={"Authorization": f"Bearer {token}", "X-Namespace": "default"}
    )
    assert resp.status_code == 200
    [out] = resp.json()["payloads"]
    assert base64.b64decode(out["data"]) == PLAIN.data
    assert base64.b64decode(out["metadata"]["encoding"]) == b"json/plain"


async def test_encode_then_decode_round_trip(setup) -> None:  # type: ignore[no-untyped-def]
    client, _, token, _ = setup
    auth = {"Authorization": f"Bearer {token}"}
    encoded = (await client.post("/encode", json=body(PLAIN), headers=auth)).json()
    [enc] = encoded["payloads"]
    assert base64.b64decode(enc["metadata"]["encoding"]) == b"binary/encrypted"
    assert "Müller".encode() not in base64.b64decode(enc["data"])
    decoded = (await client.post("/decode", json=encoded, headers=auth)).json()
    assert base64.b64decode(decoded["payloads"][0]["data"]) == PLAIN.data


async def test_cors_allows_the_web_ui_origin_only(setup) -> None:  # type: ignore[no-untyped-def]
    client, _, _, _ = setup
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-namespace,authorization",
    }
    ok = await client.options("/decode", headers={"Origin": UI, **preflight})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == UI
    assert ok.headers["access-control-allow-credentials"] == "true"
    assert "x-namespace" in ok.headers["access-control-allow-headers"].lower()
    evil = await client.options("/decode", headers={"Origin": "https://evil.example", **preflight})
    assert evil.status_code == 400 and "access-control-allow-origin" not in evil.headers


async def test_web_ui_sign_in_sets_an_http_only_cookie(setup) -> None:  # type: ignore[no-untyped-def]
    client, codec, token, _ = setup
    assert (await client.post("/login", data={"token": "wrong"})).status_code == 401
    resp = await client.post("/login", data={"token": token}, follow_redirects=False)
    assert resp.status_code == 303
    cookie = resp.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    client.cookies.set(COOKIE, token)
    assert (await client.post("/decode", json=body(codec.encrypt(PLAIN)))).status_code == 200


async def test_every_use_is_audited_without_payload_contents(setup) -> None:  # type: ignore[no-untyped-def]
    client, codec, token, sessions = setup
    auth = {"Authorization": f"Bearer {token}", "X-Namespace": "default"}
    await client.post("/decode", json=body(codec.encrypt(PLAIN), codec.encrypt(PLAIN)), headers=auth)
    await client.post("/decode", json=body(codec.encrypt(PLAIN)))  # refused: not audited as a decode
    with sessions() as s:
        rows = list(s.scalars(select(AuditLogRow).where(AuditLogRow.action == "codec.decode")))
    assert [(r.actor, r.detail) for r in rows] == [("alice", {"namespace": "default", "payloads": 2})]


async def test_bad_requests_are_clear_errors(setup) -> None:  # type: ignore[no-untyped-def]
    client, _, token, _ = setup
    auth = {"Authorization": f"Bearer {token}"}
    assert (await client.post("/decode", content=b"not json", headers=auth)).status_code == 400
    other = EncryptionCodec(build_keyring(f"k7:{new_key()}", None, None))  # type: ignore[arg-type]
    resp = await client.post("/decode", json=body(other.encrypt(PLAIN)), headers=auth)
    assert resp.status_code == 422 and "k7" in resp.json()["error"]


def test_the_tokens_file_holds_hashes_only(tmp_path: Path) -> None:
    token, line = new_token("bob")
    assert token not in line and line == f"bob:{token_hash(token)}"
    path = tmp_path / "tokens"
    path.write_text("bob:plaintext-token\n", encoding="utf-8")
    with pytest.raises(ValueError, match="sha256"):
        CodecTokens.from_file(path)


def test_cli_prints_new_keys_and_tokens(capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main
    from security.keys import parse_keys

    assert main(["codec-server", "--new-key", "2026-11"]) == 0
    assert list(parse_keys(capsys.readouterr().out)) == ["2026-11"]
    assert main(["codec-server", "--new-key", "no spaces allowed"]) == 2
    assert main(["codec-server", "--new-token", "carol"]) == 0
    out = capsys.readouterr().out
    token = out.split("shown once): ")[1].split()[0]
    assert f"carol:{token_hash(token)}" in out
