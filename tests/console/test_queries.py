"""store/queries on the demo projection: filters, keyset pages, overview, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from console.demo_seed import bulk_insert_tickets, seed_console_demo
from store import queries
from store.db import make_engine, make_session_factory
from store.queries import OPEN, Cursor, SlaState, TicketFilter, TicketSort
from store.tables import TicketRow

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def seeded(url: str) -> sessionmaker[Session]:
    engine = make_engine(url)
    seed_console_demo(engine, now=NOW, with_users=False)
    return make_session_factory(engine)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sessions(request: pytest.FixtureRequest) -> sessionmaker[Session]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    return seeded(url)


def ids(page: queries.TicketPage) -> list[str]:
    return [i.ticket_id for i in page.items]


def walk(sessions: sessionmaker[Session], f: TicketFilter, sort: TicketSort, limit: int) -> list[str]:
    out: list[str] = []
    cursor: Cursor | None = None
    while True:
        page = queries.list_tickets(sessions, f, sort, cursor, limit, now=NOW)
        out += ids(page)
        if page.next_cursor is None:
            return out
        cursor = page.next_cursor


def test_filters(sessions: sessionmaker[Session]) -> None:
    def find(**kw: object) -> list[str]:
        return sorted(ids(queries.list_tickets(sessions, TicketFilter.model_validate(kw), now=NOW)))

    assert len(find()) == 10
    assert find(status="processing") == ["DEMO-0001", "DEMO-0004", "DEMO-0008", "DEMO-0010"]
    assert "DEMO-0006" not in find(status=OPEN) and len(find(status=OPEN)) == 9
    assert find(language="th") == ["DEMO-0002"]
    assert find(assignee="chloe.martin", priority="urgent") == ["DEMO-0004"]
    assert find(team="shenzhen", domain="technical_support") == ["DEMO-0010"]
    assert find(sla=SlaState.BREACHED) == ["DEMO-0004", "DEMO-0007"]
    # DEMO-0002's assign clock ends in 5 min, DEMO-0009's in 15, DEMO-0001's next reply in 25.
    assert find(sla=SlaState.AT_RISK) == ["DEMO-0001", "DEMO-0002", "DEMO-0009", "DEMO-0010"]
    assert "DEMO-0004" not in find(sla=SlaState.ON_TRACK)
    assert find(needs_triage=True) == ["DEMO-0007"]
    assert find(text="firmware") == ["DEMO-0001"]  # case-insensitive subject search
    assert find(text="k.weber@") == ["DEMO-0001"]  # e-mail prefix
    assert find(text="DEMO-001") == ["DEMO-0010"]
    assert find(text="100%_") == []  # LIKE wildcards in the search are literal


@pytest.mark.parametrize("sort", list(TicketSort))
def test_keyset_pages_cover_everything_once_in_order(
    sessions: sessionmaker[Session], sort: TicketSort
) -> None:
    bulk_insert_tickets(sessions, 230, now=NOW)
    # Ten rows with one identical timestamp: the ticket_id tie-breaker must not lose or repeat any.
    with sessions.begin() as s:
        s.execute(
            insert(TicketRow),
            [
                {
                    "ticket_id": f"TIE-{i}",
                    "status": "processing",
                    "channel": "api",
                    "language": "de",
                    "domain": "other",
                    "created_at": NOW,
                    "updated_at": NOW,
                    "next_deadline": NOW + timedelta(hours=1),
                    "sla_clocks": {},
                }
                for i in range(10)
            ],
        )
    everything = walk(sessions, TicketFilter(), sort, limit=1000)
    paged = walk(sessions, TicketFilter(), sort, limit=17)
    assert paged == everything and len(set(paged)) == len(paged)
    with sessions() as s:
        stmt = select(func.count()).select_from(TicketRow)
        if sort is TicketSort.DEADLINE:  # only tickets with a running clock have a deadline to sort by
            stmt = stmt.where(TicketRow.next_deadline.is_not(None))
        assert len(paged) == s.scalar(stmt)
    assert {f"TIE-{i}" for i in range(10)} <= set(paged)


def test_detail_view(sessions: sessionmaker[Session]) -> None:
    detail = queries.ticket_detail(sessions, "DEMO-0001")
    assert detail is not None
    assert [m.direction for m in detail.messages] == ["inbound", "note", "outbound", "inbound"]
    assert detail.messages[0].applied_terms[0].target == "固件"
    assert [str(c.target) for c in detail.sla_clocks] == ["next_reply", "resolution"]
    assert detail.timeline[0].kind == "demo"
    assert queries.ticket_detail(sessions, "nope") is None


def test_overview_queries(sessions: sessionmaker[Session]) -> None:
    assert queries.status_counts(sessions)["processing"] == 4
    # Open tickets only: the closed Vietnamese ticket is not counted.
    assert queries.language_counts(sessions) == dict.fromkeys(
        ["de", "th", "ja", "es", "fr", "en", "ko", "ar", "zh"], 1
    )
    risk = queries.sla_risk(sessions, now=NOW)
    assert [r.ticket_id for r in risk][:3] == ["DEMO-0004", "DEMO-0007", "DEMO-0002"]
    assert [r.deadline for r in risk] == sorted(r.deadline for r in risk)
    assert risk[0].target == "first_reply" and risk[0].breached
    assert [t.ticket_id for t in queries.triage_queue(sessions)] == ["DEMO-0007"]
    load = {a.agent_id: a.open_tickets for a in queries.agent_load(sessions)}
    assert load["kim.jiwoo"] == 2 and load["nguyen.an"] == 0  # closed tickets do not count
    alerts = queries.alerts(sessions)
    assert alerts[0].notification_id == "demo:warn-0002"  # newest first
    assert queries.acknowledge(sessions, "demo:warn-0002", "zhang.min", now=NOW)
    assert not queries.acknowledge(sessions, "demo:warn-0002", "someone.else", now=NOW)  # only once
    assert "demo:warn-0002" not in [a.notification_id for a in queries.alerts(sessions)]


def test_agent_queue_most_urgent_first(sessions: sessionmaker[Session]) -> None:
    assert [t.ticket_id for t in queries.my_open_tickets(sessions, "chloe.martin")] == [
        "DEMO-0004",
        "DEMO-0005",
    ]
    assert [t.ticket_id for t in queries.my_open_tickets(sessions, "nguyen.an")] == []


def test_directory(sessions: sessionmaker[Session]) -> None:
    agents = {a.agent_id: a for a in queries.list_agents(sessions)}
    assert agents["wang.lei"].languages["zh"] == 5
    assert "shenzhen" in [t.team_id for t in queries.list_teams(sessions)]
    assert [d.department_id for d in queries.list_departments(sessions)][:2] == ["engineering", "finance"]
