"""Names that other programs rely on: task queues, workflow types and ids, activity names."""

from typing import Final

TICKETS_TASK_QUEUE: Final = "tickets"
NLP_TASK_QUEUE: Final = "nlp"

TICKET_WORKFLOW: Final = "TicketWorkflow"
COLLABORATION_WORKFLOW: Final = "CollaborationWorkflow"

DEFAULT_INTERNAL_LANGUAGE: Final = "zh"


def ticket_workflow_id(ticket_id: str) -> str:
    return f"ticket-{ticket_id}"


def ticket_id_from_workflow_id(workflow_id: str) -> str:
    return workflow_id.removeprefix("ticket-")


class ActivityName:
    """Activities are called by name so the workflow never imports their heavy modules."""

    RECORD_TICKET: Final = "record_ticket"
    RECORD_MESSAGE: Final = "record_message"
    RECORD_EVENT: Final = "record_event"
    DETECT_LANGUAGE: Final = "detect_language"
    CLASSIFY_REQUEST: Final = "classify_request"
    TRANSLATE_TEXT: Final = "translate_text"
    NOTIFY: Final = "notify"
    SEND_REPLY: Final = "send_reply"
    PLAN_COLLABORATION: Final = "plan_collaboration"
    RECORD_COLLABORATION_TASK: Final = "record_collaboration_task"
    ASSIGN_TICKET: Final = "assign_ticket"
    ESCALATION_CONTACTS: Final = "escalation_contacts"
    RESOLVE_SLA: Final = "resolve_sla"
    COMPUTE_SLA_DEADLINES: Final = "compute_sla_deadlines"
