"""Shared pieces of the report queries: ratios, medians and the common SQL sums over daily facts."""

import statistics
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.reports.filters import ReportFilters, where
from store.tables import ReportTicketFactRow

TICKET_FACTS: Any = ReportTicketFactRow.__table__


def ratio(num: float | int | None, den: float | int | None) -> float | None:
    if not den or num is None:
        return None
    return float(num) / float(den)


def medians(session: Session, key: str, column: str, f: ReportFilters) -> dict[str, float]:
    """Median of a ticket-fact duration per group (interpolated for even counts, like percentile_cont)."""
    t = TICKET_FACTS.c
    group, value = t[key], t[column]
    filters = where(TICKET_FACTS, f) & value.is_not(None)
    if session.get_bind().dialect.name == "postgresql":
        q = select(group, func.percentile_cont(0.5).within_group(value)).where(filters).group_by(group)
        return {str(k): float(v) for k, v in session.execute(q) if v is not None}
    values: dict[str, list[float]] = defaultdict(list)
    for k, v in session.execute(select(group, value).where(filters)):
        values[str(k)].append(float(v))
    return {k: float(statistics.median(vs)) for k, vs in values.items()}


def range_days(session: Session, table: Any, f: ReportFilters) -> int | None:
    """Days the per-day rates divide by: the filter's range, else the span of days with tickets."""
    if f.days() is not None:
        return f.days()
    lo, hi = session.execute(select(func.min(table.c.day), func.max(table.c.day))
                             .where(where(table, f))).one()
    if lo is None or hi is None:
        return None
    return int((hi - lo).days) + 1
