"""Inputs of the agent-action updates and the customer-message signal."""

from datetime import datetime

from pydantic import BaseModel, Field

from domain.ticket import AttachmentMeta


class AssignRequest(BaseModel):
    agent_id: str
    team: str | None = None
    by: str = "system"  # who decided: "router" or a supervisor's id
    reason: str = ""


class ReplyRequest(BaseModel):
    agent_id: str
    text: str  # in the internal language
    template: str | None = None
    # Text already in the customer's language (an approved template variant): no MT at send time.
    customer_text: str | None = None
    request_id: str | None = None  # idempotency key from the caller
    # The machine translation `customer_text` was edited from, so reports can measure post-editing.
    machine_text: str | None = None


class NoteRequest(BaseModel):
    author: str
    text: str


class ResolveRequest(BaseModel):
    by: str
    resolution: str = ""


class ReopenRequest(BaseModel):
    by: str
    reason: str = ""


class EscalateRequest(BaseModel):
    by: str
    reason: str = ""
    raise_priority: bool = True


class CustomerMessage(BaseModel):
    text: str
    subject: str | None = None
    message_id: str | None = None  # e-mail Message-ID: the same id twice is one message
    received_at: datetime | None = None
    attachments: list[AttachmentMeta] = Field(default_factory=list)


class ActionResult(BaseModel):
    ok: bool = True
    status: str
    detail: str = ""
    seq: int | None = None
