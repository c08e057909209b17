"""Supervisor overview: counts, SLA risk, alerts, agent load, triage queue."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, true, update
from sqlalchemy.orm import Session, sessionmaker

from store.queries.tickets import LIST_COLUMNS, OPEN_STATUSES, _clocks
from store.queries.views import AgentLoad, NotificationView, SlaRiskItem, TicketListItem
from store.tables import AgentRow, NotificationRow, TicketRow
from store.timestamps import as_utc

T = TicketRow
ALERT_KINDS = ["escalation", "sla_breach", "sla_warning", "delivery_failed", "csat_low"]


def status_counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:
        return {s: n for s, n in session.execute(select(T.status, func.count()).group_by(T.status))}


def language_counts(sessions: sessionmaker[Session], open_only: bool = True) -> dict[str, int]:
    stmt = select(T.language, func.count()).group_by(T.language)
    if open_only:
        stmt = stmt.where(T.status.in_(OPEN_STATUSES))
    with sessions() as session:
        rows = session.execute(stmt).all()
    return dict(sorted(((lang, n) for lang, n in rows), key=lambda kv: -kv[1]))


def sla_risk(
    sessions: sessionmaker[Session],
    now: datetime | None = None,
    window: timedelta = timedelta(hours=1),
    limit: int = 50,
) -> list[SlaRiskItem]:
    """Open tickets past or within `window` of a node's threshold, the oldest deadline first.

    Two indexed probes (breached flag; next_deadline range), then per-clock detail from sla_clocks.
    """
    now = now or datetime.now(UTC)
    base = select(T).where(T.status.in_(OPEN_STATUSES))
    with sessions() as session:
        near = session.scalars(
            base.where(T.next_deadline <= now + window).order_by(T.next_deadline).limit(limit)
        ).all()
        breached = session.scalars(
            base.where(T.sla_breached == true()).order_by(T.created_at).limit(limit)
        ).all()
        rows = {r.ticket_id: r for r in [*near, *breached]}.values()
        items = []
        for row in rows:
            clocks = [c for c in _clocks(row.sla_clocks) if c.paused_at is None]
            risky = [c for c in clocks if c.breached or as_utc(c.deadline) <= now + window]
            clock = min(risky, key=lambda c: c.deadline) if risky else None
            deadline = as_utc(clock.deadline) if clock else as_utc(row.next_deadline or row.created_at)
            items.append(
                SlaRiskItem(
                    ticket_id=row.ticket_id,
                    subject=row.subject_translated or row.subject,
                    status=row.status,
                    language=row.language,
                    priority=row.priority,
                    assignee=row.assignee,
                    target=str(clock.target) if clock else "-",
                    deadline=deadline,
                    breached=row.sla_breached or bool(clock and clock.breached),
                )
            )
    return sorted(items, key=lambda i: i.deadline)[:limit]


def alerts(
    sessions: sessionmaker[Session],
    limit: int = 30,
    include_acknowledged: bool = False,
    kinds: list[str] | None = None,
) -> list[NotificationView]:
    stmt = (
        select(NotificationRow)
        .where(NotificationRow.kind.in_(kinds or ALERT_KINDS))
        .order_by(NotificationRow.created_at.desc())
        .limit(limit)
    )
    if not include_acknowledged:
        stmt = stmt.where(NotificationRow.acknowledged_at.is_(None))
    with sessions() as session:
        return [NotificationView.model_validate(r, from_attributes=True) for r in session.scalars(stmt)]


def acknowledge(
    sessions: sessionmaker[Session], notification_id: str, by: str, now: datetime | None = None
) -> bool:
    """Mark an alert seen. Notifications are console state, not ticket state, so the console may write it."""
    with sessions.begin() as session:
        result = session.execute(
            update(NotificationRow)
            .where(
                NotificationRow.notification_id == notification_id, NotificationRow.acknowledged_at.is_(None)
            )
            .values(acknowledged_by=by, acknowledged_at=now or datetime.now(UTC))
        )
        return bool(getattr(result, "rowcount", 0))


def agent_load(sessions: sessionmaker[Session], online_only: bool = False) -> list[AgentLoad]:
    counts = (
        select(T.assignee.label("agent_id"), func.count().label("n"))
        .where(T.status.in_(OPEN_STATUSES), T.assignee.is_not(None))
        .group_by(T.assignee)
        .subquery()
    )
    stmt = (
        select(
            AgentRow.agent_id,
            AgentRow.name,
            AgentRow.team_id,
            AgentRow.presence,
            AgentRow.capacity,
            func.coalesce(counts.c.n, 0).label("open_tickets"),
        )
        .outerjoin(counts, counts.c.agent_id == AgentRow.agent_id)
        .where(AgentRow.active == true())
        .order_by(AgentRow.team_id, AgentRow.agent_id)
    )
    if online_only:
        stmt = stmt.where(AgentRow.presence == "online")
    with sessions() as session:
        return [AgentLoad.model_validate(dict(r)) for r in session.execute(stmt).mappings()]


def triage_queue(sessions: sessionmaker[Session], limit: int = 50) -> list[TicketListItem]:
    stmt = (
        select(*LIST_COLUMNS)
        .where(T.needs_triage == true(), T.status.in_(OPEN_STATUSES))
        .order_by(T.created_at)
        .limit(limit)
    )
    with sessions() as session:
        return [TicketListItem.model_validate(dict(r)) for r in session.execute(stmt).mappings()]
