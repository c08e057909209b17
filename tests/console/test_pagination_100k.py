"""100,000 tickets in SQLite: every ticket-list page query seeks or walks an index (EXPLAIN QUERY
PLAN), never a full scan plus sort, so page 2,000 costs what page 1 does. No timing asserts."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from console.demo_seed import bulk_insert_tickets
from store.db import make_engine, make_session_factory
from store.queries import (
    OPEN,
    Cursor,
    SlaState,
    TicketFilter,
    TicketSort,
    list_tickets,
    ticket_page_statement,
)
from store.tables import Base

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
N = 100_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('big') / 'big.db'}")
    Base.metadata.create_all(engine)
    bulk_insert_tickets(make_session_factory(engine), N, now=NOW)
    return engine


def plan(engine: Engine, f: TicketFilter, sort: TicketSort, cursor: Cursor | None = None) -> list[str]:
    stmt = ticket_page_statement(f, sort, cursor, 50, NOW)
    sql = str(stmt.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        return [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]


CASES = [
    (TicketFilter(), TicketSort.NEWEST),
    (TicketFilter(), TicketSort.OLDEST),
    (TicketFilter(), TicketSort.UPDATED),
    (TicketFilter(), TicketSort.DEADLINE),
    (TicketFilter(status=OPEN), TicketSort.NEWEST),
    (TicketFilter(status="pending_assignment"), TicketSort.NEWEST),
    (TicketFilter(language="th"), TicketSort.NEWEST),
    (TicketFilter(status=OPEN, language="de"), TicketSort.NEWEST),
    (TicketFilter(assignee="wang.lei"), TicketSort.DEADLINE),
    (TicketFilter(team="berlin"), TicketSort.NEWEST),
    (TicketFilter(sla=SlaState.AT_RISK), TicketSort.NEWEST),
    (TicketFilter(text="Order 4242"), TicketSort.NEWEST),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("f", "sort"), CASES, ids=[f"{s}-{f.model_dump_json(exclude_defaults=True)}" for f, s in CASES]
)
def test_page_queries_use_an_index(big: Engine, f: TicketFilter, sort: TicketSort) -> None:
    first = list_tickets(make_session_factory(big), f, sort, now=NOW)
    plans = [plan(big, f, sort)]  # page 1
    if first.next_cursor is not None:
        plans.append(plan(big, f, sort, first.next_cursor))  # page 2: the keyset seek
    for step in plans:
        assert step, "EXPLAIN returned nothing"
        for line in step:
            if "tickets" in line and ("SCAN" in line or "SEARCH" in line):
                assert "USING INDEX" in line or "USING COVERING INDEX" in line, (line, step)
            # A full sort of the matching rows is what makes deep pages slow; only a sort of
            # equal-key groups ("RIGHT PART") is acceptable.
            assert "USE TEMP B-TREE FOR ORDER BY" not in line, (line, step)


@pytest.mark.slow
def test_deep_keyset_pages_continue_the_order(big: Engine) -> None:
    sessions = make_session_factory(big)
    f = TicketFilter(status=OPEN)
    page = list_tickets(sessions, f, TicketSort.NEWEST, now=NOW)
    seen: list[tuple[datetime, str]] = []
    for _ in range(40):  # 2,000 tickets deep
        seen += [(i.created_at, i.ticket_id) for i in page.items]
        assert page.next_cursor is not None
        assert plan(big, f, TicketSort.NEWEST, page.next_cursor)[0].startswith("SEARCH tickets USING INDEX")
        page = list_tickets(sessions, f, TicketSort.NEWEST, page.next_cursor, now=NOW)
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == len(seen) == 2000
