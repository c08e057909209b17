"""Messages of the collaboration loop: the ticket's request, the task's input, state and updates,
the child -> parent event, and the inputs of the collaboration activities.

Durations are seconds (tests pass small values); times are set by the workflows from
`workflow.now()`, never by model defaults.
"""

from datetime import datetime

from pydantic import BaseModel, Field

from domain.collaboration import CollaborationEventKind, CollaborationStatus, ReminderPolicy
from domain.ids import DEFAULT_INTERNAL_LANGUAGE
from domain.ticket import AttachmentMeta

DEFAULT_TASK_DEADLINE_S = 8 * 3600  # one business day when the department has a calendar


# ------------------------------------------------------------------ ticket side
class CollaborationRequest(BaseModel):
    """Input of the ticket update `request_collaboration`."""

    department: str  # department_id, e.g. "logistics"
    question: str  # in the internal language
    by: str  # the agent asking
    assignee: str | None = None  # None: the department head
    deadline_s: int = DEFAULT_TASK_DEADLINE_S  # business time when the department has a calendar
    reminders: ReminderPolicy = Field(default_factory=ReminderPolicy)
    pause_customer_sla: bool = False  # the customer's clocks stop while this task is open
    notify_customer: bool = False  # queue a progress notice to the customer in their language
    request_id: str | None = None  # idempotency key from the caller


class CollaborationOpened(BaseModel):
    """Result of `request_collaboration`."""

    ok: bool = True
    status: str  # the ticket's status afterwards
    task_id: str
    task_no: int
    department: str
    assignee: str
    deadline: datetime
    detail: str = ""
    notice_seq: int | None = None  # message seq of the queued customer notice, if any


# ------------------------------------------------------------------- task side
class CollaborationInput(BaseModel):
    """Start input of `CollaborationWorkflow`: everything resolved, so the task needs no lookups."""

    ticket_id: str
    task_no: int
    department: str
    department_name: str = ""
    assignee: str
    head: str | None = None
    manager: str | None = None
    requested_by: str = ""
    agent: str | None = None  # the ticket's assignee when the task was opened
    question: str
    context: str = ""  # the customer's request, in the internal language
    internal_language: str = DEFAULT_INTERNAL_LANGUAGE
    deadline: datetime
    business_time: bool = False  # the deadline was computed on the department's calendar
    reminders: ReminderPolicy = Field(default_factory=ReminderPolicy)
    pause_customer_sla: bool = False


class CollaborationTaskEvent(BaseModel):
    seq: int
    at: datetime
    kind: str
    actor: str = "system"
    summary: str
    data: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


class CollaborationTask(BaseModel):
    """Everything the task workflow knows; `get_task` returns it and the store projects it."""

    task_id: str
    ticket_id: str
    task_no: int
    department: str
    department_name: str = ""
    assignee: str = ""
    head: str | None = None
    manager: str | None = None
    requested_by: str = ""
    agent: str | None = None
    question: str = ""
    context: str = ""
    status: CollaborationStatus = CollaborationStatus.OPEN
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deadline: datetime | None = None
    business_time: bool = False
    pause_customer_sla: bool = False
    closed_at: datetime | None = None
    closed_by: str | None = None
    close_reason: str = ""
    result: str | None = None
    attachments: list[AttachmentMeta] = Field(default_factory=list)
    completion_request_id: str | None = None
    # Reminder bookkeeping (see workflows/collaboration_schedule.py).
    reminded_before: bool = False
    overdue: bool = False
    misses: int = 0
    next_reminder_at: datetime | None = None
    escalated: bool = False
    events: list[CollaborationTaskEvent] = Field(default_factory=list)


class CompleteTaskRequest(BaseModel):
    by: str
    result: str  # in the internal language
    attachments: list[AttachmentMeta] = Field(default_factory=list)
    request_id: str | None = None  # the same id twice (an e-mail delivered twice) is one completion


class TaskCommentRequest(BaseModel):
    by: str
    text: str
    attachments: list[AttachmentMeta] = Field(default_factory=list)  # e.g. files of an e-mail reply
    request_id: str | None = None  # the same id twice (an e-mail delivered twice) is one comment


class ReassignTaskRequest(BaseModel):
    by: str
    assignee: str
    reason: str = ""


MAX_DEADLINE_AHEAD_S = 90 * 24 * 3600  # a new deadline further out is a typo, not a plan


class ChangeDeadlineRequest(BaseModel):
    """Update `change_deadline`: an absolute new deadline (timezone-aware) and why."""

    by: str
    deadline: datetime
    reason: str


class CancelTaskRequest(BaseModel):
    by: str
    reason: str = ""


class TicketClosedNotice(BaseModel):
    """Parent -> child signal: the ticket was resolved, so the open task is cancelled."""

    reason: str


class TaskActionResult(BaseModel):
    ok: bool = True
    task_id: str
    status: CollaborationStatus
    detail: str = ""


class CollaborationEvent(BaseModel):
    """Child -> parent signal `collaboration_event`."""

    task_id: str
    task_no: int
    kind: CollaborationEventKind
    at: datetime
    actor: str = "system"
    text: str = ""
    assignee: str = ""
    deadline: datetime | None = None
    misses: int = 0
    attachments: list[AttachmentMeta] = Field(default_factory=list)


class CollaborationOutcome(BaseModel):
    """Result of `CollaborationWorkflow`."""

    task_id: str
    status: CollaborationStatus
    result: str | None = None
    attachments: list[AttachmentMeta] = Field(default_factory=list)


# ------------------------------------------------------------------ activities
class PlanCollaborationRequest(BaseModel):
    ticket_id: str
    department: str
    assignee: str | None = None
    requested_at: datetime
    deadline_s: int
    customer_timezone: str | None = None


class PlanCollaborationResult(BaseModel):
    department: str
    department_name: str = ""
    department_name_zh: str = ""
    assignee: str
    head: str | None = None
    manager: str | None = None
    deadline: datetime
    business_time: bool = False
    # The deadline as the customer reads it (their timezone when known), for the progress notice.
    customer_deadline_text: str = ""


class RecordCollaborationTaskRequest(BaseModel):
    task: CollaborationTask  # sent with empty events; those travel below
    events: list[CollaborationTaskEvent] = Field(default_factory=list)
    version: int = 0  # events count when written: an older write never overwrites a newer row
