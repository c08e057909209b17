"""The ticket: what a client sends to start one, and the state the workflow keeps."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from domain.collaboration import CollaborationBoard
from domain.csat_state import CsatState
from domain.ids import DEFAULT_INTERNAL_LANGUAGE
from domain.nlp import (
    AppliedTerm,
    Classification,
    LanguageDetection,
    TranslationState,
)
from domain.routing import RoutingState
from domain.sla import SlaClockState, SlaPolicy
from domain.status import TicketStatus


class Channel(StrEnum):
    EMAIL = "email"
    WEB = "web"
    API = "api"
    CHAT = "chat"
    PHONE = "phone"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


PRIORITY_ORDER: list[Priority] = [Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT]


def raise_priority(priority: Priority) -> Priority:
    index = PRIORITY_ORDER.index(priority)
    return PRIORITY_ORDER[min(index + 1, len(PRIORITY_ORDER) - 1)]


class CustomerTier(StrEnum):
    STANDARD = "standard"
    VIP = "vip"


class Customer(BaseModel):
    email: str = ""
    name: str = ""
    country: str | None = None
    timezone: str | None = None
    tier: CustomerTier = CustomerTier.STANDARD
    language: str | None = None  # a language the customer declared (web form chooser)
    external_id: str | None = None


class AttachmentMeta(BaseModel):
    filename: str
    content_type: str = "application/octet-stream"
    size: int = 0
    storage_path: str | None = None  # content lives on disk/object storage, never in payloads
    sha256: str | None = None
    inline: bool = False  # an inline image of an HTML mail (Content-ID), not a file the customer attached
    content_id: str | None = None
    detail: str = ""  # why the content was not kept (e.g. over the size limit)


class TicketInput(BaseModel):
    """Start input of `TicketWorkflow`; plain JSON so any Temporal client can send it."""

    ticket_id: str
    channel: Channel = Channel.API
    customer: Customer = Field(default_factory=Customer)
    subject: str = ""
    body: str = ""
    priority: Priority = Priority.NORMAL
    received_at: datetime | None = None
    attachments: list[AttachmentMeta] = Field(default_factory=list)
    external_ids: dict[str, str] = Field(default_factory=dict)
    message_id: str | None = None  # e-mail Message-ID of the first message
    internal_language: str = DEFAULT_INTERNAL_LANGUAGE
    sla: SlaPolicy | None = None  # None: the default policy resolved at start
    # History length after which the workflow continues as new (tests pass small values).
    continue_as_new_after_events: int = 8000
    # Set only by continue-as-new: the state to resume from.
    carried_state: "TicketState | None" = None


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    NOTE = "note"


class DeliveryState(StrEnum):
    NONE = "none"
    HELD = "held"  # waiting for its translation
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class TicketMessage(BaseModel):
    seq: int
    direction: Direction
    author: str = ""
    original_text: str
    language: str = ""
    translated_text: str | None = None
    translation_language: str = ""
    translation_state: TranslationState = TranslationState.PENDING
    engine: str = ""
    model_id: str = ""
    glossary_version: str = ""
    applied_terms: list[AppliedTerm] = Field(default_factory=list)
    created_at: datetime | None = None
    external_message_id: str | None = None
    delivery: DeliveryState = DeliveryState.NONE
    delivery_detail: str = ""
    template: str | None = None
    # The machine translation the agent started from when they sent their own customer-language
    # text (reports: post-edit rate); None when the machine output went out as it was.
    machine_text: str | None = None


class TimelineEvent(BaseModel):
    seq: int
    at: datetime
    kind: str
    actor: str = "system"
    summary: str
    data: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    public: bool = False  # shown on the customer status page


class TicketState(BaseModel):
    """Everything the workflow knows; `get_snapshot` returns it and continue-as-new carries it."""

    ticket_id: str
    status: TicketStatus = TicketStatus.PENDING_ASSIGNMENT
    channel: Channel = Channel.API
    customer: Customer = Field(default_factory=Customer)
    subject: str = ""
    subject_translated: str | None = None
    priority: Priority = Priority.NORMAL
    internal_language: str = DEFAULT_INTERNAL_LANGUAGE
    language: str = "und"
    detection: LanguageDetection = Field(default_factory=LanguageDetection)
    classification: Classification = Field(default_factory=Classification)
    needs_triage: bool = False
    triage_reasons: list[str] = Field(default_factory=list)
    assignee: str | None = None
    team: str | None = None
    assignment_count: int = 0
    reassigned: bool = False
    messages: list[TicketMessage] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    sla_policy: SlaPolicy | None = None
    sla: SlaClockState = Field(default_factory=SlaClockState)
    sla_breached: bool = False
    escalation_level: int = 0
    awaiting_customer: bool = False
    attachments: list[AttachmentMeta] = Field(default_factory=list)
    external_ids: dict[str, str] = Field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    resolution: str | None = None
    reopen_count: int = 0
    runs: int = 1  # how many workflow runs (continue-as-new) this ticket has had
    # False while the ticket is being received (detection, translation, SLA set-up): agent
    # actions are refused until then, so clients wait for this rather than for the status.
    accepting_actions: bool = False
    # Skill-based routing: escalation contacts, manual-assignment flag, translation fallback.
    routing: RoutingState = Field(default_factory=RoutingState)
    # Cross-department tasks (CollaborationWorkflow children); carried across continue-as-new.
    collaboration: CollaborationBoard = Field(default_factory=CollaborationBoard)
    # Customer-satisfaction surveys and answers per resolution round (workflows/ticket_csat.py).
    csat: CsatState = Field(default_factory=CsatState)

    def next_seq(self) -> int:
        return len(self.messages) + 1

    def next_event_seq(self) -> int:
        return len(self.timeline) + 1


class TicketResult(BaseModel):
    ticket_id: str
    status: TicketStatus
    resolution: str | None = None
    messages: int = 0


TicketInput.model_rebuild()
