"""Console users: scrypt hashes, expiring sessions, disabling, and `lingodesk users`."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import text

from cli.main import main as cli_main
from runtime.settings import get_settings
from store.db import make_engine, make_session_factory
from store.users import (
    UserError,
    authenticate,
    ensure_console_tables,
    hash_password,
    list_users,
    resolve_session,
    revoke_session,
    set_active,
    upsert_user,
    utcnow,
    verify_password,
)

HOUR = timedelta(hours=1)


@pytest.fixture
def sessions(sqlite_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_url)
    ensure_console_tables(engine)
    return make_session_factory(engine)


def test_hash_is_salted_scrypt_and_verifies() -> None:
    a, b = hash_password("correct horse"), hash_password("correct horse")
    assert a.startswith("scrypt$16384$8$1$") and a != b  # a fresh salt each time
    assert verify_password("correct horse", a) and verify_password("correct horse", b)
    assert not verify_password("wrong horse", a)
    assert not verify_password("correct horse", "plain-text-password")


def test_sign_in_resolves_until_expiry_and_never_stores_the_token(sessions) -> None:  # type: ignore[no-untyped-def]
    upsert_user(sessions, "wang.lei", "lingodesk-demo", "agent", "王磊", agent_id="wang.lei")
    assert authenticate(sessions, "wang.lei", "nope-nope", HOUR) is None
    assert authenticate(sessions, "nobody", "lingodesk-demo", HOUR) is None
    opened = authenticate(sessions, "wang.lei", "lingodesk-demo", HOUR)
    assert opened is not None and opened.user.actor_id == "wang.lei"
    user = resolve_session(sessions, opened.token, idle=HOUR)
    assert user is not None and user.role == "agent"
    with sessions() as s:
        stored = [r[0] for r in s.execute(text("select token_hash from sessions"))]
    assert opened.token not in stored and len(stored[0]) == 64
    # Past the absolute TTL the same token is dead.
    assert resolve_session(sessions, opened.token, idle=timedelta(days=1), now=utcnow() + 2 * HOUR) is None


def test_idle_sessions_expire_and_sign_out_revokes(sessions) -> None:  # type: ignore[no-untyped-def]
    upsert_user(sessions, "zhang.min", "lingodesk-demo", "supervisor")
    opened = authenticate(sessions, "zhang.min", "lingodesk-demo", timedelta(hours=8))
    assert opened is not None
    assert (
        resolve_session(
            sessions, opened.token, idle=timedelta(minutes=30), now=utcnow() + timedelta(minutes=45)
        )
        is None
    )
    again = authenticate(sessions, "zhang.min", "lingodesk-demo", timedelta(hours=8))
    assert again is not None
    revoke_session(sessions, again.token)
    assert resolve_session(sessions, again.token, idle=HOUR) is None


def test_disabling_a_user_ends_their_sessions(sessions) -> None:  # type: ignore[no-untyped-def]
    upsert_user(sessions, "chen.jie", "lingodesk-demo", "department", department_id="logistics")
    opened = authenticate(sessions, "chen.jie", "lingodesk-demo", HOUR)
    assert opened is not None
    set_active(sessions, "chen.jie", False)
    assert resolve_session(sessions, opened.token, idle=HOUR) is None
    assert authenticate(sessions, "chen.jie", "lingodesk-demo", HOUR) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"username": "x", "password": "short", "role": "agent"}, "at least 8"),
        ({"username": "x", "password": "long-enough", "role": "wizard"}, "unknown role"),
        ({"username": "x", "password": "long-enough", "role": "department"}, "--department"),
        ({"username": " ", "password": "long-enough", "role": "agent"}, "username"),
    ],
)
def test_bad_user_input_is_refused(sessions, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError, match=message):
        upsert_user(sessions, **kwargs)


def test_cli_users_add_list_disable(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    try:
        monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-passphrase\n"))
        assert (
            cli_main(
                [
                    "users",
                    "add",
                    "li.wei",
                    "--role",
                    "supervisor",
                    "--name",
                    "李伟",
                    "--agent-id",
                    "li.wei",
                    "--password-stdin",
                ]
            )
            == 0
        )
        assert cli_main(["users", "list"]) == 0
        assert "li.wei\tsupervisor\tactive\tagent li.wei" in capsys.readouterr().out
        sessions = make_session_factory(make_engine(sqlite_url))
        assert authenticate(sessions, "li.wei", "s3cret-passphrase", HOUR) is not None
        assert cli_main(["users", "disable", "li.wei"]) == 0
        assert [u.active for u in list_users(sessions)] == [False]
        monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
        assert cli_main(["users", "add", "x", "--role", "agent", "--password-stdin"]) == 2
    finally:
        get_settings.cache_clear()
