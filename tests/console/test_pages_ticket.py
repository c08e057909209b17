"""Ticket detail through AppTest: side-by-side translations, escaping, actions and their outcomes."""

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from console.demo_data import HOSTILE_BODY
from console.gateway import TemporalGateway, set_gateway
from domain.actions import AssignRequest
from domain.collaboration_actions import CollaborationRequest
from runtime.settings import get_settings
from store.db import make_engine, make_session_factory
from store.tables import AuditLogRow
from tests.console.conftest import FakeGateway, frame, no_exceptions, on_page, signed_in, texts


def open_ticket(url: str, user: str, ticket_id: str) -> AppTest:
    at = signed_in(url, user)
    at.query_params["ticket"] = ticket_id
    return on_page(at, "ticket_detail")


def audit_rows(url: str, action: str) -> list[AuditLogRow]:
    with make_session_factory(make_engine(url))() as s:
        return list(s.scalars(select(AuditLogRow).where(AuditLogRow.action == action)))


def test_every_message_next_to_its_translation_with_terms_and_clocks(
    console_db: str, gateway: FakeGateway
) -> None:
    at = open_ticket(console_db, "zhang.min", "DEMO-0001")
    shown = texts(at)
    assert "Original (de)" in shown and "Translation (zh)" in shown and "Translation (de)" in shown
    assert "Guten Tag\\, das Gerät startet nach dem :orange-background[Firmware]\\-Update" in shown
    assert "您好，:orange-background[固件]更新后设备无法启动" in shown
    assert "Glossary terms applied: Firmware → 固件" in shown
    assert ":violet-badge[:material/translate: Detected de · confidence 0.99]" in shown
    assert "DEMO PROJECTION DATA" in shown
    link = at.get("link_button")[0]
    assert link.proto.url == f"{get_settings().temporal_ui_url}/namespaces/default/workflows/ticket-DEMO-0001"
    clocks = frame(at, "SLA clock", "Time left")
    assert list(clocks["SLA clock"]) == ["Next reply", "Resolution"]
    assert frame(at, "Event", "By")["Event"].iloc[-1] == "demo"
    # Opening the ticket is audited once per session (reruns do not repeat it).
    at.run()
    views = audit_rows(console_db, "view_ticket")
    assert [(v.actor, v.ticket_id) for v in views] == [("zhang.min", "DEMO-0001")]


def test_untranslatable_message_says_so(console_db: str, gateway: FakeGateway) -> None:
    at = open_ticket(console_db, "zhang.min", "DEMO-0009")
    assert "No translation: no translation model for this language pair" in [w.value for w in at.warning]


def test_html_markdown_and_js_in_a_ticket_are_shown_as_text(console_db: str, gateway: FakeGateway) -> None:
    at = open_ticket(console_db, "zhang.min", "DEMO-0666")
    bodies = [m for m in at.markdown if "alert" in m.value]
    assert bodies, "the hostile text is on the page"
    for m in bodies:
        assert not m.proto.allow_html
        assert "<script>" not in m.value and "](javascript" not in m.value and "**bold**" not in m.value
        unescaped = m.value.replace(":orange-background[", "").replace("]", "")
        assert "\\<script\\>alert\\(1\\)\\<\\/script\\>" in unescaped
    assert "<b>Mallory</b> <mallory@example.com>" in [x.value for x in at.text]  # st.text: never markup
    # The subject is escaped in its heading too, and the raw text never reaches a Markdown element.
    assert all(HOSTILE_BODY not in m.value for m in at.markdown)


def test_assign_goes_through_confirmation_then_a_temporal_update(
    console_db: str, gateway: FakeGateway
) -> None:
    at = open_ticket(console_db, "zhang.min", "DEMO-0002")
    form = at.get("form")
    assert form, "action forms are shown"
    agent_box = next(s for s in at.selectbox if s.label == "Agent")
    agent_box.set_value("somchai.k")
    next(t for t in at.text_input if t.label == "Reason").input("Thai speaker")
    next(b for b in at.button if b.label == "Continue").click().run()
    assert gateway.calls == []  # nothing is sent before the confirmation
    assert "Please confirm: assign DEMO\\-0002 to Somchai Kittisak \\(somchai\\.k\\)" in texts(at)
    at.button(key="ticket_confirm").click().run()
    no_exceptions(at)
    ticket_id, update, arg = gateway.calls[-1]
    assert (ticket_id, update) == ("DEMO-0002", "assign")
    assert arg == AssignRequest(agent_id="somchai.k", team="manila", by="zhang.min", reason="Thai speaker")
    assert any("Done: assign accepted" in s.value for s in at.success)
    (row,) = audit_rows(console_db, "assign")
    assert (row.actor, row.ticket_id, row.outcome) == ("zhang.min", "DEMO-0002", "ok")


def test_a_rejected_update_shows_the_workflows_message(console_db: str, gateway: FakeGateway) -> None:
    at = open_ticket(console_db, "wang.lei", "DEMO-0010")
    next(b for b in at.button if b.label == "Continue" and "note" in str(b.form_id)).click().run()
    at.button(key="ticket_confirm").click().run()
    no_exceptions(at)
    assert [e.value for e in at.error] == ["Rejected by the ticket workflow: note text is empty"]
    (row,) = audit_rows(console_db, "add_note")
    assert row.outcome == "rejected" and row.detail["message"] == "note text is empty"


def test_cancel_sends_nothing(console_db: str, gateway: FakeGateway) -> None:
    at = open_ticket(console_db, "wang.lei", "DEMO-0010")
    next(b for b in at.button if b.label == "Continue" and "resolve" in str(b.form_id)).click().run()
    at.button(key="ticket_cancel").click().run()
    assert gateway.calls == [] and "Please confirm" not in texts(at)


def test_temporal_down_is_a_clear_message(console_db: str, gateway: FakeGateway) -> None:
    # The real gateway against an address where nothing listens.
    real = TemporalGateway(get_settings(), timeout_s=10)
    set_gateway(real)
    try:
        at = open_ticket(console_db, "wang.lei", "DEMO-0010")
        next(b for b in at.button if b.label == "Continue" and "escalate" in str(b.form_id)).click().run()
        at.button(key="ticket_confirm").click().run()
        no_exceptions(at)
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and errors[0].startswith(
            "Temporal is unreachable, so the action was not sent"
        )
        assert audit_rows(console_db, "escalate")[0].outcome == "failed"
    finally:
        real.close()


def test_a_closed_ticket_offers_only_reopen_and_notes(console_db: str, gateway: FakeGateway) -> None:
    at = open_ticket(console_db, "zhang.min", "DEMO-0006")
    assert [t.label for t in at.tabs][3:] == ["Internal note", "Reopen"]
    assert "This ticket is closed; it can only be reopened." in texts(at)


def test_collaboration_tasks_show_and_a_new_request_is_an_update(
    console_db: str, gateway: FakeGateway
) -> None:
    at = open_ticket(console_db, "zhang.min", "DEMO-0003")
    tasks = frame(at, "#", "Question")
    assert list(tasks["#"]) == [1, 2] and list(tasks["Status"]) == ["open", "done"]
    assert tasks["Result (Chinese)"].iloc[1] == "库存 320 台，其余两周内到货。"
    department = next(s for s in at.selectbox if s.label == "Department")
    department.set_value("engineering")
    next(t for t in at.text_area if t.label.startswith("Question for the department")).input("能否远程诊断？")
    next(b for b in at.button if b.label == "Continue" and "collab" in str(b.form_id)).click().run()
    at.button(key="ticket_confirm").click().run()
    no_exceptions(at)
    ticket_id, update, arg = gateway.calls[-1]
    assert (ticket_id, update) == ("DEMO-0003", "request_collaboration")
    assert isinstance(arg, CollaborationRequest)
    assert (arg.department, arg.question, arg.by, arg.deadline_s) == (
        "engineering",
        "能否远程诊断？",
        "zhang.min",
        8 * 3600,
    )
    assert arg.request_id
