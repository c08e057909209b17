"""SLA policies (targets per status node) and the state of the running SLA clocks.

Durations travel in workflow input as seconds so tests can pass tiny values.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class SlaTarget(StrEnum):
    ASSIGN = "assign"  # pending_assignment: assign within N
    FIRST_REPLY = "first_reply"  # processing: first reply within N
    NEXT_REPLY = "next_reply"  # processing after a customer message
    PENDING_REPLY = "pending_reply"  # collaboration done, agent must answer
    RESOLUTION = "resolution"


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
        }
    )
    warn_ratio: float = 0.8
    chain: list[EscalationStep] = Field(default_factory=default_chain)
    calendar_id: str | None = None  # None: wall-clock time; otherwise business time of that calendar
    # How long a closed ticket stays open for CSAT and reopening before its workflow completes.
    close_grace_s: int = 7 * 24 * 3600


class SlaClock(BaseModel):
    target: SlaTarget
    started_at: datetime
    deadline: datetime
    warn_at: datetime
    warned: bool = False
    breached: bool = False
    escalation_step: int = 0  # how many chain steps have fired
    paused_at: datetime | None = None


class SlaClockState(BaseModel):
    clocks: dict[SlaTarget, SlaClock] = Field(default_factory=dict)
