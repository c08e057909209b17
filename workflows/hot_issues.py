"""HotIssueScanWorkflow: one scan, started every 15 minutes by a Temporal Schedule.

Deterministic: the scan (SQL, glossary matching, spike rule, alert upsert) is one activity given
the scheduled time; each new or doubled alert goes to the configured recipients through the
existing `notify` activity (console notifications table + e-mail/webhook sinks).
"""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from domain.hot_issues import (
        HOT_ISSUE_KIND,
        HOT_ISSUE_WORKFLOW,
        SCAN_HOT_ISSUES,
        ScanHotIssuesRequest,
        ScanHotIssuesResult,
    )
    from workflows import ticket_steps as steps


@workflow.defn(name=HOT_ISSUE_WORKFLOW)
class HotIssueScanWorkflow:
    @workflow.run
    async def run(self, req: ScanHotIssuesRequest | None = None) -> ScanHotIssuesResult:
        # A Schedule starts it without input: the scan looks at the window ending now.
        scan = req or ScanHotIssuesRequest(now=workflow.now())
        result = await workflow.execute_activity(
            SCAN_HOT_ISSUES,
            scan,
            result_type=ScanHotIssuesResult,
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=RetryPolicy(maximum_interval=timedelta(minutes=1), maximum_attempts=5),
        )
        for alert in result.alerts:
            if alert.notify:
                await steps.notify(
                    alert.notification_id,
                    HOT_ISSUE_KIND,
                    result.recipients,
                    alert.summary,
                    "critical" if alert.created else "warning",
                )
        return result
