"""Types and names of the scheduled report-facts rollup (sandbox-safe: pydantic only)."""

from datetime import datetime

from pydantic import BaseModel

ROLLUP_WORKFLOW = "ReportFactsRollupWorkflow"
ROLLUP_ACTIVITY = "rollup_report_facts"
ROLLUP_SCHEDULE_ID = "report-facts-rollup"
ROLLUP_EVERY_S = 15 * 60


class RollupFactsRequest(BaseModel):
    full: bool = False  # recompute every ticket instead of those changed since the watermark


class RollupFactsResult(BaseModel):
    tickets: int = 0
    days: int = 0
    watermark: datetime | None = None
