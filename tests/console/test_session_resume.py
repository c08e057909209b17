"""A signed-in session survives a browser reload (token in the URL) until it expires or is signed out."""

from datetime import timedelta

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from console.auth import TOKEN_KEY, URL_TOKEN_KEY
from store.db import make_engine, make_session_factory
from store.tables import AuditLogRow, ConsoleSessionRow
from store.users import _token_hash, authenticate
from tests.console.conftest import APP, DEMO_PASSWORD, FakeGateway, no_exceptions, texts


def fresh_browser(token: str | None = None) -> AppTest:
    """A reload: a new Streamlit session (empty session state), only the URL carries over."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    if token is not None:
        at.query_params[URL_TOKEN_KEY] = token
    return at


def sign_in(at: AppTest, username: str) -> AppTest:
    at.run()
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(DEMO_PASSWORD)
    at.button[0].click().run()
    no_exceptions(at)
    return at


def test_sign_in_puts_a_token_in_the_url_and_a_reload_resumes(console_db: str, gateway: FakeGateway) -> None:
    at = sign_in(fresh_browser(), "zhang.min")
    token = at.session_state[TOKEN_KEY]
    assert at.query_params[URL_TOKEN_KEY] == token
    sessions = make_session_factory(make_engine(console_db))
    with sessions() as session:  # the store keeps only the hash, never the token
        row = session.get(ConsoleSessionRow, _token_hash(token))
        assert row is not None and row.username == "zhang.min"
        assert session.scalar(select(ConsoleSessionRow).where(ConsoleSessionRow.token_hash == token)) is None

    reloaded = fresh_browser(token)
    reloaded.run()
    no_exceptions(reloaded)
    assert not reloaded.text_input  # no sign-in form
    assert reloaded.session_state["user"].username == "zhang.min"
    assert reloaded.session_state[TOKEN_KEY] == token
    with sessions() as session:
        actions = session.scalars(select(AuditLogRow.action).where(AuditLogRow.actor == "zhang.min")).all()
        assert "resume_session" in actions


def test_an_expired_token_in_the_url_asks_to_sign_in_and_is_dropped(
    console_db: str, gateway: FakeGateway
) -> None:
    sessions = make_session_factory(make_engine(console_db))
    opened = authenticate(sessions, "zhang.min", DEMO_PASSWORD, timedelta(seconds=-1))  # already expired
    assert opened is not None
    at = fresh_browser(opened.token)
    at.run()
    no_exceptions(at)
    assert at.text_input(key="sign_in_username") is not None
    assert "user" not in at.session_state
    assert URL_TOKEN_KEY not in at.query_params


def test_a_made_up_token_is_refused(console_db: str, gateway: FakeGateway) -> None:
    at = fresh_browser("x" * 43)
    at.run()
    no_exceptions(at)
    assert at.text_input(key="sign_in_username") is not None
    assert "user" not in at.session_state


def test_sign_out_revokes_the_token_so_a_reload_cannot_resume(console_db: str, gateway: FakeGateway) -> None:
    at = sign_in(fresh_browser(), "zhang.min")
    token = at.session_state[TOKEN_KEY]
    at.button(key="sign_out").click().run()
    no_exceptions(at)
    assert URL_TOKEN_KEY not in at.query_params
    reloaded = fresh_browser(token)  # e.g. the old URL from the browser history
    reloaded.run()
    assert "user" not in reloaded.session_state
    assert "sign_in_username" in [e.key for e in reloaded.text_input]
    assert texts(reloaded)  # the sign-in page rendered
