"""`lingodesk report rollup [--full]` refreshes the report facts now; `lingodesk report languages|agents|
teams|domains|industries|issues [filters]` prints a report as CSV (the console's CSV columns;
docs/reports.md)."""

import argparse
import csv
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from runtime.settings import get_settings

if TYPE_CHECKING:
    from pydantic import BaseModel
    from sqlalchemy.orm import Session

    from store.reports import ReportFilters

REPORTS = ["languages", "agents", "teams", "domains", "industries", "issues"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("report", help="report facts rollup and CSV reports")
    p.add_argument("action", choices=["rollup", *REPORTS])
    p.add_argument("--full", action="store_true", help="rollup: recompute every ticket")
    p.add_argument("--start", type=date.fromisoformat, help="first created day (YYYY-MM-DD)")
    p.add_argument("--end", type=date.fromisoformat, help="last created day (YYYY-MM-DD)")
    p.add_argument("--team")
    p.add_argument("--language")
    p.add_argument("--channel")
    p.add_argument("--repeat-days", type=int, default=7)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from store import reports
    from store.migrate import migrated_sessions

    sessions = migrated_sessions(get_settings().database_url)  # the facts tables come with migration 0003
    if args.action == "rollup":
        with sessions.begin() as session:
            result = reports.rollup(session, full=args.full)
        print(f"{result.tickets} tickets, {len(result.days)} days, watermark {result.watermark}")
        return 0
    f = reports.ReportFilters(start=args.start, end=args.end, team=args.team, language=args.language,
                              channel=args.channel, repeat_days=args.repeat_days)
    with sessions() as session:
        rows = _report(session, args.action, f)
    if rows:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(type(rows[0]).model_fields))
        writer.writeheader()
        writer.writerows(r.model_dump() for r in rows)
    return 0


def _report(session: "Session", action: str, f: "ReportFilters") -> "Sequence[BaseModel]":
    from store import reports

    if action == "languages":
        return reports.language_report(session, f)
    if action == "agents":
        return reports.agent_report(session, f)
    if action == "teams":
        return reports.team_report(session, f)
    if action == "domains":
        return reports.domain_language_distribution(session, f)
    if action == "industries":
        return reports.domain_language_distribution(session, f, by="industry")
    return reports.top_recurring_issues(session, f)
