"""SLA policies with versions: publish, resolve for a ticket, fetch an exact version.

A policy version is immutable; editing publishes `version + 1`. Tickets keep the version they
started with (the workflow carries the resolved `SlaPolicy`), so a change never moves the
deadlines of tickets already running.
"""

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.calendar import BusinessCalendar
from domain.sla import TEAM_CALENDAR, EscalationRole, EscalationStep, SlaPolicy, SlaTarget
from store.calendars import get_calendar, save_calendar
from store.tables import SlaPolicyRow


class PolicyMatch(BaseModel):
    """Which tickets a policy applies to; None matches any value."""

    priority: str | None = None
    tier: str | None = None
    channel: str | None = None

    def specificity(self) -> int:
        return sum(v is not None for v in (self.priority, self.tier, self.channel))

    def matches(self, priority: str, tier: str, channel: str) -> bool:
        return all(want is None or want == got for want, got in
                   ((self.priority, priority), (self.tier, tier), (self.channel, channel)))


class PolicyVersion(BaseModel):
    policy: SlaPolicy
    match: PolicyMatch
    active: bool = True
    created_at: datetime


def _to_version(row: SlaPolicyRow) -> PolicyVersion:
    policy = SlaPolicy.model_validate(row.policy | {"policy_id": row.policy_id, "version": row.version})
    match = PolicyMatch(priority=row.priority, tier=row.tier, channel=row.channel)
    return PolicyVersion(policy=policy, match=match, active=row.active, created_at=row.created_at)


def publish_policy(session: Session, policy: SlaPolicy, match: PolicyMatch | None = None,
                   now: datetime | None = None, active: bool = True) -> int:
    """Store `policy` as the next version of `policy.policy_id`; returns that version."""
    latest = session.scalar(select(func.max(SlaPolicyRow.version))
                            .where(SlaPolicyRow.policy_id == policy.policy_id))
    version = (latest or 0) + 1
    match = match or PolicyMatch()
    body = policy.model_dump(mode="json", exclude={"policy_id", "version"})
    session.add(SlaPolicyRow(policy_id=policy.policy_id, version=version, name=policy.name,
                             priority=match.priority, tier=match.tier, channel=match.channel, policy=body,
                             active=active,
                             created_at=now or datetime.now(UTC)))
    session.flush()
    return version


def get_policy(session: Session, policy_id: str, version: int | None = None) -> SlaPolicy | None:
    """An exact version, or the latest when `version` is None."""
    stmt = select(SlaPolicyRow).where(SlaPolicyRow.policy_id == policy_id)
    stmt = stmt.where(SlaPolicyRow.version == version) if version is not None else stmt.order_by(
        SlaPolicyRow.version.desc()).limit(1)
    row = session.scalars(stmt).first()
    return _to_version(row).policy if row is not None else None


def current_policies(session: Session) -> list[PolicyVersion]:
    """The latest version of each policy (inactive ones included, flagged)."""
    latest = (select(SlaPolicyRow.policy_id, func.max(SlaPolicyRow.version).label("v"))
              .group_by(SlaPolicyRow.policy_id).subquery())
    rows = session.scalars(select(SlaPolicyRow).join(
        latest, (SlaPolicyRow.policy_id == latest.c.policy_id) & (SlaPolicyRow.version == latest.c.v))
        .order_by(SlaPolicyRow.policy_id))
    return [_to_version(r) for r in rows]


def policy_versions(session: Session, policy_id: str) -> list[PolicyVersion]:
    """Every version of one policy, newest first (the admin page's history)."""
    rows = session.scalars(select(SlaPolicyRow).where(SlaPolicyRow.policy_id == policy_id)
                           .order_by(SlaPolicyRow.version.desc()))
    return [_to_version(r) for r in rows]


def resolve_policy(session: Session, priority: str, tier: str, channel: str) -> SlaPolicy | None:
    """The most specific active policy matching the ticket; ties go to the lowest policy id."""
    fitting = [v for v in current_policies(session) if v.active and v.match.matches(priority, tier, channel)]
    if not fitting:
        return None
    fitting.sort(key=lambda v: (-v.match.specificity(), v.policy.policy_id))
    return fitting[0].policy


def resolve_calendar(session: Session, policy: SlaPolicy, team_id: str | None) -> BusinessCalendar | None:
    """The policy's inline or named calendar, or the routing team's (`calendar_id="team"`).

    None means wall-clock time: no calendar asked for, or the one asked for does not exist
    (a missing team calendar must not stop tickets).
    """
    if policy.calendar is not None:
        return policy.calendar
    if policy.calendar_id == TEAM_CALENDAR:
        return get_calendar(session, team_id) if team_id else None
    if policy.calendar_id:
        return get_calendar(session, policy.calendar_id)
    return None


HOUR = 3600

US_EASTERN = BusinessCalendar(calendar_id="us_eastern", name="US Eastern business hours",
                              timezone="America/New_York", country="US",
                              hours={d: [("09:00", "17:00")] for d in range(5)})


def demo_policies() -> list[tuple[SlaPolicy, PolicyMatch]]:
    standard = SlaPolicy(policy_id="standard", name="Standard", calendar_id=TEAM_CALENDAR)
    vip = SlaPolicy(
        policy_id="vip", name="VIP: first response in 2 business hours", calendar_id=TEAM_CALENDAR,
        targets_s={SlaTarget.ASSIGN: 15 * 60, SlaTarget.FIRST_REPLY: 2 * HOUR, SlaTarget.NEXT_REPLY: 4 * HOUR,
                   SlaTarget.PENDING_REPLY: 2 * HOUR, SlaTarget.RESOLUTION: 3 * 8 * HOUR,
                   SlaTarget.COLLABORATION: 8 * HOUR},
        chain=[EscalationStep(role=EscalationRole.AGENT, after_breach_s=0, raise_priority=False),
               EscalationStep(role=EscalationRole.SUPERVISOR, after_breach_s=15 * 60, reassign=True),
               EscalationStep(role=EscalationRole.MANAGER, after_breach_s=HOUR)],
        target_chains={SlaTarget.ASSIGN: [
            EscalationStep(role=EscalationRole.SUPERVISOR, after_breach_s=0),
            EscalationStep(role=EscalationRole.MANAGER, after_breach_s=30 * 60)]})
    urgent = SlaPolicy(
        policy_id="urgent", name="Urgent priority", calendar_id=TEAM_CALENDAR,
        targets_s={SlaTarget.ASSIGN: 10 * 60, SlaTarget.FIRST_REPLY: HOUR, SlaTarget.NEXT_REPLY: 2 * HOUR,
                   SlaTarget.PENDING_REPLY: HOUR, SlaTarget.RESOLUTION: 2 * 8 * HOUR,
                   SlaTarget.COLLABORATION: 4 * HOUR})
    return [(standard, PolicyMatch()), (vip, PolicyMatch(tier="vip")),
            (urgent, PolicyMatch(priority="urgent"))]


def seed_sla_demo(session: Session) -> dict[str, int]:
    """Calendars and version 1 of each demo policy; running it again publishes nothing new."""
    save_calendar(session, US_EASTERN)
    published = 0
    for policy, match in demo_policies():
        if get_policy(session, policy.policy_id) is None:
            publish_policy(session, policy, match)
            published += 1
    return {"calendars": 1, "sla_policies": published}
