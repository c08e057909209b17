"""ReportFactsRollupWorkflow: one run of the report-facts rollup, started by a Temporal Schedule
every 15 minutes (runtime/schedules.py). Deterministic: all work is in the activity.
"""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from domain.reports import ROLLUP_ACTIVITY, ROLLUP_WORKFLOW, RollupFactsRequest, RollupFactsResult


@workflow.defn(name=ROLLUP_WORKFLOW)
class ReportFactsRollupWorkflow:
    @workflow.run
    async def run(self, req: RollupFactsRequest | None = None) -> RollupFactsResult:
        # A full recompute of a million tickets takes minutes; the next scheduled run is skipped
        # while this one is still going (overlap policy SKIP), so a long timeout is safe.
        return await workflow.execute_activity(
            ROLLUP_ACTIVITY,
            req or RollupFactsRequest(),  # the schedule starts it without input
            result_type=RollupFactsResult,
            start_to_close_timeout=timedelta(minutes=30),
            retry_policy=RetryPolicy(initial_interval=timedelta(seconds=5),
                                     maximum_interval=timedelta(minutes=2), maximum_attempts=5),
        )
