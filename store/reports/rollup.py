"""Keep the facts tables current: recompute the tickets changed since the watermark, then re-sum
the days they belong to. Every step is an idempotent upsert or a delete-and-insert of whole days,
so a retried or repeated rollup leaves the same rows.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.orm import Session

from store.reports.filters import REPEAT_DAYS_DEFAULT
from store.reports.nodes import NODES
from store.reports.ticket_facts import ticket_facts, utc
from store.tables import (
    CsatResponseRow,
    ReportDailyFactRow,
    ReportTicketFactRow,
    ReportWatermarkRow,
    TicketRow,
)
from store.upsert import upsert

WATERMARK = "report_facts"
# Projection writes can land a little after the workflow time they carry: re-read this much.
LAG = timedelta(hours=1)
BATCH = 500
DIMENSIONS = ("day", "language", "team", "channel", "agent", "domain", "industry")


class RollupResult(BaseModel):
    tickets: int = 0
    days: list[date] = Field(default_factory=list)
    watermark: datetime | None = None


def _changed_since(session: Session, since: datetime | None) -> tuple[set[str], datetime | None]:
    """Tickets updated (or rated) after `since`, and the newest timestamp seen."""
    tq = select(TicketRow.ticket_id, TicketRow.updated_at)
    cq = select(CsatResponseRow.ticket_id, CsatResponseRow.submitted_at)
    if since is not None:
        tq = tq.where(TicketRow.updated_at > since)
        cq = cq.where(CsatResponseRow.submitted_at > since)
    ids: set[str] = set()
    newest: datetime | None = None
    for tid, at in [*session.execute(tq), *session.execute(cq)]:
        ids.add(tid)
        newest = utc(at) if newest is None else max(newest, utc(at))
    return ids, newest


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def refresh_tickets(session: Session, ids: Iterable[str], now: datetime) -> set[date]:
    """Recompute the ticket facts of `ids`; returns the days they fall on."""
    days: set[date] = set()
    table: Any = ReportTicketFactRow.__table__
    for chunk in _chunks(sorted(ids), BATCH):
        rows = ticket_facts(session, chunk, now)
        upsert(session, table, rows, ["ticket_id"])
        days.update(r["day"] for r in rows)
    return days


def _sum_bool(column: Any) -> Any:
    return func.sum(case((column, 1), else_=0))


def rebuild_days(session: Session, days: Iterable[date]) -> None:
    """Replace the daily facts of `days` with fresh sums of their ticket facts."""
    days = sorted(set(days))
    if not days:
        return
    f = ReportTicketFactRow.__table__.c
    d: Any = ReportDailyFactRow.__table__
    repeat_s = REPEAT_DAYS_DEFAULT * 86400
    measures: dict[str, Any] = {
        "tickets": func.count(),
        "resolved": _sum_bool(f.resolved),
        "handling_count": func.count(f.handling_s),
        "handling_sum_s": func.coalesce(func.sum(f.handling_s), 0.0),
        "first_response_count": func.count(f.first_response_s),
        "first_response_sum_s": func.coalesce(func.sum(f.first_response_s), 0.0),
        "resolution_count": func.count(f.resolution_s),
        "resolution_sum_s": func.coalesce(func.sum(f.resolution_s), 0.0),
        "reopened": _sum_bool(f.reopened),
        "assigned": _sum_bool(f.assigned),
        "reassigned": _sum_bool(f.reassigned),
        "repeat_default": func.sum(case((f.repeat_gap_s <= repeat_s, 1), else_=0)),
        "messages": func.sum(f.messages),
        "machine_translated": func.sum(f.machine_translated),
        "machine_translated_tickets": func.sum(case((f.machine_translated > 0, 1), else_=0)),
        "post_edits": func.sum(f.post_edits),
        "post_edit_sum": func.sum(f.post_edit_sum),
        "breached_any": func.sum(f.breached_any),
        "csat_sum": func.sum(f.csat_sum),
        "csat_count": func.sum(f.csat_count),
    }
    for node in NODES:
        measures[f"reached_{node}"] = func.sum(f[f"reached_{node}"])
        measures[f"breach_{node}"] = func.sum(f[f"breach_{node}"])
    dims = [f[name] for name in DIMENSIONS]
    for i in range(0, len(days), BATCH):
        part = days[i:i + BATCH]
        session.execute(delete(d).where(d.c.day.in_(part)))
        source = select(*dims, *measures.values()).where(f.day.in_(part)).group_by(*dims)
        session.execute(insert(d).from_select([*DIMENSIONS, *measures], source))


def stale_days(session: Session) -> set[date]:
    """Days whose daily sums no longer match their ticket facts, e.g. after a GDPR erasure deleted
    tickets (and their ticket facts, store/gdpr.py) without touching any watermark column."""
    f: Any = ReportTicketFactRow.__table__
    d: Any = ReportDailyFactRow.__table__
    facts: dict[date, int] = {day: int(n) for day, n in
                              session.execute(select(f.c.day, func.count()).group_by(f.c.day))}
    summed: dict[date, int] = {day: int(n or 0) for day, n in
                               session.execute(select(d.c.day, func.sum(d.c.tickets)).group_by(d.c.day))}
    return {day for day in facts.keys() | summed.keys() if facts.get(day, 0) != summed.get(day, 0)}


def rollup(session: Session, now: datetime | None = None, full: bool = False) -> RollupResult:
    """One pass: tickets changed since the watermark (all with `full`) -> ticket facts -> their days."""
    now = now or datetime.now(UTC)
    mark = session.get(ReportWatermarkRow, WATERMARK)
    since = None if full or mark is None else utc(mark.watermark) - LAG
    ids, newest = _changed_since(session, since)
    days = refresh_tickets(session, ids, now) | stale_days(session)
    rebuild_days(session, days)
    if newest is not None and (mark is None or newest > utc(mark.watermark)):
        upsert(session, ReportWatermarkRow.__table__,  # type: ignore[arg-type]
               [{"name": WATERMARK, "watermark": newest, "updated_at": now}], ["name"])
    kept = newest if mark is None else max(utc(mark.watermark), newest or utc(mark.watermark))
    return RollupResult(tickets=len(ids), days=sorted(days), watermark=kept)
