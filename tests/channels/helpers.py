"""Polling helpers for the channel integration tests (bounded loops, no timing assertions)."""

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError

from domain.actions import CustomerMessage
from domain.ticket import TicketInput
from store.tables import MessageRow, TicketRow, TimelineEventRow

T = TypeVar("T")


async def eventually(check: Callable[[], T | None], what: str, attempts: int = 400) -> T:
    """The first truthy result of `check`, polled every 0.1 s."""
    for _ in range(attempts):
        result = await asyncio.to_thread(check)
        if result:
            return result
        await asyncio.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


def ticket_row(sessions: sessionmaker[Session], ticket_id: str) -> TicketRow | None:
    with sessions() as session:
        return session.get(TicketRow, ticket_id)


def messages(sessions: sessionmaker[Session], ticket_id: str) -> list[MessageRow]:
    with sessions() as session:
        return list(
            session.scalars(
                select(MessageRow).where(MessageRow.ticket_id == ticket_id).order_by(MessageRow.seq)
            )
        )


def count_tickets(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(TicketRow)) or 0)


async def wait_for_messages(sessions: sessionmaker[Session], ticket_id: str, count: int) -> list[MessageRow]:
    def check() -> list[MessageRow] | None:
        rows = messages(sessions, ticket_id)
        return rows if len(rows) >= count and all(r.translation_state != "pending" for r in rows) else None

    return await eventually(check, f"{count} projected messages on {ticket_id}")


def has_event(sessions: sessionmaker[Session], ticket_id: str, kind: str) -> bool:
    with sessions() as session:
        stmt = (
            select(TimelineEventRow.seq)
            .where(TimelineEventRow.ticket_id == ticket_id, TimelineEventRow.kind == kind)
            .limit(1)
        )
        return session.execute(stmt).first() is not None


async def update_when_ready(
    handle: WorkflowHandle[Any, Any], name: str, arg: object, attempts: int = 300
) -> object:
    """Run an update, retrying while the ticket is still in intake (the console does the same)."""
    for _ in range(attempts):
        try:
            return await handle.execute_update(name, arg)
        except WorkflowUpdateFailedError as exc:
            if "still being received" not in str(exc.cause):
                raise
        await asyncio.sleep(0.1)
    raise AssertionError(f"update {name} never accepted")


class DownGateway:
    """Temporal unreachable: a failure mode, not a stand-in for the server on the happy path."""

    async def start(self, ticket: TicketInput) -> tuple[str, bool]:
        raise ConnectionError("temporal is down")

    async def add_message(self, ticket_id: str, message: CustomerMessage) -> None:
        raise ConnectionError("temporal is down")
