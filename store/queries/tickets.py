"""Ticket list (keyset pagination over indexed columns), ticket detail and an agent's queue.

Keyset, not OFFSET: page N costs the same as page 1 at 100,000 tickets because each page seeks
the composite index `(sort key, ticket_id)` past the last row shown (store/tables.py).
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, false, literal, or_, select, true, tuple_
from sqlalchemy.orm import Session, sessionmaker

from domain.sla import SlaClock
from domain.status import TicketStatus
from store.queries.views import (
    OPEN,
    Cursor,
    MessageView,
    SlaState,
    TicketDetail,
    TicketFilter,
    TicketListItem,
    TicketPage,
    TicketSort,
    TimelineView,
)
from store.tables import MessageRow, TicketRow, TimelineEventRow

T = TicketRow
LIST_COLUMNS = [
    T.ticket_id,
    T.status,
    T.channel,
    T.subject,
    T.subject_translated,
    T.customer_name,
    T.customer_email,
    T.language,
    T.language_confidence,
    T.domain,
    T.priority,
    T.assignee,
    T.team,
    T.needs_triage,
    T.sla_breached,
    T.escalation_level,
    T.next_deadline,
    T.created_at,
    T.updated_at,
]
MAX_PAGE = 200
OPEN_STATUSES = [str(s) for s in TicketStatus if s is not TicketStatus.CLOSED]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filter_conditions(f: TicketFilter, now: datetime) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.status == OPEN:
        # `!=` rather than IN (4 statuses): SQLite then walks the sort index and stops after one
        # page, where IN would collect every open ticket and sort them (~100 ms at 100k rows).
        conds.append(T.status != str(TicketStatus.CLOSED))
    elif f.status:
        conds.append(T.status == f.status)
    for column, value in (
        (T.language, f.language),
        (T.domain, f.domain),
        (T.priority, f.priority),
        (T.assignee, f.assignee),
        (T.team, f.team),
    ):
        if value:
            conds.append(column == value)
    if f.needs_triage is not None:
        conds.append(T.needs_triage == (true() if f.needs_triage else false()))
    horizon = now + timedelta(seconds=f.risk_window_s)
    if f.sla is SlaState.BREACHED:
        conds.append(T.sla_breached == true())
    elif f.sla is SlaState.AT_RISK:
        conds += [T.sla_breached == false(), T.next_deadline <= horizon]
    elif f.sla is SlaState.ON_TRACK:
        conds += [T.sla_breached == false(), or_(T.next_deadline.is_(None), T.next_deadline > horizon)]
    text = f.text.strip()
    if text:
        prefix = _like_escape(text) + "%"
        contains = "%" + _like_escape(text) + "%"
        # Ticket ids and e-mails match by prefix (indexable); free text by substring.
        conds.append(
            or_(
                T.ticket_id.like(prefix, escape="\\"),
                T.customer_email.like(prefix, escape="\\"),
                T.subject.ilike(contains, escape="\\"),
                T.subject_translated.ilike(contains, escape="\\"),
                T.customer_name.ilike(contains, escape="\\"),
            )
        )
    return conds


def _sort_spec(sort: TicketSort) -> tuple[Any, bool]:
    """(sort column, descending)."""
    return {
        TicketSort.NEWEST: (T.created_at, True),
        TicketSort.OLDEST: (T.created_at, False),
        TicketSort.UPDATED: (T.updated_at, True),
        TicketSort.DEADLINE: (T.next_deadline, False),
    }[sort]


def ticket_page_statement(
    f: TicketFilter,
    sort: TicketSort = TicketSort.NEWEST,
    cursor: Cursor | None = None,
    limit: int = 50,
    now: datetime | None = None,
) -> Select[*tuple[Any, ...]]:
    """The page query; exposed so tests can EXPLAIN it."""
    now = now or datetime.now(UTC)
    column, descending = _sort_spec(sort)
    stmt: Select[*tuple[Any, ...]] = select(*LIST_COLUMNS).where(*filter_conditions(f, now))
    if sort is TicketSort.DEADLINE:
        stmt = stmt.where(T.next_deadline.is_not(None))
    if cursor is not None:
        key = tuple_(column, T.ticket_id)
        bound = tuple_(literal(cursor.key, column.type), literal(cursor.ticket_id, T.ticket_id.type))
        stmt = stmt.where(key < bound if descending else key > bound)
    order = [column.desc(), T.ticket_id.desc()] if descending else [column.asc(), T.ticket_id.asc()]
    return stmt.order_by(*order).limit(min(limit, MAX_PAGE) + 1)  # one extra row tells if a next page exists


def list_tickets(
    sessions: sessionmaker[Session],
    f: TicketFilter,
    sort: TicketSort = TicketSort.NEWEST,
    cursor: Cursor | None = None,
    limit: int = 50,
    now: datetime | None = None,
) -> TicketPage:
    limit = min(limit, MAX_PAGE)
    with sessions() as session:
        rows = session.execute(ticket_page_statement(f, sort, cursor, limit, now)).mappings().all()
    items = [TicketListItem.model_validate(dict(r)) for r in rows[:limit]]
    next_cursor = None
    if len(rows) > limit and items:
        column, _ = _sort_spec(sort)
        last = rows[limit - 1]
        next_cursor = Cursor(key=last[column.key], ticket_id=last["ticket_id"])
    return TicketPage(items=items, next_cursor=next_cursor)


def my_open_tickets(sessions: sessionmaker[Session], agent_id: str, limit: int = 100) -> list[TicketListItem]:
    """An agent's open tickets, most urgent first: breached, then soonest deadline, then priority."""
    priority_rank = case({"urgent": 0, "high": 1, "normal": 2, "low": 3}, value=T.priority, else_=4)
    stmt = (
        select(*LIST_COLUMNS)
        .where(T.assignee == agent_id, T.status.in_(OPEN_STATUSES))
        .order_by(
            T.sla_breached.desc(), T.next_deadline.is_(None), T.next_deadline, priority_rank, T.created_at
        )
        .limit(limit)
    )
    with sessions() as session:
        return [TicketListItem.model_validate(dict(r)) for r in session.execute(stmt).mappings()]


def _clocks(raw: dict[str, Any] | None) -> list[SlaClock]:
    clocks = []
    for value in (raw or {}).values():
        try:
            clocks.append(SlaClock.model_validate(value))
        except ValueError:
            continue  # a clock from a newer workflow version this console does not know; skip, never crash
    return sorted(clocks, key=lambda c: c.deadline)


def ticket_detail(sessions: sessionmaker[Session], ticket_id: str) -> TicketDetail | None:
    with sessions() as session:
        row = session.get(TicketRow, ticket_id)
        if row is None:
            return None
        header = {c.key: getattr(row, c.key) for c in TicketRow.__table__.columns}
        messages = [
            MessageView.model_validate(m, from_attributes=True)
            for m in session.scalars(
                select(MessageRow).where(MessageRow.ticket_id == ticket_id).order_by(MessageRow.seq)
            )
        ]
        timeline = [
            TimelineView.model_validate(e, from_attributes=True)
            for e in session.scalars(
                select(TimelineEventRow)
                .where(TimelineEventRow.ticket_id == ticket_id)
                .order_by(TimelineEventRow.seq)
            )
        ]
    header["sla_clocks"] = _clocks(header.get("sla_clocks"))
    return TicketDetail.model_validate({**header, "messages": messages, "timeline": timeline})


def ticket_exists(sessions: sessionmaker[Session], ticket_id: str) -> bool:
    with sessions() as session:
        return session.get(TicketRow, ticket_id) is not None


def distinct_values(sessions: sessionmaker[Session], column_name: str, limit: int = 200) -> list[str]:
    """Values for a filter drop-down (language, domain, team, assignee); each uses its own index."""
    column = {"language": T.language, "domain": T.domain, "team": T.team, "assignee": T.assignee}[column_name]
    stmt = select(column).where(column.is_not(None)).distinct().order_by(column).limit(limit)
    with sessions() as session:
        return [v for v in session.scalars(stmt) if v]
