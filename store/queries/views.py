"""Pydantic views the console reads. Rows never leave store/: pages get these models only."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from domain.nlp import AppliedTerm
from domain.sla import SlaClock


class TicketSort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    DEADLINE = "deadline"  # soonest running SLA deadline first; tickets without one are left out
    UPDATED = "updated"


class SlaState(StrEnum):
    BREACHED = "breached"
    AT_RISK = "at_risk"  # a running clock ends within the risk window
    ON_TRACK = "on_track"


OPEN = "open"  # TicketFilter.status value meaning "every status node except closed"


class TicketFilter(BaseModel):
    status: str | None = None  # a TicketStatus value, OPEN, or None for all
    language: str | None = None
    domain: str | None = None
    priority: str | None = None
    assignee: str | None = None
    team: str | None = None
    sla: SlaState | None = None
    needs_triage: bool | None = None
    text: str = ""
    risk_window_s: int = 3600


class Cursor(BaseModel):
    """Where the next page starts: the sort key and ticket id of the last row shown."""

    key: datetime | None
    ticket_id: str


class TicketListItem(BaseModel):
    ticket_id: str
    status: str
    channel: str = ""
    subject: str = ""
    subject_translated: str | None = None
    customer_name: str = ""
    customer_email: str = ""
    language: str = "und"
    language_confidence: float = 0.0
    domain: str = "other"
    priority: str = "normal"
    assignee: str | None = None
    team: str | None = None
    needs_triage: bool = False
    sla_breached: bool = False
    escalation_level: int = 0
    next_deadline: datetime | None = None
    created_at: datetime
    updated_at: datetime


class TicketPage(BaseModel):
    items: list[TicketListItem]
    next_cursor: Cursor | None = None


class MessageView(BaseModel):
    seq: int
    direction: str
    author: str = ""
    original_text: str
    language: str = ""
    translated_text: str | None = None
    translation_language: str = ""
    translation_state: str = "pending"
    engine: str = ""
    model_id: str = ""
    glossary_version: str = ""
    applied_terms: list[AppliedTerm] = Field(default_factory=list)
    created_at: datetime | None = None
    delivery: str = "none"
    delivery_detail: str = ""
    template: str | None = None


class TimelineView(BaseModel):
    seq: int
    at: datetime
    kind: str
    actor: str = "system"
    summary: str
    data: dict[str, Any] = Field(default_factory=dict)


class TicketDetail(TicketListItem):
    customer_country: str | None = None
    customer_tier: str = "standard"
    language_mixed: bool = False
    domain_confidence: float = 0.0
    industry: str | None = None
    urgency: str = "normal"
    assignment_count: int = 0
    reassigned: bool = False
    sla_clocks: list[SlaClock] = Field(default_factory=list)
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    resolution: str | None = None
    reopen_count: int = 0
    messages: list[MessageView] = Field(default_factory=list)
    timeline: list[TimelineView] = Field(default_factory=list)


class SlaRiskItem(BaseModel):
    ticket_id: str
    subject: str = ""
    status: str
    language: str
    priority: str
    assignee: str | None = None
    target: str  # the SLA clock (assign, first_reply, ...) closest to or past its deadline
    deadline: datetime
    breached: bool


class NotificationView(BaseModel):
    notification_id: str
    ticket_id: str
    kind: str
    severity: str
    summary: str
    recipients: list[str] = Field(default_factory=list)
    created_at: datetime
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None


class AgentView(BaseModel):
    agent_id: str
    name: str
    email: str = ""
    role: str = "agent"
    team_id: str | None = None
    languages: dict[str, int] = Field(default_factory=dict)
    domains: list[str] = Field(default_factory=list)
    industries: list[str] = Field(default_factory=list)
    timezone: str = ""
    working_hours: dict[str, Any] = Field(default_factory=dict)
    capacity: int = 0
    presence: str = "offline"
    active: bool = True


class AgentLoad(BaseModel):
    agent_id: str
    name: str
    team_id: str | None = None
    presence: str
    capacity: int
    open_tickets: int


class TeamView(BaseModel):
    team_id: str
    name: str
    timezone: str = ""
    languages: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    supervisor: str | None = None
    manager: str | None = None
    calendar: dict[str, Any] = Field(default_factory=dict)


class DepartmentView(BaseModel):
    department_id: str
    name: str
    name_zh: str = ""
    head: str | None = None
    manager: str | None = None
    email: str = ""
    timezone: str = ""
