"""Hot-issue alerts in SQL: the scan's input (recent tickets' texts) and its output (alerts).

One open alert per issue: a hot group that shares a topic key with an open alert updates it (more
tickets, more languages) instead of raising another. An alert closes once its group has not been
hot for the cool-down period; a later spike of the same thing is a new alert. Acknowledging is
console state (who/when), like acknowledging a ticket notification.
"""

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session, sessionmaker

from insights.spikes import HotGroup
from insights.topics import TicketText
from store.tables import HotIssueAlertRow, HotIssueTicketRow, MessageRow, TicketRow
from store.timestamps import as_utc
from store.upsert import upsert


class AlertChange(BaseModel):
    alert_id: int
    summary: str
    created: bool
    notify: bool  # new, or doubled since it was last sent out


class HotIssueTicket(BaseModel):
    ticket_id: str
    language: str
    created_at: datetime
    subject: str = ""
    status: str = ""


class HotIssueAlertView(BaseModel):
    alert_id: int
    keys: list[str]
    label: str
    summary: str
    status: str
    ticket_count: int
    languages: list[str]
    first_seen_at: datetime
    last_hot_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    tickets: list[HotIssueTicket] = Field(default_factory=list)


def notification_id(alert_id: int) -> str:
    """The `ticket_id` an alert's notifications carry (the sinks and the notifications table)."""
    return f"hot-issue-{alert_id}"


def load_ticket_texts(session: Session, since: datetime, limit: int) -> list[TicketText]:
    stmt = (
        select(
            TicketRow.ticket_id,
            TicketRow.language,
            TicketRow.created_at,
            TicketRow.subject,
            TicketRow.subject_translated,
            MessageRow.original_text,
            MessageRow.translated_text,
        )
        .outerjoin(MessageRow, and_(MessageRow.ticket_id == TicketRow.ticket_id, MessageRow.seq == 1))
        .where(TicketRow.created_at >= since)
        .order_by(TicketRow.created_at.desc())
        .limit(limit)
    )
    return [
        TicketText(
            ticket_id=r.ticket_id,
            language=r.language,
            created_at=as_utc(r.created_at),
            text="\n".join(x for x in (r.subject, r.original_text) if x),
            translated="\n".join(x for x in (r.subject_translated, r.translated_text) if x),
        )
        for r in session.execute(stmt)
    ]


def _add_tickets(
    session: Session, alert_id: int, group: HotGroup, languages: dict[str, str], created: dict[str, datetime]
) -> None:
    upsert(
        session,
        HotIssueTicketRow.__table__,  # type: ignore[arg-type]
        [
            {"alert_id": alert_id, "ticket_id": t, "language": languages.get(t, ""), "created_at": created[t]}
            for t in group.ticket_ids
        ],
        ["alert_id", "ticket_id"],
        do_nothing=True,
    )


def apply_groups(
    session: Session,
    groups: list[HotGroup],
    now: datetime,
    cool_down: timedelta,
    ticket_languages: dict[str, str],
    ticket_created: dict[str, datetime],
) -> list[AlertChange]:
    open_alerts = list(session.scalars(select(HotIssueAlertRow).where(HotIssueAlertRow.status == "open")))
    changes: list[AlertChange] = []
    touched: set[int] = set()
    for group in groups:
        keys = set(group.keys)
        match = max(
            (a for a in open_alerts if keys & set(a.keys)),
            key=lambda a: (len(keys & set(a.keys)), -a.alert_id),
            default=None,
        )
        if match is None:
            row = HotIssueAlertRow(
                keys=sorted(keys),
                label=group.label,
                summary=group.summary(),
                status="open",
                ticket_count=group.count,
                languages=group.languages,
                window_hours=group.window_hours,
                expected=group.expected,
                first_seen_at=now,
                last_hot_at=now,
                updated_at=now,
                notified_count=group.count,
            )
            session.add(row)
            session.flush()
            open_alerts.append(row)
            _add_tickets(session, row.alert_id, group, ticket_languages, ticket_created)
            changes.append(AlertChange(alert_id=row.alert_id, summary=row.summary, created=True, notify=True))
            touched.add(row.alert_id)
            continue
        _add_tickets(session, match.alert_id, group, ticket_languages, ticket_created)
        session.flush()
        listed = list(
            session.execute(
                select(HotIssueTicketRow.language).where(HotIssueTicketRow.alert_id == match.alert_id)
            ).scalars()
        )
        match.keys = sorted(keys | set(match.keys))
        match.label, match.summary = group.label, group.summary()
        match.ticket_count = len(listed)
        match.languages = sorted({*match.languages, *group.languages})
        match.expected = group.expected
        match.last_hot_at = match.updated_at = now
        notify = match.ticket_count >= 2 * max(match.notified_count, 1)
        if notify:
            match.notified_count = match.ticket_count
        if match.alert_id not in touched:
            changes.append(
                AlertChange(alert_id=match.alert_id, summary=match.summary, created=False, notify=notify)
            )
            touched.add(match.alert_id)
    for alert in open_alerts:
        if alert.alert_id not in touched and now - as_utc(alert.last_hot_at) >= cool_down:
            alert.status, alert.closed_at, alert.updated_at = "closed", now, now
    return changes


def list_alerts(
    sessions: sessionmaker[Session],
    include_closed: bool = False,
    include_acknowledged: bool = True,
    limit: int = 50,
    tickets_per_alert: int = 100,
) -> list[HotIssueAlertView]:
    stmt = select(HotIssueAlertRow).order_by(HotIssueAlertRow.last_hot_at.desc()).limit(limit)
    if not include_closed:
        stmt = stmt.where(HotIssueAlertRow.status == "open")
    if not include_acknowledged:
        stmt = stmt.where(HotIssueAlertRow.acknowledged_at.is_(None))
    with sessions() as session:
        views = []
        for row in session.scalars(stmt):
            tickets = session.execute(
                select(
                    HotIssueTicketRow.ticket_id,
                    HotIssueTicketRow.language,
                    HotIssueTicketRow.created_at,
                    TicketRow.subject_translated,
                    TicketRow.subject,
                    TicketRow.status,
                )
                .outerjoin(TicketRow, TicketRow.ticket_id == HotIssueTicketRow.ticket_id)
                .where(HotIssueTicketRow.alert_id == row.alert_id)
                .order_by(HotIssueTicketRow.created_at)
                .limit(tickets_per_alert)
            )
            views.append(
                HotIssueAlertView(
                    alert_id=row.alert_id,
                    keys=list(row.keys),
                    label=row.label,
                    summary=row.summary,
                    status=row.status,
                    ticket_count=row.ticket_count,
                    languages=list(row.languages),
                    first_seen_at=as_utc(row.first_seen_at),
                    last_hot_at=as_utc(row.last_hot_at),
                    updated_at=as_utc(row.updated_at),
                    closed_at=row.closed_at,
                    acknowledged_by=row.acknowledged_by,
                    acknowledged_at=row.acknowledged_at,
                    tickets=[
                        HotIssueTicket(
                            ticket_id=t.ticket_id,
                            language=t.language,
                            created_at=as_utc(t.created_at),
                            subject=t.subject_translated or t.subject or "",
                            status=t.status or "",
                        )
                        for t in tickets
                    ],
                )
            )
        return views


def acknowledge_alert(
    sessions: sessionmaker[Session], alert_id: int, by: str, now: datetime | None = None
) -> bool:
    """Record who saw the alert and when; False when it was already acknowledged (or is unknown)."""
    with sessions.begin() as session:
        result = session.execute(
            update(HotIssueAlertRow)
            .where(HotIssueAlertRow.alert_id == alert_id, HotIssueAlertRow.acknowledged_at.is_(None))
            .values(acknowledged_by=by, acknowledged_at=now or datetime.now(UTC))
        )
        return bool(getattr(result, "rowcount", 0))
