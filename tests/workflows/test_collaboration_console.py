"""The "change deadline" form in the console (department view and ticket detail), through AppTest:
it proposes a `ChangeDeadlineRequest` in the department's time zone, sent after confirmation.
What the workflow does with it is tested in test_collaboration_deadline*.py."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.collaboration_actions import ChangeDeadlineRequest
from tests.console.conftest import (  # noqa: F401  (fixtures of the console tests)
    FakeGateway,
    console_db,
    gateway,
    no_exceptions,
    on_page,
    signed_in,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_department_member_moves_a_deadline(console_db: str, gateway: FakeGateway) -> None:  # noqa: F811
    at = on_page(signed_in(console_db, "chen.jie"), "departments")
    at.selectbox(key="task_pick").set_value("ticket-DEMO-0003-task-1").run()
    task = "ticket-DEMO-0003-task-1"
    day = (datetime.now(SHANGHAI) + timedelta(days=2)).date()
    at.date_input(key=f"dl_day_task_{task}").set_value(day)
    at.time_input(key=f"dl_time_task_{task}").set_value(time(17, 30))
    at.text_input(key=f"dl_reason_task_{task}").input("等待海关放行")
    next(b for b in at.button if b.label == "Continue" and "deadline" in str(b.form_id)).click().run()
    at.button(key="task_confirm").click().run()
    no_exceptions(at)
    task_id, kind, arg = gateway.calls[-1]
    assert (task_id, kind) == (task, "ChangeDeadlineRequest")
    assert isinstance(arg, ChangeDeadlineRequest) and arg.by == "chen.jie" and arg.reason == "等待海关放行"
    assert arg.deadline == datetime.combine(day, time(17, 30), tzinfo=SHANGHAI)


def test_agent_moves_a_deadline_from_the_ticket(console_db: str, gateway: FakeGateway) -> None:  # noqa: F811
    at = signed_in(console_db, "wang.lei")
    at.session_state["ticket_id"] = "DEMO-0003"
    at = on_page(at, "ticket_detail")
    no_exceptions(at)
    task = "ticket-DEMO-0003-task-1"
    day = (datetime.now(SHANGHAI) + timedelta(days=1)).date()
    at.date_input(key=f"dl_day_ticket_{task}").set_value(day)
    at.time_input(key=f"dl_time_ticket_{task}").set_value(time(9, 0))
    at.text_input(key=f"dl_reason_ticket_{task}").input("客户同意延期")
    next(b for b in at.button if b.label == "Continue" and "deadline" in str(b.form_id)).click().run()
    at.button(key="ticket_confirm").click().run()
    no_exceptions(at)
    task_id, kind, arg = gateway.calls[-1]
    assert (task_id, kind) == (task, "ChangeDeadlineRequest")
    assert isinstance(arg, ChangeDeadlineRequest) and arg.by == "wang.lei"
    assert arg.deadline == datetime.combine(day, time(9, 0), tzinfo=SHANGHAI)
