"""CollaborationWorkflow: one task a ticket asks of another department (id `ticket-<id>-task-<n>`).

Started by TicketWorkflow with parent-close policy ABANDON (a ticket's continue-as-new must not
end its tasks); the ticket cancels open tasks itself with the `ticket_closed` signal. Every
change the ticket must know travels back as the `collaboration_event` signal to the ticket's
workflow id (no run id, so it reaches the ticket's latest run).

Deterministic: time from `workflow.now()`, activities called by name. Update handlers only change
state and queue notifications; the main loop is the single place that projects, signals and
notifies, so those never race each other.
"""

import asyncio
import contextlib
from datetime import UTC, timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError, FailureError

with workflow.unsafe.imports_passed_through():
    from domain.collaboration import CollaborationEventKind, CollaborationStatus
    from domain.collaboration_actions import (
        MAX_DEADLINE_AHEAD_S,
        CancelTaskRequest,
        ChangeDeadlineRequest,
        CollaborationEvent,
        CollaborationInput,
        CollaborationOutcome,
        CollaborationTask,
        CollaborationTaskEvent,
        CompleteTaskRequest,
        ReassignTaskRequest,
        RecordCollaborationTaskRequest,
        TaskActionResult,
        TaskCommentRequest,
        TicketClosedNotice,
    )
    from domain.ids import COLLABORATION_WORKFLOW, ActivityName, ticket_workflow_id
    from domain.store_io import NotifyRequest
    from workflows import collaboration_schedule as schedule
    from workflows.activity_options import notify_options, store_options
    from workflows.collaboration_rules import REMINDER_NOTICE, reminder_text, short

_S = CollaborationStatus
_K = CollaborationEventKind


def rejected(message: str) -> ApplicationError:
    return ApplicationError(message, type="InvalidTaskAction", non_retryable=True)


@workflow.defn(name=COLLABORATION_WORKFLOW)
class CollaborationWorkflow:
    @workflow.init
    def __init__(self, inp: CollaborationInput) -> None:
        # Built from the input here, so an update arriving with the start already sees the task.
        now = workflow.now()
        self.policy = inp.reminders
        self.task = CollaborationTask(
            task_id=workflow.info().workflow_id, ticket_id=inp.ticket_id, task_no=inp.task_no,
            department=inp.department, department_name=inp.department_name, assignee=inp.assignee,
            head=inp.head, manager=inp.manager, requested_by=inp.requested_by, agent=inp.agent,
            question=inp.question, context=inp.context, created_at=now, updated_at=now,
            deadline=inp.deadline, business_time=inp.business_time, pause_customer_sla=inp.pause_customer_sla,
        )
        self._to_ticket_queue: list[CollaborationEvent] = []
        self._notices: list[NotifyRequest] = []
        self._flushed = 0
        self._wake = False
        self._comment_ids: set[str] = set()  # request ids of comments taken (e-mail replies)

    # ------------------------------------------------------------------ run
    @workflow.run
    async def run(self, inp: CollaborationInput) -> CollaborationOutcome:
        t = self.task
        self._event("opened", f"Task for {t.department_name or t.department} assigned to {t.assignee}, "
                    f"due {t.deadline:%Y-%m-%d %H:%M} UTC", actor=t.requested_by or "system",
                    data={"assignee": t.assignee, "deadline": t.deadline.isoformat() if t.deadline else None})
        self._notify("collaboration_task", [t.assignee],
                     f"New task from ticket {t.ticket_id} (due {t.deadline:%Y-%m-%d %H:%M} UTC): "
                     f"{short(t.question)}")
        try:
            while t.status is _S.OPEN:
                await self._deliver()
                await self._wait()
                self._fire_reminders()
            await self._deliver()
        except asyncio.CancelledError:
            # Cancelled from outside (Web UI, CLI): close the loop with the ticket, then end cancelled.
            if t.status is _S.OPEN:
                self._close(_S.CANCELLED, "temporal", "the task workflow was cancelled")
                self._tell_ticket(_K.CANCELLED, "temporal", t.close_reason)
            await self._deliver()
            raise
        await self._linger()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return CollaborationOutcome(task_id=t.task_id, status=t.status, result=t.result,
                                    attachments=t.attachments)

    async def _wait(self) -> None:
        due = schedule.next_due(self.task, self.policy)
        timeout = max(due - workflow.now(), timedelta(milliseconds=1)) if due else None
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(
                lambda: self._wake or self.task.status is not _S.OPEN, timeout=timeout)
        self._wake = False

    async def _linger(self) -> None:
        """Stay a while so late updates (an e-mail answer after the ticket closed) are rejected clearly."""
        if self.policy.linger_s <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(lambda: False, timeout=timedelta(seconds=self.policy.linger_s))

    def _fire_reminders(self) -> None:
        t = self.task
        for reminder in schedule.fire_due(t, self.policy, workflow.now()):
            people = schedule.recipients(t, reminder.kind)
            summary = reminder_text(t, reminder)
            self._event(f"reminder_{reminder.kind}", summary, data={"miss": reminder.miss,
                                                                    "recipients": ",".join(people)})
            kind, severity = REMINDER_NOTICE[reminder.kind]
            self._notify(kind, people, summary, severity)
            if reminder.kind is schedule.ReminderKind.OVERDUE:
                self._tell_ticket(_K.OVERDUE, "system", summary, misses=reminder.miss)
            elif reminder.kind is schedule.ReminderKind.ESCALATION:
                self._tell_ticket(_K.ESCALATED, "system", summary, misses=reminder.miss)

    # ------------------------------------------------------------- effects
    async def _deliver(self) -> None:
        await self._project()
        while self._to_ticket_queue:
            await self._signal_ticket(self._to_ticket_queue.pop(0))
        while self._notices:
            await self._send_notice(self._notices.pop(0))
        await self._project()  # a vanished ticket closes the task above

    async def _project(self) -> None:
        t = self.task
        events = t.events[self._flushed:]
        if not events and self._flushed:
            return
        req = RecordCollaborationTaskRequest(task=t.model_copy(update={"events": []}), events=events,
                                             version=len(t.events))
        await self._execute(ActivityName.RECORD_COLLABORATION_TASK, req, store_options())
        self._flushed = len(t.events)

    async def _execute(self, name: str, req: object, options: dict[str, Any]) -> None:
        """Run an activity; this workflow's cancellation surfaces as asyncio.CancelledError. ABANDON:
        the short, idempotent store/notify call finishes on its own instead of racing a cancel request."""
        try:
            await workflow.execute_activity(
                name, req, cancellation_type=workflow.ActivityCancellationType.ABANDON, **options)
        except ActivityError as exc:
            if isinstance(exc.cause, CancelledError):
                raise asyncio.CancelledError() from exc
            raise

    async def _signal_ticket(self, ev: CollaborationEvent) -> None:
        try:
            await workflow.get_external_workflow_handle(ticket_workflow_id(self.task.ticket_id)).signal(
                "collaboration_event", ev)
        except CancelledError as exc:
            raise asyncio.CancelledError() from exc  # this workflow is being cancelled, not the ticket
        except FailureError as exc:
            # The ticket's workflow is gone (terminated, or ended after its close grace): nobody waits
            # for this task any more, so an open task ends here instead of reminding forever.
            workflow.logger.warning("ticket %s unreachable: %s", self.task.ticket_id, exc)
            if self.task.status is _S.OPEN:
                self._close(_S.CANCELLED, "system", f"ticket {self.task.ticket_id} is no longer running")
                self._notify("collaboration_cancelled", [self.task.assignee],
                             f"Task {self.task.task_id} cancelled: {self.task.close_reason}")

    async def _send_notice(self, req: NotifyRequest) -> None:
        try:
            await self._execute(ActivityName.NOTIFY, req, notify_options())
        except ActivityError:
            workflow.logger.warning("notification %s for %s failed", req.kind, self.task.task_id)

    # ------------------------------------------------------------- helpers
    def _event(self, kind: str, summary: str, actor: str = "system",
               data: dict[str, str | int | float | bool | None] | None = None) -> None:
        t = self.task
        now = workflow.now()
        t.events.append(CollaborationTaskEvent(seq=len(t.events) + 1, at=now, kind=kind, actor=actor,
                                               summary=summary, data=data or {}))
        t.updated_at = now
        self._wake = True

    def _notify(self, kind: str, recipients: list[str], summary: str, severity: str = "info") -> None:
        people = [p for p in dict.fromkeys(recipients) if p]
        if people:
            self._notices.append(NotifyRequest(ticket_id=self.task.ticket_id, kind=kind, recipients=people,
                                               summary=summary, severity=severity, task_id=self.task.task_id))

    def _tell_ticket(self, kind: CollaborationEventKind, actor: str, text: str = "", misses: int = 0) -> None:
        t = self.task
        self._to_ticket_queue.append(CollaborationEvent(
            task_id=t.task_id, task_no=t.task_no, kind=kind, at=workflow.now(), actor=actor, text=text,
            assignee=t.assignee, deadline=t.deadline, misses=misses,
            attachments=t.attachments if kind is _K.COMPLETED else []))

    def _close(self, status: CollaborationStatus, by: str, reason: str) -> None:
        t = self.task
        t.status = status
        t.closed_at = workflow.now()
        t.closed_by = by
        t.close_reason = reason
        t.next_reminder_at = None
        self._event(str(status), f"Task {status} by {by}" + (f": {short(reason)}" if reason else ""),
                    actor=by)

    def _require_open(self, action: str) -> None:
        t = self.task
        if t.status is _S.OPEN:
            return
        why = f" ({t.close_reason})" if t.close_reason else ""
        raise rejected(f"cannot {action} task {t.task_id}: it is already {t.status}{why}; "
                       "nothing was recorded")

    def _result(self, detail: str) -> TaskActionResult:
        return TaskActionResult(task_id=self.task.task_id, status=self.task.status, detail=detail)

    # ------------------------------------------------------------- queries
    @workflow.query(name="get_task")
    def get_task(self) -> CollaborationTask:
        return self.task

    # ------------------------------------------------------------- signals
    @workflow.signal(name="ticket_closed")
    def ticket_closed(self, notice: TicketClosedNotice) -> None:
        if self.task.status is not _S.OPEN:
            return
        self._close(_S.CANCELLED, "system", notice.reason)
        self._notify("collaboration_cancelled", [self.task.assignee],
                     f"Task {self.task.task_id} cancelled: {notice.reason}")

    # ------------------------------------------------------------- updates
    @workflow.update(name="complete_task")
    def complete_task(self, req: CompleteTaskRequest) -> TaskActionResult:
        t = self.task
        if req.request_id and t.completion_request_id == req.request_id:
            return self._result("duplicate completion")
        t.result = req.result
        t.attachments = req.attachments
        t.completion_request_id = req.request_id
        self._close(_S.DONE, req.by, "")
        self._event("result", short(req.result, 500), actor=req.by,
                    data={"attachments": ", ".join(a.filename for a in req.attachments) or None})
        self._tell_ticket(_K.COMPLETED, req.by, req.result)
        return self._result("result sent to the ticket")

    @complete_task.validator
    def validate_complete_task(self, req: CompleteTaskRequest) -> None:
        if req.request_id and self.task.completion_request_id == req.request_id:
            return  # a repeated delivery of the same completion is answered, not rejected
        self._require_open("complete")
        if not req.by.strip():
            raise rejected("who completes the task is required")
        if not req.result.strip():
            raise rejected("the result text is empty")

    @workflow.update(name="comment")
    def comment(self, req: TaskCommentRequest) -> TaskActionResult:
        t = self.task
        if req.request_id:
            if req.request_id in self._comment_ids:
                return self._result("duplicate comment")
            self._comment_ids.add(req.request_id)
        self._event("comment", short(req.text, 500), actor=req.by,
                    data={"attachments": ", ".join(a.filename for a in req.attachments) or None}
                    if req.attachments else None)
        if req.by != t.assignee:
            self._notify("collaboration_comment", [t.assignee], f"{req.by} on {t.task_id}: {short(req.text)}")
        self._tell_ticket(_K.COMMENT, req.by, req.text)
        return self._result("comment added")

    @comment.validator
    def validate_comment(self, req: TaskCommentRequest) -> None:
        if req.request_id and req.request_id in self._comment_ids:
            return  # the same e-mail delivered twice: answered, not rejected
        self._require_open("comment on")
        if not req.by.strip() or not req.text.strip():
            raise rejected("a comment needs an author and a text")

    @workflow.update(name="reassign_task")
    def reassign_task(self, req: ReassignTaskRequest) -> TaskActionResult:
        t = self.task
        previous, t.assignee = t.assignee, req.assignee
        self._event("reassigned", f"Reassigned from {previous} to {req.assignee}"
                    + (f": {req.reason}" if req.reason else ""), actor=req.by,
                    data={"from": previous, "to": req.assignee})
        self._notify("collaboration_task", [req.assignee],
                     f"Task {t.task_id} reassigned to you by {req.by} (due {t.deadline:%Y-%m-%d %H:%M} UTC): "
                     f"{short(t.question)}")
        self._tell_ticket(_K.REASSIGNED, req.by, req.reason)
        return self._result(f"reassigned to {req.assignee}")

    @reassign_task.validator
    def validate_reassign_task(self, req: ReassignTaskRequest) -> None:
        self._require_open("reassign")
        if not req.assignee.strip():
            raise rejected("the new assignee is required")
        if req.assignee == self.task.assignee:
            raise rejected(f"task {self.task.task_id} is already assigned to {req.assignee}")

    @workflow.update(name="change_deadline")
    def change_deadline(self, req: ChangeDeadlineRequest) -> TaskActionResult:
        """Move the deadline; the main loop wakes and waits for the reminders of the new one."""
        t = self.task
        previous, new = t.deadline, req.deadline.astimezone(UTC)
        schedule.reschedule(t, self.policy, new, workflow.now())
        t.business_time = False  # an absolute time chosen by a person, not computed on the calendar
        self._event("deadline_changed",
                    f"Deadline moved from {previous:%Y-%m-%d %H:%M} to {new:%Y-%m-%d %H:%M} UTC "
                    f"by {req.by}: {short(req.reason)}", actor=req.by,
                    data={"from": previous.isoformat() if previous else None,
                          "to": new.isoformat(), "reason": short(req.reason, 500)})
        self._notify("collaboration_deadline_changed", [t.assignee],
                     f"Task {t.task_id}: new deadline {new:%Y-%m-%d %H:%M} UTC "
                     f"(was {previous:%Y-%m-%d %H:%M} UTC), by {req.by}: {short(req.reason)}")
        self._tell_ticket(_K.DEADLINE_CHANGED, req.by, req.reason)
        return self._result(f"deadline moved to {new:%Y-%m-%d %H:%M} UTC")

    @change_deadline.validator
    def validate_change_deadline(self, req: ChangeDeadlineRequest) -> None:
        self._require_open("change the deadline of")
        if not req.by.strip():
            raise rejected("who changes the deadline is required")
        if not req.reason.strip():
            raise rejected("a reason for the new deadline is required")
        if req.deadline.tzinfo is None:
            raise rejected("the new deadline needs a time zone (e.g. 2026-11-24T10:00:00+08:00)")
        now = workflow.now()
        if req.deadline <= now:
            raise rejected(f"the new deadline {req.deadline:%Y-%m-%d %H:%M %Z} is not in the future "
                           f"(now {now:%Y-%m-%d %H:%M} UTC); nothing was changed")
        if req.deadline - now > timedelta(seconds=MAX_DEADLINE_AHEAD_S):
            raise rejected(f"the new deadline is more than {MAX_DEADLINE_AHEAD_S // 86400} days away; "
                           "nothing was changed")
        if req.deadline == self.task.deadline:
            raise rejected(f"task {self.task.task_id} is already due at {req.deadline:%Y-%m-%d %H:%M} UTC")

    @workflow.update(name="cancel_task")
    def cancel_task(self, req: CancelTaskRequest) -> TaskActionResult:
        reason = req.reason or f"cancelled by {req.by}"
        self._close(_S.CANCELLED, req.by, reason)
        self._tell_ticket(_K.CANCELLED, req.by, reason)
        return self._result("cancelled")

    @cancel_task.validator
    def validate_cancel_task(self, req: CancelTaskRequest) -> None:
        self._require_open("cancel")
        if not req.by.strip():
            raise rejected("who cancels the task is required")
