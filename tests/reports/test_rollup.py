"""The facts rollup: incremental passes equal a full recompute, and reruns change nothing."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from store.reports import (
    agent_report,
    domain_language_distribution,
    language_report,
    rollup,
    top_recurring_issues,
)
from store.tables import (
    CsatResponseRow,
    ReportDailyFactRow,
    ReportTicketFactRow,
    ReportWatermarkRow,
    TicketRow,
)
from tests.reports.dataset import TICKETS, seed


def daily_facts(session: Session) -> list[tuple[Any, ...]]:
    table: Any = ReportDailyFactRow.__table__
    rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows]


def reports(session: Session) -> list[Any]:
    return [language_report(session), agent_report(session), domain_language_distribution(session),
            top_recurring_issues(session)]


def full_recompute(sessions: sessionmaker[Session]) -> tuple[list[Any], list[Any]]:
    """Facts and reports computed from nothing, for comparison."""
    with sessions.begin() as session:
        for table in (ReportDailyFactRow, ReportTicketFactRow, ReportWatermarkRow):
            session.execute(delete(table))
        rollup(session, full=True)
    with sessions() as session:
        return daily_facts(session), reports(session)


def test_rerun_is_idempotent(seeded: sessionmaker[Session]) -> None:
    with seeded.begin() as session:
        first = rollup(session)
    with seeded() as session:
        facts, figures = daily_facts(session), reports(session)
    with seeded.begin() as session:
        again = rollup(session)  # nothing changed past the watermark; the lag window is re-read
        rollup(session, full=True)
    with seeded() as session:
        assert daily_facts(session) == facts
        assert reports(session) == figures
    assert first.tickets == len(TICKETS)
    assert again.watermark == first.watermark


def test_incremental_rollups_equal_a_full_recompute(empty_store: sessionmaker[Session]) -> None:
    with empty_store.begin() as session:
        seed(session, only=["t1", "t3", "t4"])
        first = rollup(session)
    assert first.tickets == 3
    # Later: new tickets arrive, t4 gets resolved, t1 is rated again.
    with empty_store.begin() as session:
        seed(session, only=["t2", "t5", "t6"])
        t4 = session.get(TicketRow, "t4")
        assert t4 is not None
        later = t4.created_at + timedelta(days=20)
        resolved = t4.created_at + timedelta(hours=8)
        session.execute(update(TicketRow).where(TicketRow.ticket_id == "t4")
                        .values(resolved_at=resolved, status="closed", updated_at=later))
        session.add(CsatResponseRow(ticket_id="t1", resolution_round=1, score=1, language="en",
                                    agent_id="amy", team="eu", submitted_at=later))
    with empty_store.begin() as session:
        second = rollup(session)
    # Changed since the watermark minus its lag: the three new tickets, t4, t1 (new rating) and t3
    # (rated within the lag window); only their days are re-summed.
    assert second.tickets == len(TICKETS)
    assert second.days == [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 12)]
    assert second.watermark is not None and first.watermark is not None and second.watermark > first.watermark
    with empty_store() as session:
        incremental_facts, incremental_reports = daily_facts(session), reports(session)
        de = next(r for r in language_report(session) if r.language == "de")
        en = next(r for r in language_report(session) if r.language == "en")
    assert de.resolved == 2  # t4's resolution reached the facts
    assert en.csat_count == 3  # so did t1's second rating
    assert (incremental_facts, incremental_reports) == full_recompute(empty_store)


def test_erased_tickets_leave_the_daily_sums(seeded: sessionmaker[Session]) -> None:
    """A GDPR erasure deletes a ticket and its ticket facts (store/gdpr.py): the next rollup re-sums
    its day even though no watermark column moved."""
    with seeded.begin() as session:
        rollup(session)
    with seeded.begin() as session:
        for table in (ReportTicketFactRow, CsatResponseRow, TicketRow):
            session.execute(delete(table).where(table.ticket_id == "t3"))
    with seeded.begin() as session:
        result = rollup(session)
    assert date(2026, 3, 2) in result.days
    with seeded() as session:
        de = next(r for r in language_report(session) if r.language == "de")
        after_erasure = daily_facts(session)
    assert (de.tickets, de.resolved, de.csat_count) == (1, 0, 0)
    assert after_erasure == full_recompute(seeded)[0]
