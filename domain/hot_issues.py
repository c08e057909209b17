"""Hot-issue detection: names and the scan activity's input/output (Temporal boundary)."""

from datetime import datetime
from typing import Final

from pydantic import BaseModel, Field

HOT_ISSUE_WORKFLOW: Final = "HotIssueScanWorkflow"
HOT_ISSUE_SCHEDULE_ID: Final = "hot-issue-scan"
SCAN_HOT_ISSUES: Final = "scan_hot_issues"
HOT_ISSUE_KIND: Final = "hot_issue"  # notification kind (sinks, notifications table)


class ScanHotIssuesRequest(BaseModel):
    now: datetime  # the scheduled time (workflow.now()), so a retried scan looks at the same window


class AlertNotice(BaseModel):
    alert_id: int
    notification_id: str  # `ticket_id` of the notification: "hot-issue-<id>"
    summary: str
    created: bool
    notify: bool


class ScanHotIssuesResult(BaseModel):
    tickets_scanned: int = 0
    hot_keys: list[str] = Field(default_factory=list)
    alerts: list[AlertNotice] = Field(default_factory=list)
    recipients: list[str] = Field(default_factory=list)
