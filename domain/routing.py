"""Skill-based routing and SLA resolution: what crosses the Temporal boundary.

This module imports nothing from `domain.ticket` (it is imported by it: `TicketState.routing`),
so priorities, tiers and channels travel as their string values.
"""

from datetime import datetime

from pydantic import BaseModel, Field

from domain.calendar import BusinessCalendar
from domain.sla import SlaPolicy, SlaTarget


class Presence:
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


class AgentProfile(BaseModel):
    """An agent as the router and the admin console see it (`store/agents.py`)."""

    agent_id: str
    name: str = ""
    email: str = ""
    role: str = "agent"  # agent | supervisor | manager
    team_id: str | None = None
    languages: dict[str, int] = Field(default_factory=dict)  # code -> proficiency 1..5
    domains: list[str] = Field(default_factory=list)
    industries: list[str] = Field(default_factory=list)
    timezone: str = "Asia/Shanghai"
    # weekday (0 = Monday) -> [["09:00", "12:00"], ...]; empty: no fixed hours (always in hours)
    working_hours: dict[int, list[tuple[str, str]]] = Field(default_factory=dict)
    capacity: int = 10
    presence: str = Presence.OFFLINE
    active: bool = True
    # Filled by the store for routing: open tickets now, and when the router last picked them.
    load: int = 0
    last_assigned_at: datetime | None = None


class TeamProfile(BaseModel):
    team_id: str
    name: str = ""
    timezone: str = "Asia/Shanghai"
    languages: list[str] = Field(default_factory=list)  # routing rule: tickets in these languages
    domains: list[str] = Field(default_factory=list)  # routing rule: tickets of these request domains
    supervisor: str | None = None
    manager: str | None = None
    calendar: BusinessCalendar | None = None


class ClockDeadline(BaseModel):
    deadline: datetime
    warn_at: datetime
    business_s: int = 0  # business seconds the deadline stands for


class DeadlineSpec(BaseModel):
    """A fresh clock: `business_s` business seconds from the start; warning after `warn_s`."""

    target: SlaTarget
    start: datetime
    business_s: int
    warn_s: int


class AssignTicketRequest(BaseModel):
    ticket_id: str
    language: str
    internal_language: str = "zh"
    domain: str | None = None
    industry: str | None = None
    priority: str = "normal"
    vip: bool = False
    at: datetime  # the workflow's now: working hours are judged at this instant
    exclude: list[str] = Field(default_factory=list)  # e.g. the agent an escalation moves away from
    attempt: int = 1
    # Business-time tickets: the first-reply clock that starts if an agent is found, so the
    # decision brings its deadline and the ticket needs no second activity (workflows/ticket_routing.py).
    first_reply: DeadlineSpec | None = None
    calendar: BusinessCalendar | None = None


class Candidate(BaseModel):
    agent_id: str
    team_id: str | None = None
    score: float
    reasons: list[str] = Field(default_factory=list)
    load: int = 0
    capacity: int = 0
    language_level: int = 0


class AssignmentDecision(BaseModel):
    ticket_id: str
    agent_id: str | None = None  # None: nobody qualifies now; the ticket stays pending
    team_id: str | None = None  # the chosen agent's team, or the team the ticket routes to
    score: float = 0.0
    # Nobody speaks the ticket's language: an internal-language agent works through translation.
    translation_fallback: bool = False
    candidates: list[Candidate] = Field(default_factory=list)  # best first, a few
    rejected: dict[str, int] = Field(default_factory=dict)  # why others were not eligible -> count
    summary: str = ""
    first_reply: ClockDeadline | None = None  # for `AssignTicketRequest.first_reply`, when an agent was found


class EscalationContactsRequest(BaseModel):
    ticket_id: str
    team_id: str | None = None
    assignee: str | None = None
    language: str = "und"
    domain: str | None = None


class EscalationContacts(BaseModel):
    team_id: str | None = None
    supervisor: str | None = None
    manager: str | None = None


class RoutingState(BaseModel):
    """What the ticket remembers about routing; kept in `TicketState.routing`."""

    supervisor: str | None = None
    manager: str | None = None
    attempts: int = 0
    manual: bool = False  # a person assigned the ticket: the router never overrides that
    translation_fallback: bool = False
    last_pending_reason: str = ""


# ------------------------------------------------------------------------------ SLA resolution
class ResolveSlaRequest(BaseModel):
    ticket_id: str
    priority: str = "normal"
    tier: str = "standard"
    channel: str = "api"
    language: str = "und"
    domain: str | None = None
    at: datetime  # when the clocks start
    policy: SlaPolicy | None = None  # an explicit policy (ticket input) wins over the store
    targets: list[SlaTarget] = Field(default_factory=lambda: [SlaTarget.ASSIGN, SlaTarget.RESOLUTION])
    customer_timezone: str | None = None
    ticket_ref: str = ""  # how the acknowledgement names the ticket


class AfterHoursAck(BaseModel):
    language: str  # the language `text` is in (English when no template exists for the customer's)
    text: str
    expected_by: datetime


class ResolvedSla(BaseModel):
    policy: SlaPolicy  # with its version: it stays with the ticket
    calendar: BusinessCalendar | None = None  # None: wall-clock time
    team_id: str | None = None  # whose calendar applies
    deadlines: dict[SlaTarget, ClockDeadline] = Field(default_factory=dict)
    open_now: bool = True
    next_open: datetime | None = None
    first_reply_due: datetime | None = None  # what the customer is promised
    acknowledgement: AfterHoursAck | None = None  # set when the ticket arrives outside hours


class ResumeSpec(BaseModel):
    """A paused clock resumed: the business time left at `paused_at` counts again from `resumed_at`."""

    target: SlaTarget
    paused_at: datetime
    resumed_at: datetime
    deadline: datetime
    warn_at: datetime


class ComputeDeadlinesRequest(BaseModel):
    calendar: BusinessCalendar
    fresh: list[DeadlineSpec] = Field(default_factory=list)
    resumed: list[ResumeSpec] = Field(default_factory=list)


class ComputedDeadlines(BaseModel):
    deadlines: dict[SlaTarget, ClockDeadline] = Field(default_factory=dict)
