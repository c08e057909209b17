"""Sign-in, expiry, roles, language switch and the degraded states, through AppTest."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from runtime.settings import get_settings
from store.db import make_engine, make_session_factory
from store.tables import AuditLogRow
from tests.console.conftest import APP, FakeGateway, no_exceptions, on_page, signed_in, texts


def audit_actions(url: str) -> list[tuple[str, str, str]]:
    with make_session_factory(make_engine(url))() as s:
        return [
            (r.actor, r.action, r.outcome)
            for r in s.scalars(select(AuditLogRow).order_by(AuditLogRow.audit_id))
        ]


def test_sign_in_form_refuses_a_wrong_password_and_admits_the_right_one(
    console_db: str, gateway: FakeGateway
) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    no_exceptions(at)
    assert [b.label for b in at.button] == ["Sign in"] or at.get("form_submit_button")
    at.text_input(key="sign_in_username").input("zhang.min")
    at.text_input(key="sign_in_password").input("not-the-password")
    at.button[0].click().run()
    assert "Wrong username or password." in texts(at)
    at.text_input(key="sign_in_password").input("lingodesk-demo")
    at.button[0].click().run()
    no_exceptions(at)
    assert "Supervisor overview" in texts(at)  # a supervisor lands on the overview
    assert audit_actions(console_db)[-2:] == [
        ("zhang.min", "sign_in", "rejected"),
        ("zhang.min", "sign_in", "ok"),
    ]


def test_an_expired_session_goes_back_to_sign_in(console_db: str, gateway: FakeGateway) -> None:
    at = signed_in(console_db, "zhang.min", ttl=timedelta(seconds=-1))
    at.run()
    no_exceptions(at)
    assert "Your session expired. Please sign in again." in texts(at)
    assert at.text_input(key="sign_in_username") is not None
    assert "session_token" not in at.session_state


def test_sign_out_ends_the_session(console_db: str, gateway: FakeGateway) -> None:
    at = signed_in(console_db, "wang.lei")
    at.run()
    token = at.session_state["session_token"]
    at.button(key="sign_out").click().run()
    no_exceptions(at)
    assert at.text_input(key="sign_in_username") is not None
    again = signed_in(console_db, "wang.lei")
    again.session_state["session_token"] = token  # the old token no longer opens anything
    again.run()
    assert again.text_input(key="sign_in_username") is not None


@pytest.mark.parametrize(
    ("user", "home", "forbidden"),
    [
        ("wang.lei", "My workspace", "admin"),
        ("chen.jie", "Collaboration tasks", "overview"),
        ("zhang.min", "Supervisor overview", "admin"),
    ],
)
def test_each_role_gets_its_pages_only(
    console_db: str, gateway: FakeGateway, user: str, home: str, forbidden: str
) -> None:
    at = signed_in(console_db, user)
    at.run()
    no_exceptions(at)
    assert home in texts(at)
    with pytest.raises(ValueError, match="Could not find a navigation page") as refused:
        at.switch_page(f"app_pages/{forbidden}.py")  # not registered in this role's navigation
    assert f"{forbidden}.py" not in str(refused.value).split("Known pages")[1]


def test_admin_reaches_admin(console_db: str, gateway: FakeGateway) -> None:
    at = on_page(signed_in(console_db, "admin"), "admin")
    assert "Administration" in texts(at)


def test_the_language_switch_changes_every_label(console_db: str, gateway: FakeGateway) -> None:
    at = signed_in(console_db, "zhang.min", lang="zh")
    at.run()
    assert "主管总览" in texts(at) and "待分配" in [m.label for m in at.metric]
    at.segmented_control(key="lang").set_value("en").run()
    no_exceptions(at)
    assert "Supervisor overview" in texts(at) and "Pending assignment" in [m.label for m in at.metric]


def test_database_down_shows_a_message_not_a_traceback(
    console_db: str, gateway: FakeGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = signed_in(console_db, "zhang.min")
    at.run()
    # Same browser session, then the database goes away (a PostgreSQL nobody listens on).
    monkeypatch.setenv("DATABASE_URL", "postgresql://lingodesk@127.0.0.1:1/lingodesk?connect_timeout=2")
    get_settings.cache_clear()
    at.run()
    no_exceptions(at)
    assert "The ticket database is unavailable" in texts(at)
    assert "session_token" in at.session_state  # an outage is not a sign-out


def test_department_members_see_only_tickets_their_department_works_on(
    console_db: str, gateway: FakeGateway
) -> None:
    at = signed_in(console_db, "chen.jie")
    at.query_params["ticket"] = "DEMO-0003"  # logistics has a task on it
    on_page(at, "ticket_detail")
    assert "Ticket DEMO\\-0003" in texts(at)
    other = signed_in(console_db, "chen.jie")
    other.query_params["ticket"] = "DEMO-0001"  # no logistics task
    on_page(other, "ticket_detail")
    assert "Your role cannot do this." in [e.value for e in other.error]
    assert "Guten Tag" not in texts(other)
    assert ("chen.jie", "view_ticket", "rejected") in audit_actions(console_db)
