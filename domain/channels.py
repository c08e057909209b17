"""Inputs and results of the outbound channel activities."""

from enum import StrEnum

from pydantic import BaseModel, Field

from domain.ticket import Channel, Customer


class SendReplyRequest(BaseModel):
    ticket_id: str
    seq: int  # (ticket_id, seq) is the idempotency key: a retry never sends twice
    channel: Channel
    customer: Customer
    subject: str = ""
    text: str  # in the customer's language
    language: str = ""
    original_text: str = ""  # the agent's internal-language text, kept for the record
    in_reply_to: str | None = None
    references: list[str] = Field(default_factory=list)


class SendState(StrEnum):
    SENT = "sent"
    RECORDED = "recorded"  # no outbound transport for the channel: shown on the status page / API
    FAILED = "failed"


class SendReplyResult(BaseModel):
    state: SendState
    message_id: str | None = None
    detail: str = ""
    already_sent: bool = False
