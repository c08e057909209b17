"""Cross-department collaboration tasks: ids, statuses, the reminder policy, and what a ticket tracks.

This module imports nothing from `domain.ticket`, because `TicketState` carries a
`CollaborationBoard` (it must survive continue-as-new). The messages that carry attachments
live in `domain.collaboration_actions`.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from domain.sla import SlaTarget


def collaboration_workflow_id(ticket_id: str, task_no: int) -> str:
    """`ticket-<ticket_id>-task-<n>`: readable in the Web UI next to its ticket."""
    return f"ticket-{ticket_id}-task-{task_no}"


class CollaborationStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class CollaborationEventKind(StrEnum):
    """What a task tells its ticket (child -> parent signal `collaboration_event`)."""

    COMPLETED = "completed"
    CANCELLED = "cancelled"
    COMMENT = "comment"
    REASSIGNED = "reassigned"
    OVERDUE = "overdue"  # the deadline passed: the ticket's agent is told
    ESCALATED = "escalated"  # too many misses: the department manager was told
    DEADLINE_CHANGED = "deadline_changed"  # `change_deadline`: reminders now follow the new deadline


class ReminderPolicy(BaseModel):
    """When a task nags whom. Seconds, so tests can pass small values."""

    # Reminder to the assignee this long before the deadline (0: none).
    remind_before_s: int = 3600
    # After the deadline: the first repeat reminder comes this long after it, then each gap grows.
    repeat_after_s: int = 3600
    backoff: float = 2.0
    max_repeat_s: int = 24 * 3600
    # The deadline itself counts as the first miss; each repeat reminder as one more.
    escalate_after_misses: int = 3
    # How long a finished task keeps answering late updates with a clear rejection before closing.
    linger_s: int = 24 * 3600


class CollaborationTaskRef(BaseModel):
    """The ticket's view of one task; the task workflow is the source of truth for the rest."""

    task_no: int
    task_id: str  # the CollaborationWorkflow id
    department: str
    department_name: str = ""
    assignee: str = ""
    requested_by: str = ""
    status: CollaborationStatus = CollaborationStatus.OPEN
    opened_at: datetime | None = None
    deadline: datetime | None = None
    closed_at: datetime | None = None
    overdue: bool = False
    escalated: bool = False
    pause_customer_sla: bool = False
    result: str | None = None
    request_id: str | None = None  # idempotency key of the request_collaboration call


class CollaborationBoard(BaseModel):
    """All tasks of one ticket plus the bookkeeping the ticket needs to react to them."""

    tasks: list[CollaborationTaskRef] = Field(default_factory=list)
    # Numbers are reserved before the department is looked up, so concurrent requests never clash.
    next_task_no: int = 1
    # SLA clocks this board paused (and therefore must resume), never those paused for other reasons.
    paused_targets: list[SlaTarget] = Field(default_factory=list)
    # A task finished with a result since the ticket last entered pending_collaboration.
    round_done: bool = False

    def open_tasks(self) -> list[CollaborationTaskRef]:
        return [t for t in self.tasks if t.status is CollaborationStatus.OPEN]

    def find(self, task_id: str) -> CollaborationTaskRef | None:
        return next((t for t in self.tasks if t.task_id == task_id), None)
