"""The Overview's hot-issue section (AppTest): the alert with its tickets, acknowledge, audit."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from insights.spikes import HotGroup
from store.db import make_engine, make_session_factory
from store.hot_issues import apply_groups, list_alerts
from store.tables import AuditLogRow, HotIssueAlertRow
from tests.console.conftest import FakeGateway, no_exceptions, on_page, signed_in, texts

SUMMARY = "battery, overheating, model X200: 3 tickets in 6 hours from de, en"


def raise_alert(url: str) -> int:
    sessions = make_session_factory(make_engine(url))
    now = datetime.now(UTC)
    group = HotGroup(
        keys=["concept:electronics/battery", "model:X200"],
        label="battery, overheating, model X200",
        ticket_ids=["DEMO-0001", "DEMO-0002", "DEMO-0003"],
        languages=["de", "en"],
        expected=0.0,
        window_hours=6.0,
    )
    created = {t: now - timedelta(hours=i) for i, t in enumerate(group.ticket_ids)}
    languages = {"DEMO-0001": "de", "DEMO-0002": "en", "DEMO-0003": "en"}
    with sessions.begin() as session:
        (change,) = apply_groups(session, [group], now, timedelta(hours=24), languages, created)
    return change.alert_id


def test_supervisor_sees_the_hot_issue_and_acknowledges_it(console_db: str, gateway: FakeGateway) -> None:
    alert_id = raise_alert(console_db)
    at = on_page(signed_in(console_db, "zhang.min"), "overview")
    shown = texts(at)
    assert "Hot issues (cross-language spikes)" in shown
    assert SUMMARY.replace(",", "\\,") in shown or SUMMARY in shown.replace("\\", "")
    columns = ["Ticket", "Language", "Status", "Subject", "Created"]
    table = next(d.value for d in at.dataframe if list(d.value.columns) == columns)
    assert list(table["Ticket"]) == ["DEMO-0003", "DEMO-0002", "DEMO-0001"]  # oldest report first

    at.button(key=f"ack_hot_{alert_id}").click().run()
    no_exceptions(at)
    sessions = make_session_factory(make_engine(console_db))
    with sessions() as session:
        row = session.get(HotIssueAlertRow, alert_id)
        assert row is not None and row.acknowledged_by == "zhang.min" and row.acknowledged_at is not None
        audit = session.scalars(
            select(AuditLogRow).where(AuditLogRow.action == "acknowledge_hot_issue")
        ).all()
        assert [(a.actor, a.detail) for a in audit] == [("zhang.min", {"alert": alert_id})]
    assert "acknowledged by zhang.min" in texts(at).replace("\\", "")
    assert f"ack_hot_{alert_id}" not in [b.key for b in at.button]
    assert list_alerts(sessions)[0].acknowledged_by == "zhang.min"


def test_chinese_console_and_no_alerts(console_db: str, gateway: FakeGateway) -> None:
    at = on_page(signed_in(console_db, "zhang.min", lang="zh"), "overview")
    assert "热点问题（跨语言激增）" in texts(at)
    assert not any((b.key or "").startswith("ack_hot_") for b in at.button)
