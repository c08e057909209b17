"""Inputs of the store projection activities (idempotent by ticket_id / (ticket_id, seq))."""

from pydantic import BaseModel, Field

from domain.ticket import TicketMessage, TicketState, TimelineEvent


class RecordTicketRequest(BaseModel):
    """One projection write: the ticket header plus the messages and events changed since the last."""

    state: TicketState  # sent with empty messages/timeline; those travel below
    messages: list[TicketMessage] = Field(default_factory=list)
    events: list[TimelineEvent] = Field(default_factory=list)
    # Timeline length when this write was made: an older write never overwrites a newer row.
    version: int = 0


class RecordMessageRequest(BaseModel):
    ticket_id: str
    message: TicketMessage


class RecordEventRequest(BaseModel):
    ticket_id: str
    event: TimelineEvent


class NotifyRequest(BaseModel):
    ticket_id: str
    kind: str  # "new_message", "sla_warning", "sla_breach", "escalation", "delivery_failed", ...
    recipients: list[str]
    summary: str
    severity: str = "info"
    task_id: str | None = None  # a collaboration task's notice: department e-mail reads the task by it
