"""Agent workspace, departments and admin pages through AppTest."""

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from console import translation
from domain.actions import ReplyRequest
from domain.collaboration_actions import CompleteTaskRequest
from domain.nlp import AppliedTerm, TranslateRequest, TranslationResult, TranslationState
from runtime.settings import get_settings
from store.db import make_engine, make_session_factory
from store.tables import AuditLogRow
from store.users import authenticate
from tests.console.conftest import FakeGateway, frame, no_exceptions, on_page, signed_in, texts


def workspace(url: str, ticket_id: str) -> AppTest:
    at = on_page(signed_in(url, "wang.lei"), "workspace")
    at.selectbox(key="ws_ticket").set_value(ticket_id).run()
    no_exceptions(at)
    return at


def test_my_queue_is_mine_most_urgent_first(console_db: str, gateway: FakeGateway) -> None:
    at = on_page(signed_in(console_db, "wang.lei"), "workspace")
    queue = at.dataframe(key="ws_queue").value
    assert list(queue["Ticket"]) == ["DEMO-0010", "DEMO-0666"]  # 30 min to first reply before 230
    assert set(queue["Assignee"]) == {"wang.lei"}
    assert "ws_agent" not in [s.key for s in at.selectbox]  # an agent cannot look at other queues


def test_preview_marks_glossary_terms_then_send_after_confirmation(
    console_db: str, gateway: FakeGateway
) -> None:
    def with_terms(req: TranslateRequest) -> TranslationResult:
        return TranslationResult(
            state=TranslationState.TRANSLATED,
            source=req.source,
            target=req.target,
            text="Please update the firmware.",
            engine="fake",
            applied_terms=[AppliedTerm(source="固件", target="firmware")],
        )

    translation.set_translate_fn(with_terms)
    at = workspace(console_db, "DEMO-0666")
    history = texts(at)
    assert "Original (en)" in history and "Translation (zh)" in history
    at.text_area(key="reply_DEMO-0666").input("请更新固件。")
    at.button(key="ws_preview").click().run()
    assert "Please update the :orange-background[firmware]\\." in texts(at)
    at.button(key="ws_send").click().run()
    assert gateway.calls == []
    at.button(key="reply_confirm").click().run()
    no_exceptions(at)
    ticket_id, update, arg = gateway.calls[-1]
    assert (ticket_id, update) == ("DEMO-0666", "reply") and isinstance(arg, ReplyRequest)
    assert arg.agent_id == "wang.lei" and arg.text == "请更新固件。" and arg.request_id


def test_no_translation_model_is_a_clear_state(console_db: str, gateway: FakeGateway) -> None:
    translation.set_translate_fn(
        lambda req: TranslationResult(
            state=TranslationState.UNAVAILABLE,
            source=req.source,
            target=req.target,
            detail=f"no translation model for {req.source}->{req.target} (no models installed)",
        )
    )
    at = workspace(console_db, "DEMO-0666")
    at.text_area(key="reply_DEMO-0666").input("您好")
    at.button(key="ws_preview").click().run()
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith("No translation model for zh → en.") and "no models installed" in warning


def test_an_empty_reply_is_not_sent(console_db: str, gateway: FakeGateway) -> None:
    at = workspace(console_db, "DEMO-0010")
    at.button(key="ws_send").click().run()
    assert "Write a reply first." in texts(at) and gateway.calls == []


def test_a_filled_template_sends_its_approved_customer_text(console_db: str, gateway: FakeGateway) -> None:
    at = on_page(signed_in(console_db, "lukas.meyer"), "workspace")
    assert at.selectbox(key="ws_ticket").value == "DEMO-0001"
    at.selectbox(key="tpl_DEMO-0001").set_value("firmware_update").run()
    fields = {t.label: t for t in at.text_input}
    fields["客户姓名"].input("Klaus Weber")
    fields["产品型号"].input("XL-2000")
    fields["固件版本"].input("v2.3.1")
    fields["下载链接"].input("https://example.com/fw.bin")
    next(b for b in at.button if b.label == "Fill in the template").click().run()
    no_exceptions(at)
    chinese = at.text_area(key="reply_DEMO-0001").value
    assert chinese is not None and chinese.startswith("Klaus Weber，您好！") and "v2.3.1" in chinese
    assert "Approved text in the customer's language; it is sent as shown." in texts(at)
    assert "Guten Tag Klaus Weber" in texts(at)
    at.button(key="ws_send").click().run()
    at.button(key="reply_confirm").click().run()
    no_exceptions(at)
    _, update, arg = gateway.calls[-1]
    assert update == "reply" and isinstance(arg, ReplyRequest)
    assert arg.template == "firmware_update" and arg.text == chinese
    assert arg.customer_text is not None and arg.customer_text.startswith("Guten Tag Klaus Weber")


def test_department_member_completes_a_task(console_db: str, gateway: FakeGateway) -> None:
    at = on_page(signed_in(console_db, "chen.jie"), "departments")
    assert "dept_pick" not in [s.key for s in at.selectbox]  # fixed to their own department
    tasks = frame(at, "Question", "Overdue")
    assert list(tasks["Ticket"]) == ["DEMO-0004", "DEMO-0003"]  # the overdue one first
    assert list(tasks["Overdue"]) == ["🔴", ""]
    at.selectbox(key="task_pick").set_value("ticket-DEMO-0003-task-1").run()
    next(t for t in at.text_area if t.label == "Result (Chinese)").input("下周三可发货。")
    next(b for b in at.button if b.label == "Continue" and "complete" in str(b.form_id)).click().run()
    at.button(key="task_confirm").click().run()
    no_exceptions(at)
    task_id, kind, arg = gateway.calls[-1]
    assert (task_id, kind) == ("ticket-DEMO-0003-task-1", "CompleteTaskRequest")
    assert isinstance(arg, CompleteTaskRequest) and arg.by == "chen.jie" and arg.result == "下周三可发货。"


def test_admin_tabs_glossary_upload_users_and_audit(console_db: str, gateway: FakeGateway) -> None:
    at = on_page(signed_in(console_db, "admin"), "admin")
    assert "wang.lei" in list(frame(at, "Agent", "Presence")["Agent"])
    assert "Built-in default policy" in texts(at)
    csv = "domain,zh,en\nlogistics,运单号,tracking number\n".encode()
    at.file_uploader(key="glossary_upload").upload("shipping.csv", csv).run()
    no_exceptions(at)
    assert any("Valid: 1 concepts in zh, en" in s.value for s in at.success)
    assert (Path(get_settings().glossaries_dir) / "shipping.csv").exists()
    at.file_uploader(key="glossary_upload").upload("bad.csv", "zh,en\n运,x\n".encode()).run()
    assert "The glossary was not saved. Fix these problems:" in texts(at)
    assert "bad.csv:1" in at.code[0].value and "domain" in at.code[0].value  # file and line named
    assert not (Path(get_settings().glossaries_dir) / "bad.csv").exists()
    entry = (
        '<termEntry><langSet xml:lang="zh"><tig><term>运单号</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>tracking number</term></tig></langSet></termEntry>'
    )
    tbx = f'<martif type="TBX-Basic"><text><body>{entry}</body></text></martif>'.encode()
    at.file_uploader(key="glossary_upload").upload("supplier.tbx", tbx).run()
    assert any("Valid: 1 concepts in zh, en" in s.value for s in at.success)
    stored = (Path(get_settings().glossaries_dir) / "supplier.csv").read_text(encoding="utf-8")
    assert stored.splitlines()[0] == "domain,zh,en,note,dnt" and "运单号,tracking number" in stored

    next(t for t in at.text_input if t.label == "Username").input("sun.li")
    next(t for t in at.text_input if t.label == "Display name").input("孙丽")
    next(s for s in at.selectbox if s.label == "Role").set_value("department")
    next(t for t in at.text_input if t.label.startswith("Department id")).input("warehouse")
    next(t for t in at.text_input if t.label == "Password").input("warehouse-pass")
    next(b for b in at.button if b.label == "Continue" and "f_user" in str(b.form_id)).click().run()
    no_exceptions(at)
    assert any("User sun\\.li saved." in s.value for s in at.success)
    assert (
        authenticate(
            make_session_factory(make_engine(console_db)), "sun.li", "warehouse-pass", timedelta(hours=1)
        )
        is not None
    )
    with make_session_factory(make_engine(console_db))() as s:
        actions = [r.action for r in s.scalars(select(AuditLogRow).order_by(AuditLogRow.audit_id))]
    assert actions.count("upload_glossary") == 3 and "upsert_user" in actions


def test_admin_approves_a_template_variant(console_db: str, gateway: FakeGateway) -> None:
    from templates.loader import load_catalog
    from templates.render import template_variables

    source = load_catalog().get("out_of_office")
    placeholders = " ".join("{{ " + v + " }}" for v in sorted(template_variables(source.text)))
    at = on_page(signed_in(console_db, "admin"), "admin")
    next(s for s in at.selectbox if s.label == "Template").set_value("out_of_office")
    next(s for s in at.selectbox if s.label == "Language").set_value("it")
    next(t for t in at.text_area if t.label.startswith("Variant text")).input(
        "Gentile cliente, siamo chiusi."
    )
    next(b for b in at.button if b.label == "Approve").click().run()
    assert any("placeholders must match the Chinese source" in e.value for e in at.error)
    next(t for t in at.text_area if t.label.startswith("Variant text")).input(
        f"Gentile cliente {placeholders}."
    )
    next(b for b in at.button if b.label == "Approve").click().run()
    no_exceptions(at)
    assert any("out\\_of\\_office [it] approved (revision 1)." in s.value for s in at.success)
    table = frame(at, "Template", "Status", "Origin")
    row = table[(table["Template"] == "out_of_office") & (table["Language"] == "it")]
    assert list(row["Status"]) == ["approved"] and list(row["Origin"]) == ["store"]
