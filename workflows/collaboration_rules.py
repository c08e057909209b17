"""Pure helpers of the collaboration loop: request checks, the texts people read, reminder wording.

No Temporal calls and no clock: both workflows (ticket and task) use these, and tests call them
directly.
"""

from domain.collaboration_actions import CollaborationRequest, CollaborationTask, PlanCollaborationResult
from domain.status import TicketStatus
from domain.ticket import Direction, TicketState
from workflows.collaboration_schedule import Reminder, ReminderKind

ASKING_STATUSES = frozenset({TicketStatus.PROCESSING, TicketStatus.PENDING_COLLABORATION,
                             TicketStatus.PENDING_REPLY})
MAX_CONTEXT_CHARS = 2000

# Built-in progress notices in the internal language; the reply path translates them for the customer.
# (The full template system replaces these later.)
PROGRESS_TEMPLATES: dict[str, str] = {
    "zh": "您好，您的问题正在由我们的{department}团队核实，预计在{deadline}前给您答复。",
    "en": "Hello, your request is being checked with our {department} team. "
          "We expect to answer by {deadline}.",
}
PROGRESS_TEMPLATE_ID = "collaboration_progress"


def short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_request(state: TicketState, req: CollaborationRequest) -> str | None:
    """Why `req` cannot be accepted now, or None. Used by the update's validator."""
    if req.request_id and any(t.request_id == req.request_id for t in state.collaboration.tasks):
        return None  # a retried call is answered with the task it already opened
    if state.status not in ASKING_STATUSES:
        return f"cannot ask another department while the ticket is {state.status}; assign it first"
    if not req.department.strip():
        return "department is required"
    if not req.question.strip():
        return "the question for the department is empty"
    if not req.by.strip():
        return "who asks is required"
    if req.deadline_s <= 0:
        return "deadline_s must be positive"
    return None


def ticket_context(state: TicketState) -> str:
    """The customer's request in the internal language, for a department that never saw the ticket."""
    country = f" ({state.customer.country})" if state.customer.country else ""
    lines = [f"Ticket {state.ticket_id} · {state.customer.name or state.customer.email}{country}"
             f" · language {state.language}"]
    subject = state.subject_translated or state.subject
    if subject:
        lines.append(subject)
    inbound = [m for m in state.messages if m.direction is Direction.INBOUND]
    for message in inbound[:1] + inbound[1:][-2:]:  # the first message and the latest two
        text = message.translated_text or f"[{message.language}, untranslated] {message.original_text}"
        lines.append(f"#{message.seq}: {text}")
    return "\n".join(lines)[:MAX_CONTEXT_CHARS]


def progress_notice(internal_language: str, plan: PlanCollaborationResult) -> str:
    template = PROGRESS_TEMPLATES.get(internal_language, PROGRESS_TEMPLATES["en"])
    zh = internal_language == "zh"
    department = (plan.department_name_zh if zh else plan.department_name) or plan.department_name \
        or plan.department
    deadline = plan.customer_deadline_text or f"{plan.deadline:%Y-%m-%d %H:%M} UTC"
    return template.format(department=department, deadline=deadline)


# Reminder kind -> (notification kind, severity).
REMINDER_NOTICE: dict[ReminderKind, tuple[str, str]] = {
    ReminderKind.BEFORE_DEADLINE: ("collaboration_reminder", "info"),
    ReminderKind.OVERDUE: ("collaboration_reminder", "warning"),
    ReminderKind.REPEAT: ("collaboration_reminder", "warning"),
    ReminderKind.ESCALATION: ("collaboration_escalation", "critical"),
}


def reminder_text(task: CollaborationTask, reminder: Reminder) -> str:
    due = f"{task.deadline:%Y-%m-%d %H:%M} UTC"
    label = f"Task {task.task_id} ({task.department_name or task.department}, {task.assignee})"
    if reminder.kind is ReminderKind.BEFORE_DEADLINE:
        return f"{label} is due at {due}: {short(task.question, 80)}"
    if reminder.kind is ReminderKind.ESCALATION:
        return (f"{label} missed its deadline {due} {reminder.miss} times: "
                f"escalated to {task.manager or task.head}")
    return f"{label} is overdue since {due} (miss {reminder.miss})"
