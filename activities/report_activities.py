"""The report-facts rollup as an activity: recompute facts of tickets changed since the watermark.

Synchronous (SQL work on the worker's thread pool). Idempotent: a retry after a crash rewrites
the same ticket facts and days, and the watermark only moves once the transaction commits.
"""

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from domain.reports import ROLLUP_ACTIVITY, RollupFactsRequest, RollupFactsResult
from store.reports import rollup


class ReportActivities:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @activity.defn(name=ROLLUP_ACTIVITY)
    def rollup_report_facts(self, req: RollupFactsRequest) -> RollupFactsResult:
        with self._sessions.begin() as session:
            result = rollup(session, full=req.full)
        activity.logger.info("report facts: %d tickets, %d days", result.tickets, len(result.days))
        return RollupFactsResult(tickets=result.tickets, days=len(result.days), watermark=result.watermark)
