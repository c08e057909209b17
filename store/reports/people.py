"""Per-agent and per-team reports from the daily facts.

A ticket counts for the agent (and team) holding it when the facts were computed; first-assignment
accuracy is the share of those tickets that were never reassigned (`tickets.reassigned`).
"""

from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.reports.aggregate import range_days, ratio
from store.reports.filters import ReportFilters, where
from store.reports.views import HandlingByLanguageRow, PeopleReportRow
from store.tables import ReportDailyFactRow

DAILY: Any = ReportDailyFactRow.__table__
By = Literal["agent", "team"]


def _people(session: Session, by: By, f: ReportFilters) -> list[PeopleReportRow]:
    d = DAILY.c
    key = d[by]
    q = (select(key, func.sum(d.tickets), func.sum(d.resolved), func.sum(d.handling_sum_s),
                func.sum(d.handling_count), func.sum(d.csat_sum), func.sum(d.csat_count),
                func.sum(d.breached_any), func.sum(d.assigned), func.sum(d.reassigned))
         .where(where(DAILY, f), key != "").group_by(key).order_by(key))
    days = range_days(session, DAILY, f)
    rows = []
    for row in session.execute(q):
        k, tickets, resolved, h_sum, h_count, c_sum, c_count, breached, assigned, reassigned = row
        rows.append(PeopleReportRow(
            key=str(k), tickets=int(tickets), resolved=int(resolved),
            handled_per_day=ratio(resolved, days),
            avg_handling_s=ratio(h_sum, h_count),
            csat_avg=ratio(c_sum, c_count), csat_count=int(c_count),
            breach_rate=ratio(breached, tickets),
            first_assignment_accuracy=ratio((assigned or 0) - (reassigned or 0), assigned),
        ))
    return rows


def agent_report(session: Session, filters: ReportFilters | None = None) -> list[PeopleReportRow]:
    return _people(session, "agent", filters or ReportFilters())


def team_report(session: Session, filters: ReportFilters | None = None) -> list[PeopleReportRow]:
    return _people(session, "team", filters or ReportFilters())


def handling_by_language(session: Session, filters: ReportFilters | None = None,
                         by: By = "agent") -> list[HandlingByLanguageRow]:
    f = filters or ReportFilters()
    d = DAILY.c
    key = d[by]
    q = (select(key, d.language, func.sum(d.tickets), func.sum(d.handling_sum_s), func.sum(d.handling_count))
         .where(where(DAILY, f), key != "").group_by(key, d.language).order_by(key, d.language))
    return [HandlingByLanguageRow(key=str(k), language=str(lang), tickets=int(n), avg_handling_s=ratio(s, c))
            for k, lang, n, s, c in session.execute(q)]
