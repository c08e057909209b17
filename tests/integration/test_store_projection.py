"""Projection writes are idempotent on SQLite and on a real PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from domain.status import TicketStatus
from domain.store_io import RecordTicketRequest
from domain.ticket import Direction, TicketMessage, TicketState, TimelineEvent
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from store.projection import project_ticket
from store.tables import MessageRow, TicketRow, TimelineEventRow

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)


def _request(status: TicketStatus, events: int, version: int) -> RecordTicketRequest:
    state = TicketState(ticket_id="p-1", status=status, language="de", created_at=T0, updated_at=T0)
    message = TicketMessage(seq=1, direction=Direction.INBOUND, original_text="Hallo", language="de",
                            translated_text="你好", created_at=T0)
    timeline = [TimelineEvent(seq=i + 1, at=T0 + timedelta(seconds=i), kind="k", summary=f"e{i}")
                for i in range(events)]
    return RecordTicketRequest(state=state, messages=[message], events=timeline, version=version)


def _check_idempotent(url: str) -> None:
    upgrade(url)
    sessions = make_session_factory(make_engine(url))
    newer = _request(TicketStatus.PROCESSING, events=3, version=3)
    older = _request(TicketStatus.PENDING_ASSIGNMENT, events=2, version=2)
    for req in (newer, newer, older):  # a retry, then a late older write
        with sessions.begin() as session:
            project_ticket(session, req)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(TicketRow)) == 1
        assert session.scalar(select(func.count()).select_from(MessageRow)) == 1
        assert session.scalar(select(func.count()).select_from(TimelineEventRow)) == 3
        row = session.get(TicketRow, "p-1")
        assert row is not None and row.status == "processing" and row.state_version == 3
        message = session.get(MessageRow, ("p-1", 1))
        assert message is not None and message.translated_text == "你好"


def test_projection_idempotent_sqlite(sqlite_url: str) -> None:
    _check_idempotent(sqlite_url)


@pytest.mark.postgres
def test_projection_idempotent_postgres(postgres_url: str) -> None:
    _check_idempotent(postgres_url)


def test_migrations_match_the_tables(sqlite_url: str) -> None:
    """Every table change ships with its migration (alembic autogenerate finds nothing to do)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from store.tables import Base

    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    assert diff == []
