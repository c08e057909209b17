"""Per-language report: sums from the daily facts; medians and other repeat windows from ticket facts."""

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from store.reports.aggregate import TICKET_FACTS, medians, ratio
from store.reports.filters import REPEAT_DAYS_DEFAULT, ReportFilters, where
from store.reports.nodes import NODES
from store.reports.views import LanguageReportRow
from store.tables import ReportDailyFactRow

DAILY: Any = ReportDailyFactRow.__table__
SUMMED = ("tickets", "resolved", "handling_count", "handling_sum_s", "first_response_count",
          "first_response_sum_s", "resolution_count", "resolution_sum_s", "reopened", "repeat_default",
          "messages", "machine_translated", "machine_translated_tickets", "post_edits", "post_edit_sum",
          "csat_sum", "csat_count",
          *(f"reached_{n}" for n in NODES), *(f"breach_{n}" for n in NODES))


def _repeats(session: Session, f: ReportFilters) -> dict[str, int]:
    """Repeat inquiries per language for a window other than the pre-summed default."""
    t = TICKET_FACTS.c
    hit = func.sum(case((t.repeat_gap_s <= f.repeat_days * 86400, 1), else_=0))
    q = select(t.language, hit).where(where(TICKET_FACTS, f)).group_by(t.language)
    return {str(k): int(v or 0) for k, v in session.execute(q)}


def language_report(session: Session, filters: ReportFilters | None = None) -> list[LanguageReportRow]:
    f = filters or ReportFilters()
    d = DAILY.c
    q = (select(d.language, *(func.sum(d[c]).label(c) for c in SUMMED))
         .where(where(DAILY, f)).group_by(d.language).order_by(func.sum(d.tickets).desc(), d.language))
    sums = [row._mapping for row in session.execute(q)]
    med = {c: medians(session, "language", f"{c}_s", f) for c in ("handling", "first_response", "resolution")}
    repeats = _repeats(session, f) if f.repeat_days != REPEAT_DAYS_DEFAULT else None
    rows: list[LanguageReportRow] = []
    for s in sums:
        lang = str(s["language"])
        repeat = repeats.get(lang, 0) if repeats is not None else s["repeat_default"]
        values: dict[str, Any] = {
            "language": lang,
            "tickets": int(s["tickets"]),
            "resolved": int(s["resolved"]),
            "csat_avg": ratio(s["csat_sum"], s["csat_count"]),
            "csat_count": int(s["csat_count"]),
            "reopen_rate": ratio(s["reopened"], s["tickets"]),
            "repeat_rate": ratio(repeat, s["tickets"]),
            "machine_translated_share": ratio(s["machine_translated"], s["messages"]),
            "machine_translated_ticket_share": ratio(s["machine_translated_tickets"], s["tickets"]),
            "post_edit_rate": ratio(s["post_edit_sum"], s["post_edits"]),
            "post_edited_replies": int(s["post_edits"]),
        }
        for c in ("handling", "first_response", "resolution"):
            values[f"avg_{c}_s"] = ratio(s[f"{c}_sum_s"], s[f"{c}_count"])
            values[f"median_{c}_s"] = med[c].get(lang)
        for node in NODES:
            values[f"breach_rate_{node}"] = ratio(s[f"breach_{node}"], s[f"reached_{node}"])
        rows.append(LanguageReportRow(**values))
    return rows
