"""On PostgreSQL the report queries read the facts through indexes, not whole-table scans.

The facts tables are filled with synthetic rows by SQL (a year, 20 languages, 10 agents), then
every statement the report functions send is captured and EXPLAINed with its own parameters.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from store.reports import (
    ReportFilters,
    agent_report,
    domain_language_distribution,
    handling_by_language,
    language_report,
    team_report,
    top_recurring_issues,
)

pytestmark = pytest.mark.postgres

FILL = """
INSERT INTO report_daily_facts
SELECT DATE '2026-01-01' + d, 'l' || l, 'team' || (a % 3), 'email', 'agent' || a, 'orders', '',
       10, 8, 8, 8000, 9, 900, 8, 16000, 1, 10, 1, 1, 20, 15, 9, 2, 0.5,
       10, 1, 9, 1, 2, 0, 1, 0, 10, 2, 3, 12, 4
FROM generate_series(0, 364) d, generate_series(0, 19) l, generate_series(0, 9) a;
INSERT INTO report_ticket_facts
SELECT 't' || i, DATE '2026-01-01' + (i % 365), TIMESTAMPTZ '2026-01-01' + (i % 365) * INTERVAL '1 day',
       'l' || (i % 20), 'team' || (i % 3), 'email', 'agent' || (i % 10), 'orders', '', true,
       i % 7000, i % 900, i % 16000, false, true, false, NULL, 2, 1, 0, 0,
       1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, '[]', now()
FROM generate_series(1, 60000) i;
ANALYZE report_daily_facts;
ANALYZE report_ticket_facts;
"""

WEEK = {"start": date(2026, 3, 2), "end": date(2026, 3, 8)}


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    with engine.begin() as conn:
        for statement in FILL.split(";"):
            if statement.strip():
                conn.execute(text(statement))
    yield engine
    engine.dispose()


def captured_plans(engine: Engine, run: Any) -> list[str]:
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with make_session_factory(engine)() as session:
            run(session)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    plans = []
    with engine.connect() as conn:
        for statement, parameters in statements:
            rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
            plans.append("\n".join(r[0] for r in rows))
    return plans


@pytest.mark.parametrize("filters", [
    ReportFilters(language="l7", **WEEK),
    ReportFilters(language="l7"),
    ReportFilters(team="team1", **WEEK),
    ReportFilters(**WEEK),
], ids=["language+week", "language", "team+week", "week"])
def test_report_queries_use_indexes(engine: Engine, filters: ReportFilters) -> None:
    def run(session: Any) -> None:
        language_report(session, filters)
        agent_report(session, filters)
        team_report(session, filters)
        handling_by_language(session, filters)
        domain_language_distribution(session, filters)
        top_recurring_issues(session, filters)

    plans = captured_plans(engine, run)
    assert len(plans) >= 8
    for plan in plans:
        assert "Seq Scan on report_" not in plan, plan
        assert "Index" in plan, plan
