"""Every view of customer data in the console is audited by whom: ticket detail, workspace
(the conversation), a department's task (the question quotes the customer), customer searches."""

import hashlib

from sqlalchemy import select

from store.db import make_engine, make_session_factory
from store.tables import AuditLogRow
from tests.console.conftest import (  # noqa: F401 - fixtures used by name
    FakeGateway,
    console_db,
    gateway,
    no_exceptions,
    on_page,
    signed_in,
)


def audit(url: str) -> list[tuple[str, str, str | None]]:
    with make_session_factory(make_engine(url))() as s:
        rows = s.scalars(
            select(AuditLogRow).where(AuditLogRow.action != "sign_in").order_by(AuditLogRow.audit_id)
        )
        return [(r.actor, r.action, r.ticket_id) for r in rows]


def test_ticket_and_workspace_views_are_audited(console_db: str, gateway: FakeGateway) -> None:  # noqa: F811
    at = signed_in(console_db, "zhang.min")
    at.query_params["ticket"] = "DEMO-0002"
    on_page(at, "ticket_detail")
    on_page(signed_in(console_db, "wang.lei"), "workspace")
    views = audit(console_db)
    assert ("zhang.min", "view_ticket", "DEMO-0002") in views
    assert [v for v in views if v[1] == "view_workspace"] and all(
        v[0] == "wang.lei" and v[2] for v in views if v[1] == "view_workspace"
    )


def test_a_department_task_view_is_audited(console_db: str, gateway: FakeGateway) -> None:  # noqa: F811
    at = on_page(signed_in(console_db, "chen.jie"), "departments")
    at.selectbox(key="task_pick").set_value("ticket-DEMO-0003-task-1").run()
    no_exceptions(at)
    tasks = [v for v in audit(console_db) if v[1] == "view_task"]
    assert ("chen.jie", "view_task", "DEMO-0003") in tasks
    at.run()  # a rerun of the same view is not a second entry
    assert [v for v in audit(console_db) if v[1] == "view_task"] == tasks


def test_customer_searches_are_audited_without_the_terms(console_db: str, gateway: FakeGateway) -> None:  # noqa: F811
    at = on_page(signed_in(console_db, "zhang.min"), "tickets")
    at.text_input(key="f_text").input("k.weber@example.de").run()
    no_exceptions(at)
    at.run()
    with make_session_factory(make_engine(console_db))() as s:
        [row] = s.scalars(select(AuditLogRow).where(AuditLogRow.action == "search_tickets")).all()
    assert row.actor == "zhang.min" and "k.weber" not in str(row.detail)
    assert row.detail["terms_sha256"] == hashlib.sha256(b"k.weber@example.de").hexdigest()
    assert isinstance(row.detail["results"], int)
