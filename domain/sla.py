"""SLA policies (targets per status node) and the state of the running SLA clocks.

Durations travel in workflow input as seconds so tests can pass tiny values. With a business
calendar the seconds are business seconds: an activity turns them into absolute deadlines
(`domain/routing.py` has its request and result types).
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from domain.calendar import BusinessCalendar

TEAM_CALENDAR = "team"


class SlaTarget(StrEnum):
    ASSIGN = "assign"  # pending_assignment: assign within N
    FIRST_REPLY = "first_reply"  # processing: first reply within N
    NEXT_REPLY = "next_reply"  # processing after a customer message
    PENDING_REPLY = "pending_reply"  # collaboration done, agent must answer
    RESOLUTION = "resolution"
    COLLABORATION = "collaboration"  # pending_collaboration: tasks answered by their deadline


class EscalationRole(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"


class EscalationStep(BaseModel):
    role: EscalationRole
    after_breach_s: int = 0  # delay after the breach before this step fires
    raise_priority: bool = True
    reassign: bool = False


def default_chain() -> list[EscalationStep]:
    return [
        EscalationStep(role=EscalationRole.AGENT, after_breach_s=0, raise_priority=False),
        EscalationStep(role=EscalationRole.SUPERVISOR, after_breach_s=1800),
        EscalationStep(role=EscalationRole.MANAGER, after_breach_s=7200),
    ]


class SlaPolicy(BaseModel):
    policy_id: str = "default"
    version: int = 1
    targets_s: dict[SlaTarget, int] = Field(
        default_factory=lambda: {
            SlaTarget.ASSIGN: 30 * 60,
            SlaTarget.FIRST_REPLY: 4 * 3600,
            SlaTarget.NEXT_REPLY: 8 * 3600,
            SlaTarget.PENDING_REPLY: 4 * 3600,
            SlaTarget.RESOLUTION: 5 * 24 * 3600,
            SlaTarget.COLLABORATION: 24 * 3600,
        }
    )
    warn_ratio: float = 0.8
    chain: list[EscalationStep] = Field(default_factory=default_chain)
    # A chain of its own for some targets (e.g. an unassigned ticket goes straight to the supervisor).
    target_chains: dict[SlaTarget, list[EscalationStep]] = Field(default_factory=dict)
    # None: wall-clock time; TEAM_CALENDAR: the routing team's calendar; else a named calendar or team id
    calendar_id: str | None = None
    # An inline calendar wins over `calendar_id` (tests, clients that send their own policy).
    calendar: BusinessCalendar | None = None
    # How long a closed ticket stays open for CSAT and reopening before its workflow completes.
    close_grace_s: int = 7 * 24 * 3600
    # While nobody can take the ticket, ask the router again this often (plus when agents come online).
    assign_retry_s: int = 300
    name: str = ""

    def chain_for(self, target: SlaTarget) -> list[EscalationStep]:
        return self.target_chains.get(target, self.chain)

    def uses_business_time(self) -> bool:
        return self.calendar is not None or self.calendar_id is not None


class SlaClock(BaseModel):
    target: SlaTarget
    started_at: datetime
    deadline: datetime
    warn_at: datetime
    warned: bool = False
    breached: bool = False
    escalation_step: int = 0  # how many chain steps have fired
    paused_at: datetime | None = None
    # Business-time clocks: the deadline is computed by an activity in the main loop. Until then
    # the clock neither fires nor wakes the workflow.
    business: bool = False
    needs_deadline: bool = False
    target_s: int = 0  # business seconds from `started_at` (a fresh clock)
    resumed_at: datetime | None = None  # with `paused_at`: a pause that ended, to be re-counted


class SlaClockState(BaseModel):
    clocks: dict[SlaTarget, SlaClock] = Field(default_factory=dict)
    # The calendar in force for this ticket (resolved once at start, like the policy version).
    calendar: BusinessCalendar | None = None
