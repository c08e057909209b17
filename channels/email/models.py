"""What the MIME parser hands to ingestion: one inbound mail, decoded and classified."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class MailKind(StrEnum):
    MESSAGE = "message"  # written by a person: becomes a ticket or a follow-up
    AUTO_REPLY = "auto_reply"  # out-of-office, vacation, read receipts, autoresponders
    BOUNCE = "bounce"  # delivery status notifications


class MalformedEmail(ValueError):
    """The bytes are not a mail we can answer (no headers, no sender address)."""


class ParsedAttachment(BaseModel):
    filename: str
    content_type: str = "application/octet-stream"
    data: bytes = Field(default=b"", repr=False)
    inline: bool = False
    content_id: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


class BounceInfo(BaseModel):
    original_message_id: str | None = None  # the mail that bounced (ours, when it was a reply)
    recipient: str = ""
    action: str = ""  # failed | delayed | ...
    status: str = ""  # enhanced status code, e.g. 5.1.1
    diagnostic: str = ""


class ParsedEmail(BaseModel):
    message_id: str
    message_id_synthetic: bool = False
    in_reply_to: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    subject: str = ""
    from_addr: str = ""
    from_name: str = ""
    reply_to: str = ""
    to: list[str] = Field(default_factory=list)
    date: datetime | None = None
    content_language: str | None = None
    text: str = ""  # the whole body as plain text
    body_source: str = "none"  # plain | html | none
    new_text: str = ""  # what the customer wrote this time
    quoted_text: str = ""  # quoted history and signature
    attachments: list[ParsedAttachment] = Field(default_factory=list)
    kind: MailKind = MailKind.MESSAGE
    kind_reason: str = ""
    bounce: BounceInfo | None = None
    defects: list[str] = Field(default_factory=list)
    decoding_exact: bool = True

    @property
    def customer_address(self) -> str:
        """Where a reply goes: Reply-To when the sender set one (web shops, contact forms)."""
        return self.reply_to or self.from_addr
