"""Which pending tickets a nudge targets (`store.agents.pending_tickets_for`, `freed_assignee`)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from domain.status import TicketStatus
from domain.store_io import RecordTicketRequest
from domain.ticket import Customer, CustomerTier, Priority, TicketState
from store.agents import freed_assignee, get_agent, pending_tickets_for, save_agents, set_presence
from store.db import make_engine, make_session_factory
from store.projection import project_ticket
from store.seed import seed_demo
from store.tables import Base

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    seed_demo(factory)
    yield factory
    engine.dispose()


def add(sessions: sessionmaker[Session], ticket_id: str, language: str, minutes: int = 0,
        status: TicketStatus = TicketStatus.PENDING_ASSIGNMENT, assignee: str | None = None,
        vip: bool = False, version: int = 1) -> None:
    at = T0 + timedelta(minutes=minutes)
    tier = CustomerTier.VIP if vip else CustomerTier.STANDARD
    state = TicketState(ticket_id=ticket_id, status=status, assignee=assignee, language=language,
                        priority=Priority.NORMAL, customer=Customer(email="c@example.com", tier=tier),
                        created_at=at, updated_at=at)
    with sessions.begin() as session:
        project_ticket(session, RecordTicketRequest(state=state, version=version))


def pending_for(sessions: sessionmaker[Session], agent_id: str) -> list[str]:
    with sessions() as session:
        return pending_tickets_for(session, agent_id)


def test_language_match_fallback_and_oldest_first(sessions: sessionmaker[Session]) -> None:
    add(sessions, "th-late", "th", minutes=5)
    add(sessions, "th-early", "th", minutes=1)
    add(sessions, "de", "de")
    add(sessions, "sw", "sw")  # nobody speaks Swahili: the router falls back, so it is a candidate
    add(sessions, "done", "th", status=TicketStatus.PROCESSING, assignee="nguyen.an")
    assert pending_for(sessions, "somchai.k") == ["sw", "th-early", "th-late"]
    assert pending_for(sessions, "lukas.meyer") == ["de", "sw"]
    with sessions.begin() as session:
        set_presence(session, "somchai.k", "away")
    assert pending_for(sessions, "somchai.k") == []  # not online: nothing to nudge
    assert pending_for(sessions, "nobody") == []


def test_a_full_agent_is_nudged_for_vip_tickets_only(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        agent = get_agent(session, "somchai.k")
        assert agent is not None
        save_agents(session, [agent.model_copy(update={"capacity": 1})])
    add(sessions, "mine", "th", status=TicketStatus.PROCESSING, assignee="somchai.k")
    add(sessions, "normal", "th", minutes=1)
    add(sessions, "vip", "th", minutes=2, vip=True)
    assert pending_for(sessions, "somchai.k") == ["vip"]  # the one extra slot VIP tickets may use
    add(sessions, "mine-2", "th", status=TicketStatus.PROCESSING, assignee="somchai.k")
    assert pending_for(sessions, "somchai.k") == []


def test_freed_assignee_on_resolution_and_reassignment_only(sessions: sessionmaker[Session]) -> None:
    add(sessions, "t", "th", status=TicketStatus.PROCESSING, assignee="somchai.k", version=3)
    with sessions() as session:
        assert freed_assignee(session, "t", "closed", "somchai.k", 4) == "somchai.k"
        assert freed_assignee(session, "t", "processing", "nguyen.an", 4) == "somchai.k"
        assert freed_assignee(session, "t", "processing", "somchai.k", 4) is None  # a note, a reply
        assert freed_assignee(session, "t", "closed", "somchai.k", 2) is None  # a stale write
        assert freed_assignee(session, "new", "processing", "somchai.k", 1) is None
