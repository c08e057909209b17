"""What an outbound transport needs: one e-mail to send, and the errors it may raise."""

from typing import Protocol

from pydantic import BaseModel, Field


class OutgoingEmail(BaseModel):
    message_id: str
    to: str
    to_name: str = ""
    subject: str
    text: str
    html: str | None = None
    language: str = ""
    in_reply_to: str | None = None
    references: list[str] = Field(default_factory=list)
    ticket_token: str = ""


class PermanentDeliveryFailure(Exception):
    """The recipient or message is refused for good (5xx); retrying will not help."""


class Mailer(Protocol):
    def send(self, email: OutgoingEmail) -> None: ...
