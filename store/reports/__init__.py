"""Reports over pre-aggregated facts (issue #10): per language, agent, team, domain and industry.

Every query takes a SQLAlchemy `Session` and a `ReportFilters` and returns pydantic rows. The facts
tables are filled by `rollup` (activities/report_activities.py, every 15 minutes); docs/reports.md
defines each figure.
"""

from store.reports.domains import domain_language_distribution, top_recurring_issues
from store.reports.filters import REPEAT_DAYS_DEFAULT, ReportFilters
from store.reports.language import language_report
from store.reports.nodes import NODES
from store.reports.options import FilterOptions, filter_options
from store.reports.people import agent_report, handling_by_language, team_report
from store.reports.rollup import RollupResult, rebuild_days, refresh_tickets, rollup
from store.reports.views import (
    DistributionRow,
    HandlingByLanguageRow,
    LanguageReportRow,
    PeopleReportRow,
    RecurringIssueRow,
)

__all__ = [
    "NODES",
    "REPEAT_DAYS_DEFAULT",
    "DistributionRow",
    "FilterOptions",
    "HandlingByLanguageRow",
    "LanguageReportRow",
    "PeopleReportRow",
    "RecurringIssueRow",
    "ReportFilters",
    "RollupResult",
    "agent_report",
    "domain_language_distribution",
    "filter_options",
    "handling_by_language",
    "language_report",
    "rebuild_days",
    "refresh_tickets",
    "rollup",
    "team_report",
    "top_recurring_issues",
]
