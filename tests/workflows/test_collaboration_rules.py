"""Pure collaboration helpers: request checks, the department's context, the customer notice."""

from datetime import UTC, datetime

from domain.collaboration import CollaborationTaskRef
from domain.collaboration_actions import CollaborationRequest, PlanCollaborationResult
from domain.status import TicketStatus
from domain.ticket import Customer, Direction, TicketMessage, TicketState
from workflows.collaboration_rules import check_request, progress_notice, ticket_context

PLAN = PlanCollaborationResult(department="logistics", department_name="Logistics",
                               department_name_zh="物流部", assignee="chen.jie",
                               deadline=datetime(2026, 3, 3, 9, tzinfo=UTC),
                               customer_deadline_text="2026-03-03 10:00 (Europe/Berlin)")


def request(**kw: object) -> CollaborationRequest:
    return CollaborationRequest.model_validate({"department": "logistics", "question": "货在哪里？",
                                                "by": "lukas.meyer", **kw})


def test_progress_notice_uses_the_internal_language_and_the_customers_clock() -> None:
    assert progress_notice("zh", PLAN) == (
        "您好，您的问题正在由我们的物流部团队核实，预计在2026-03-03 10:00 (Europe/Berlin)前给您答复。")
    assert progress_notice("en", PLAN) == (
        "Hello, your request is being checked with our Logistics team. "
        "We expect to answer by 2026-03-03 10:00 (Europe/Berlin).")
    assert progress_notice("ja", PLAN).startswith("Hello")  # no built-in template: English


def test_check_request_reasons() -> None:
    state = TicketState(ticket_id="t", status=TicketStatus.PROCESSING, assignee="lukas.meyer")
    assert check_request(state, request()) is None
    assert check_request(state, request(question=" ")) == "the question for the department is empty"
    assert check_request(state, request(deadline_s=0)) == "deadline_s must be positive"
    pending = state.model_copy(update={"status": TicketStatus.PENDING_ASSIGNMENT})
    assert "assign it first" in (check_request(pending, request()) or "")
    pending.collaboration.tasks.append(CollaborationTaskRef(task_no=1, task_id="x", department="logistics",
                                                            request_id="r-1"))
    assert check_request(pending, request(request_id="r-1")) is None  # a retry is answered, not refused


def test_context_carries_the_translated_first_and_latest_messages() -> None:
    messages = [TicketMessage(seq=i, direction=Direction.INBOUND, original_text=f"Nachricht {i}",
                              language="de", translated_text=f"消息 {i}" if i != 4 else None)
                for i in range(1, 5)]
    messages.insert(2, TicketMessage(seq=9, direction=Direction.NOTE, original_text="内部备注"))
    state = TicketState(ticket_id="t", customer=Customer(name="Klaus Weber", country="DE"), language="de",
                        subject="Lieferung", subject_translated="交货", messages=messages)
    context = ticket_context(state)
    assert context.splitlines() == ["Ticket t · Klaus Weber (DE) · language de", "交货", "#1: 消息 1",
                                    "#3: 消息 3", "#4: [de, untranslated] Nachricht 4"]
