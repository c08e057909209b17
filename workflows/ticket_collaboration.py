"""Collaboration seen from the ticket: open a CollaborationWorkflow child, track it, apply its events.

Called from TicketWorkflow's `request_collaboration` update, `collaboration_event` signal and
`resolve` update. Deterministic like the ticket itself: time from `workflow.now()`, the one
activity (`plan_collaboration`) called by name. Status moves go through the ticket's `_enter`, so
the transition table in domain/status.py still decides what is legal.
"""

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, FailureError

with workflow.unsafe.imports_passed_through():
    from domain.collaboration import (
        CollaborationEventKind,
        CollaborationStatus,
        CollaborationTaskRef,
        collaboration_workflow_id,
    )
    from domain.collaboration_actions import (
        CollaborationEvent,
        CollaborationInput,
        CollaborationOpened,
        CollaborationOutcome,
        CollaborationRequest,
        PlanCollaborationRequest,
        PlanCollaborationResult,
        TicketClosedNotice,
    )
    from domain.ids import COLLABORATION_WORKFLOW, ActivityName
    from domain.nlp import TranslationState
    from domain.sla import SlaTarget
    from domain.status import TicketStatus
    from domain.ticket import DeliveryState, Direction, TicketMessage, TicketState
    from workflows import ticket_steps as steps
    from workflows.collaboration_rules import (
        ASKING_STATUSES,
        PROGRESS_TEMPLATE_ID,
        check_request,
        progress_notice,
        short,
        ticket_context,
    )

if TYPE_CHECKING:
    from workflows.ticket import TicketWorkflow

_K = CollaborationEventKind
PLAN_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=10),
                         maximum_attempts=5, non_retryable_error_types=["UnknownDepartment", "BadInput"])
__all__ = ["apply_event", "check_request", "close_open_tasks", "open_task"]


def invalid(message: str) -> ApplicationError:
    return ApplicationError(message, type="InvalidAction", non_retryable=True)


def _opened(s: TicketState, ref: CollaborationTaskRef, detail: str, notice_seq: int | None = None
            ) -> CollaborationOpened:
    assert ref.deadline is not None
    return CollaborationOpened(status=s.status, task_id=ref.task_id, task_no=ref.task_no,
                               department=ref.department, assignee=ref.assignee, deadline=ref.deadline,
                               detail=detail, notice_seq=notice_seq,
                               ok=ref.status is not CollaborationStatus.CANCELLED)


# ------------------------------------------------------------------ open a task
async def open_task(wf: "TicketWorkflow", req: CollaborationRequest) -> CollaborationOpened:
    s = wf.state
    board = s.collaboration
    if req.request_id:
        for existing in board.tasks:
            if existing.request_id == req.request_id:
                return _opened(s, existing, "duplicate request")
    task_no = board.next_task_no
    board.next_task_no += 1  # reserved now: a concurrent request gets the next number
    task_id = collaboration_workflow_id(s.ticket_id, task_no)
    plan = await _plan(s, req)
    if s.status not in ASKING_STATUSES:  # it moved while the department was looked up
        raise invalid(f"ticket {s.ticket_id} became {s.status} while the task was being opened")
    now = workflow.now()
    ref = CollaborationTaskRef(
        task_no=task_no, task_id=task_id, department=plan.department,
        department_name=plan.department_name_zh if s.internal_language == "zh" and plan.department_name_zh
        else plan.department_name, assignee=plan.assignee, requested_by=req.by, opened_at=now,
        deadline=plan.deadline, pause_customer_sla=req.pause_customer_sla, request_id=req.request_id)
    # The ticket records and enters pending_collaboration before the child starts: a task answered
    # at once (or a resolve meanwhile) then finds the ticket already in its final shape.
    board.tasks.append(ref)
    wf._event("collaboration_requested",
              f"Asked {ref.department_name or ref.department} ({ref.assignee}), due "
              f"{plan.deadline:%Y-%m-%d %H:%M} UTC: {short(req.question)}", actor=req.by,
              data={"task_id": task_id, "department": plan.department, "assignee": plan.assignee,
                    "deadline": plan.deadline.isoformat(), "pause_customer_sla": req.pause_customer_sla})
    if s.status is not TicketStatus.PENDING_COLLABORATION:
        board.round_done = False
        wf.clocks.stop(SlaTarget.PENDING_REPLY)  # restarted when the departments have answered
        wf._enter(TicketStatus.PENDING_COLLABORATION,
                  f"Waiting for {ref.department_name or ref.department}", actor=req.by)
    if req.pause_customer_sla:
        _pause_sla(wf)
    wf._wake = True
    child = CollaborationInput(
        ticket_id=s.ticket_id, task_no=task_no, department=plan.department,
        department_name=ref.department_name,
        assignee=plan.assignee, head=plan.head, manager=plan.manager, requested_by=req.by, agent=s.assignee,
        question=req.question, context=ticket_context(s), internal_language=s.internal_language,
        deadline=plan.deadline, business_time=plan.business_time, reminders=req.reminders,
        pause_customer_sla=req.pause_customer_sla)
    try:
        handle = await workflow.start_child_workflow(
            COLLABORATION_WORKFLOW, child, id=task_id, result_type=CollaborationOutcome,
            # The ticket continues-as-new; its tasks must outlive each run. It cancels them itself.
            parent_close_policy=workflow.ParentClosePolicy.ABANDON)
        # Outcomes arrive as `collaboration_event` signals (also after continue-as-new, when no run
        # holds this handle); reading the result here only keeps asyncio from logging it as unread.
        handle.add_done_callback(_read_outcome)
    except FailureError as exc:  # e.g. the id is taken: the update fails with the reason
        if ref.status is CollaborationStatus.OPEN:
            ref.status, ref.closed_at = CollaborationStatus.CANCELLED, workflow.now()
            wf._event("collaboration_cancelled", f"Task {task_id} could not start: {exc}",
                      data={"task_id": task_id, "department": ref.department})
            _after_task_closed(wf, ref)
        raise invalid(f"could not start task {task_id}: {exc}") from exc
    if ref.status is CollaborationStatus.CANCELLED:  # the ticket was resolved while the task started
        await _signal_closed(task_id, f"ticket {s.ticket_id} was resolved")
        return _opened(s, ref, "the ticket was resolved meanwhile; the task was cancelled")
    notice_seq = _queue_notice(wf, req.by, plan) if req.notify_customer else None
    wf._wake = True  # again: the main loop may have run while the child started
    return _opened(s, ref, f"task {task_id} opened", notice_seq)


def _read_outcome(fut: "asyncio.Future[CollaborationOutcome]") -> None:
    if not fut.cancelled():
        fut.exception()


async def _plan(s: TicketState, req: CollaborationRequest) -> PlanCollaborationResult:
    plan_req = PlanCollaborationRequest(ticket_id=s.ticket_id, department=req.department.strip(),
                                        assignee=(req.assignee or "").strip() or None,
                                        requested_at=workflow.now(), deadline_s=req.deadline_s,
                                        customer_timezone=s.customer.timezone)
    try:
        return await workflow.execute_activity(
            ActivityName.PLAN_COLLABORATION, plan_req, result_type=PlanCollaborationResult,
            start_to_close_timeout=timedelta(seconds=30), retry_policy=PLAN_RETRY)
    except ActivityError as exc:
        cause = exc.cause
        raise invalid(cause.message if isinstance(cause, ApplicationError) else str(cause or exc)) from exc


def _queue_notice(wf: "TicketWorkflow", author: str, plan: PlanCollaborationResult) -> int:
    """Queue a progress notice through the reply outbox: translated and sent by the main loop."""
    s = wf.state
    message = TicketMessage(seq=s.next_seq(), direction=Direction.OUTBOUND, author=author,
                            original_text=progress_notice(s.internal_language, plan),
                            language=s.internal_language, created_at=workflow.now(),
                            delivery=DeliveryState.HELD, template=PROGRESS_TEMPLATE_ID)
    s.messages.append(message)
    wf._dirty_messages.add(message.seq)
    wf._event("reply", "Progress notice queued for the customer", actor=author, data={"seq": message.seq})
    return message.seq


# ------------------------------------------------------------------ SLA pause
def _pause_sla(wf: "TicketWorkflow") -> None:
    board = wf.state.collaboration
    now = workflow.now()
    for target, clock in list(wf.state.sla.clocks.items()):
        if clock.paused_at is None and target not in board.paused_targets:
            wf.clocks.pause(target, now)
            board.paused_targets.append(target)


def _resume_sla_if_free(wf: "TicketWorkflow") -> None:
    board = wf.state.collaboration
    if not board.paused_targets or any(t.pause_customer_sla for t in board.open_tasks()):
        return
    now = workflow.now()
    for target in board.paused_targets:
        wf.clocks.resume(target, now)
    board.paused_targets.clear()


# ------------------------------------------------------------------ task events
async def apply_event(wf: "TicketWorkflow", ev: CollaborationEvent) -> None:
    s = wf.state
    ref = s.collaboration.find(ev.task_id)
    if ref is None:
        workflow.logger.warning("event %s for unknown task %s ignored", ev.kind, ev.task_id)
        return
    label = f"{ref.department_name or ref.department} ({ev.task_id})"
    data: dict[str, str | int | float | bool | None] = {"task_id": ev.task_id, "department": ref.department}
    agent = [s.assignee] if s.assignee else ["supervisor"]
    if ev.kind is _K.COMPLETED:
        late = ref.status is not CollaborationStatus.OPEN
        ref.status, ref.closed_at, ref.result = CollaborationStatus.DONE, ev.at, ev.text
        data["attachments"] = ", ".join(a.filename for a in ev.attachments) or None
        wf._event("collaboration_completed",
                  f"{label} answered{' late' if late else ''}: {short(ev.text, 300)}",
                  actor=ev.actor, data=data)
        _add_result_note(wf, ref, ev)
        await _notify(wf, agent, f"{label} answered: {short(ev.text)}", "collaboration_result")
        if not late:
            s.collaboration.round_done = True
            _after_task_closed(wf, ref)
    elif ev.kind is _K.CANCELLED:
        if ref.status is CollaborationStatus.OPEN:
            ref.status, ref.closed_at = CollaborationStatus.CANCELLED, ev.at
            wf._event("collaboration_cancelled", f"{label} cancelled: {ev.text}", actor=ev.actor, data=data)
            await _notify(wf, agent, f"{label} cancelled: {ev.text}", "collaboration_cancelled")
            _after_task_closed(wf, ref)
    elif ev.kind is _K.COMMENT:
        wf._event("collaboration_comment", f"{label} {ev.actor}: {short(ev.text, 300)}", actor=ev.actor,
                  data=data)
        if ev.actor not in agent:
            await _notify(wf, agent, f"{ev.actor} on {label}: {short(ev.text)}", "collaboration_comment")
    elif ev.kind is _K.REASSIGNED:
        ref.assignee = ev.assignee
        wf._event("collaboration_reassigned", f"{label} reassigned to {ev.assignee}", actor=ev.actor,
                  data={**data, "assignee": ev.assignee})
    elif ev.kind is _K.OVERDUE:
        ref.overdue = True
        wf._event("collaboration_overdue", f"{label} missed its deadline", data={**data, "misses": ev.misses})
        await _notify(wf, agent, ev.text or f"{label} is overdue", "collaboration_overdue", "warning")
    elif ev.kind is _K.DEADLINE_CHANGED:
        # A new deadline is a fresh promise: the task is no longer overdue for the ticket either.
        previous, ref.deadline, ref.overdue = ref.deadline, ev.deadline, False
        due = f"{ev.deadline:%Y-%m-%d %H:%M} UTC" if ev.deadline else "?"
        wf._event("collaboration_deadline_changed", f"{label} now due {due}: {short(ev.text, 300)}",
                  actor=ev.actor, data={**data, "deadline": ev.deadline.isoformat() if ev.deadline else None,
                                        "previous": previous.isoformat() if previous else None})
        if ev.actor not in agent:
            await _notify(wf, agent, f"{label} now due {due} ({ev.actor}: {short(ev.text)})",
                          "collaboration_deadline_changed")
    elif ev.kind is _K.ESCALATED:
        ref.escalated = True
        wf._event("collaboration_escalated", f"{label} escalated to the department manager",
                  data={**data, "misses": ev.misses})
        await _notify(wf, agent, ev.text or f"{label} escalated", "collaboration_escalation", "critical")
    wf._wake = True


def _add_result_note(wf: "TicketWorkflow", ref: CollaborationTaskRef, ev: CollaborationEvent) -> None:
    """The result as an internal note, so the agent reads it in the conversation next to the customer."""
    s = wf.state
    files = f"\n({', '.join(a.filename for a in ev.attachments)})" if ev.attachments else ""
    header = f"[{ref.department_name or ref.department} · {ref.task_id}]"
    note = TicketMessage(seq=s.next_seq(), direction=Direction.NOTE, author=ev.actor,
                         original_text=f"{header} {ev.text}{files}",
                         language=s.internal_language, created_at=workflow.now(),
                         translation_state=TranslationState.NOT_NEEDED)
    s.messages.append(note)
    wf._dirty_messages.add(note.seq)


def _after_task_closed(wf: "TicketWorkflow", ref: CollaborationTaskRef) -> None:
    s = wf.state
    _resume_sla_if_free(wf)
    if s.collaboration.open_tasks() or s.status is not TicketStatus.PENDING_COLLABORATION:
        return
    if s.collaboration.round_done:
        wf._enter(TicketStatus.PENDING_REPLY, "All departments answered: reply to the customer")
        wf.clocks.start(SlaTarget.PENDING_REPLY, workflow.now())
    else:
        wf._enter(TicketStatus.PROCESSING, "All collaboration tasks were cancelled")


async def _notify(wf: "TicketWorkflow", recipients: list[str], summary: str, kind: str,
                  severity: str = "info") -> None:
    await steps.notify(wf.state.ticket_id, kind, recipients, summary, severity)


# ------------------------------------------------------------------ closing
async def close_open_tasks(wf: "TicketWorkflow", reason: str) -> None:
    """Cancel every open task (the ticket was resolved); each task tells its assignee."""
    s = wf.state
    now = workflow.now()
    for ref in s.collaboration.open_tasks():
        ref.status, ref.closed_at = CollaborationStatus.CANCELLED, now
        wf._event("collaboration_cancelled", f"{ref.department_name or ref.department} ({ref.task_id}) "
                  f"cancelled: {reason}", data={"task_id": ref.task_id, "department": ref.department})
        await _signal_closed(ref.task_id, reason)
    s.collaboration.paused_targets.clear()  # the ticket's clocks are stopped or restarted by its caller


async def _signal_closed(task_id: str, reason: str) -> None:
    try:
        await workflow.get_external_workflow_handle(task_id).signal(
            "ticket_closed", TicketClosedNotice(reason=reason))
    except FailureError as exc:
        workflow.logger.warning("task %s not reachable to cancel: %s", task_id, exc)
