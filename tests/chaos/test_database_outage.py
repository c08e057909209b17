"""PostgreSQL unreachable for a minute (CHAOS_DB_OUTAGE_S, default 60) in the middle of live tickets.

The database sits behind a loopback proxy that is cut (open connections dropped, new ones
refused) and later restored. Store and send activities retry with back-off; afterwards every
ticket, message and reply is in the store exactly once, and the console, signed in before the
outage, shows the degraded-state message instead of a traceback while it lasts.
"""

import asyncio
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from console.demo_seed import seed_console_demo
from console.gateway import set_gateway
from domain.actions import AssignRequest, ReplyRequest, ResolveRequest
from domain.sla import SlaPolicy
from domain.status import TicketStatus
from domain.ticket import Channel, Customer, TicketInput, TicketState
from runtime.settings import get_settings
from runtime.tickets import start_ticket, ticket_handle
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from store.tables import MessageRow, OutboundRow, TicketRow
from tests.chaos import figures
from tests.chaos.db_proxy import proxied
from tests.chaos.inprocess import chaos_settings, real_workers
from tests.chaos.tcp_proxy import TcpProxy
from tests.chaos.workers import wait_state, wait_status
from tests.console.conftest import FakeGateway, no_exceptions, signed_in, texts
from workflows.ticket import TicketWorkflow

OUTAGE_S = float(os.environ.get("CHAOS_DB_OUTAGE_S", "60"))
pytestmark = [pytest.mark.postgres, pytest.mark.timeout(int(OUTAGE_S) + 240)]


@pytest.fixture
def outage_db(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TcpProxy, str]]:
    """A migrated, demo-seeded PostgreSQL database reached through the proxy; the console points at it."""
    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    seed_console_demo(engine)
    engine.dispose()
    proxy, url = proxied(postgres_url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TEMPORAL_ADDRESS", "127.0.0.1:1")  # console actions are not under test
    get_settings.cache_clear()
    set_gateway(FakeGateway())
    yield proxy, url
    set_gateway(None)
    proxy.close()
    get_settings.cache_clear()


def ticket(ticket_id: str) -> TicketInput:
    return TicketInput(
        ticket_id=ticket_id,
        channel=Channel.API,
        customer=Customer(email=f"{ticket_id}@example.de"),
        body="Das Gerät startet nach dem Update nicht mehr.",
        sla=SlaPolicy(close_grace_s=1),
    )


async def assign_and_reply(client: Client, ticket_id: str) -> None:
    """Take the ticket (unless routing already gave it to someone) and answer it."""
    state = await wait_state(client, ticket_id, taken_in, "intake done", tries=3000)
    handle = ticket_handle(client, ticket_id)
    agent = state.assignee or "lukas.meyer"
    if state.assignee is None:
        _ = await handle.execute_update(TicketWorkflow.assign, AssignRequest(agent_id=agent))
    _ = await handle.execute_update(
        TicketWorkflow.reply,
        ReplyRequest(agent_id=agent, text="请重启设备。", request_id=f"{ticket_id}-r1"),
    )


def taken_in(state: TicketState) -> bool:
    ready = (TicketStatus.PENDING_ASSIGNMENT, TicketStatus.PROCESSING)
    return state.status in ready and state.accepting_actions


async def retried_activities(client: Client, ticket_id: str) -> int:
    """How many activity executions of the ticket needed more than one attempt."""
    history = await ticket_handle(client, ticket_id).fetch_history()
    return sum(
        1
        for e in history.events
        if e.HasField("activity_task_started_event_attributes")
        and e.activity_task_started_event_attributes.attempt > 1
    )


async def test_a_minute_without_the_database_loses_nothing(
    dev_env: WorkflowEnvironment,
    chaos_models_dir: Path,
    outage_db: tuple[TcpProxy, str],
    tmp_path: Path,
) -> None:
    proxy, url = outage_db
    client = dev_env.client
    run = uuid.uuid4().hex[:6]
    before = [f"db-{run}-b{i}" for i in range(3)]  # started while the database is up
    during = [f"db-{run}-d{i}" for i in range(3)]  # started while it is down
    console = signed_in(url, "zhang.min")
    console.run()
    no_exceptions(console)
    async with real_workers(client, chaos_settings(url, chaos_models_dir, tmp_path)):
        for ticket_id in before:
            await start_ticket(client, ticket(ticket_id))
        for ticket_id in before:
            await wait_state(client, ticket_id, taken_in, "intake done")

        proxy.cut()
        figures.add("database outages")
        cut_at = time.monotonic()
        for ticket_id in during:
            await start_ticket(client, ticket(ticket_id))
        # Agents keep working: the replies are recorded and sent once the store is back.
        await asyncio.gather(*(assign_and_reply(client, t) for t in before))
        await asyncio.sleep(max(0.0, min(15.0, OUTAGE_S - 5) - (time.monotonic() - cut_at)))
        console.run()  # past the console's 10 s cache: every query now fails
        no_exceptions(console)
        assert "The ticket database is unavailable" in texts(console)
        await asyncio.sleep(max(0.0, OUTAGE_S - (time.monotonic() - cut_at)))
        proxy.restore()

        for ticket_id in during:
            await assign_and_reply(client, ticket_id)
        for ticket_id in before + during:
            await wait_status(client, ticket_id, TicketStatus.PROCESSING, tries=3000)
            handle = ticket_handle(client, ticket_id)
            _ = await handle.execute_update(TicketWorkflow.resolve, ResolveRequest(by="lukas.meyer"))
            await asyncio.wait_for(handle.result(), timeout=180)
        retried = sum([await retried_activities(client, t) for t in before + during])

    console.run()
    no_exceptions(console)
    assert "The ticket database is unavailable" not in texts(console)
    ids = before + during
    sessions = make_session_factory(make_engine(url))
    with sessions() as session:
        closed = session.scalar(
            select(func.count())
            .select_from(TicketRow)
            .where(TicketRow.ticket_id.in_(ids), TicketRow.status == "closed")
        )
        figures.add("losses", len(ids) - (closed or 0))
        assert closed == len(ids)
        for ticket_id in ids:
            seqs = session.scalars(select(MessageRow.seq).where(MessageRow.ticket_id == ticket_id)).all()
            assert sorted(seqs) == [1, 2], (ticket_id, seqs)
            outbound = session.scalars(
                select(OutboundRow.seq).where(OutboundRow.ticket_id == ticket_id)
            ).all()
            assert outbound == [2], (ticket_id, outbound)
    assert retried > 0  # the outage was felt: activities failed and were retried with back-off
