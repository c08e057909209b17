"""Overview and ticket list pages through AppTest, on the seeded demo projection."""

from datetime import UTC, datetime

from sqlalchemy import select

from console.demo_seed import bulk_insert_tickets
from store.db import make_engine, make_session_factory
from store.tables import AuditLogRow, NotificationRow
from tests.console.conftest import FakeGateway, frame, no_exceptions, on_page, signed_in, texts


def test_overview_counts_risk_alerts_agents_and_triage(console_db: str, gateway: FakeGateway) -> None:
    at = on_page(signed_in(console_db, "zhang.min"), "overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Pending assignment": "3",
        "Processing": "5",
        "Pending collaboration": "1",
        "Pending reply": "1",
        "Closed": "1",
    }
    risk = frame(at, "SLA clock", "Ticket")
    # Oldest deadline first: DEMO-0004 breached its first reply 21 h ago, DEMO-0007 its assign 20 min ago.
    assert list(risk["Ticket"][:2]) == ["DEMO-0004", "DEMO-0007"]
    assert "DEMO-0002" in list(risk["Ticket"])  # assign due within the hour
    assert list(frame(at, "Ticket", "Created")["Ticket"]) == ["DEMO-0007"]
    agents = frame(at, "Agent", "Load")
    load = dict(zip(agents["Agent"], agents["Tickets"], strict=True))
    assert load["Chloé Martin"] == 2 and load["王磊"] == 2
    assert "SLA first\\_reply breached\\: escalated to supervisor" in texts(at)


def test_acknowledging_an_alert_is_recorded_and_audited(console_db: str, gateway: FakeGateway) -> None:
    at = on_page(signed_in(console_db, "zhang.min"), "overview")
    at.button(key="ack_demo:esc-0004").click().run()
    no_exceptions(at)
    sessions = make_session_factory(make_engine(console_db))
    with sessions() as s:
        row = s.get(NotificationRow, "demo:esc-0004")
        assert row is not None and row.acknowledged_by == "zhang.min" and row.acknowledged_at is not None
        audit = s.scalars(select(AuditLogRow).where(AuditLogRow.action == "acknowledge_alert")).one()
    assert (audit.actor, audit.ticket_id) == ("zhang.min", "DEMO-0004")
    assert "ack_demo:esc-0004" not in [b.key for b in at.button]


def test_ticket_list_filters_and_opens_a_ticket(console_db: str, gateway: FakeGateway) -> None:
    at = on_page(signed_in(console_db, "zhang.min"), "tickets")
    table = at.dataframe(key="ticket_table_0").value
    assert len(table) == 11 and table["Ticket"].is_unique
    at.selectbox(key="f_status").set_value("processing").run()
    assert set(at.dataframe(key="ticket_table_0").value["Status"]) == {"Processing"}
    at.selectbox(key="f_status").set_value("").run()
    at.selectbox(key="f_sla").set_value("breached").run()
    assert sorted(at.dataframe(key="ticket_table_0").value["Ticket"]) == ["DEMO-0004", "DEMO-0007"]
    at.selectbox(key="f_sla").set_value("").run()
    at.text_input(key="f_text").input("Firmware").run()
    assert list(at.dataframe(key="ticket_table_0").value["Ticket"]) == ["DEMO-0001"]
    at.selectbox(key="tickets_pick").set_value("DEMO-0001")
    at.button(key="tickets_open").click().run()
    no_exceptions(at)
    assert "Ticket DEMO\\-0001" in texts(at)


def test_ticket_list_pages_forward_and_back(console_db: str, gateway: FakeGateway) -> None:
    bulk_insert_tickets(make_session_factory(make_engine(console_db)), 120, now=datetime.now(UTC))
    at = on_page(signed_in(console_db, "zhang.min"), "tickets")
    first = list(at.dataframe(key="ticket_table_0").value["Ticket"])
    assert len(first) == 50 and "Page 1" in texts(at)
    at.button(key="page_next").click().run()
    second = list(at.dataframe(key="ticket_table_1").value["Ticket"])
    assert len(second) == 50 and not set(first) & set(second) and "Page 2" in texts(at)
    at.button(key="page_next").click().run()
    third = list(at.dataframe(key="ticket_table_2").value["Ticket"])
    assert len(third) == 131 - 100 and at.button(key="page_next").disabled
    at.button(key="page_prev").click().run()
    assert list(at.dataframe(key="ticket_table_1").value["Ticket"]) == second
    at.button(key="page_first").click().run()
    assert list(at.dataframe(key="ticket_table_0").value["Ticket"]) == first
