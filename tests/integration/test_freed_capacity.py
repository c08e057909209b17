"""Freed capacity: pending tickets are assigned when capacity appears, not on the 5-minute timer.

Real workers on the dev server (real store, real router). The ticket's own retry timer is
`SlaPolicy.assign_retry_s` = 300 s; every assignment here must come from a nudge, so the
assignment is checked against the workflow's own timeline times (nudge -> assigned < 300 s).
"""

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import WorkflowEnvironment

from cli.main import main
from domain.actions import ResolveRequest
from domain.routing import AgentProfile, Presence
from domain.status import TicketStatus
from domain.ticket import TicketInput, TicketState
from runtime.settings import Settings, get_settings
from runtime.tickets import get_snapshot, start_ticket, ticket_handle
from store.agents import pending_tickets_for, save_agents
from store.db import make_engine, make_session_factory
from store.tables import TicketRow
from workflows.ticket import TicketWorkflow

RETRY_S = 300  # SlaPolicy.assign_retry_s: what the ticket would wait without a nudge
AGENT = "lukas.meyer"

GERMAN = {
    "channel": "email",
    "customer": {"email": "k.weber@example.de", "name": "Klaus Weber"},
    "subject": "Gerät startet nicht",
    "body": "Guten Tag, das Gerät startet nach dem Firmware-Update nicht mehr. Bitte um Hilfe.",
}


async def until_state(
    env: WorkflowEnvironment, ticket_id: str, what: str, ok: Callable[[TicketState], bool]
) -> TicketState:
    for _ in range(300):
        state = await get_snapshot(env.client, ticket_id)
        if ok(state):
            return state
        await asyncio.sleep(0.1)
    raise AssertionError(f"{ticket_id}: {what} never happened")


async def until_projected(sessions: sessionmaker[Session], ticket_id: str, status: TicketStatus) -> None:
    for _ in range(300):
        with sessions() as session:
            row = session.get(TicketRow, ticket_id)
            if row is not None and row.status == str(status):
                return
        await asyncio.sleep(0.1)
    raise AssertionError(f"projection of {ticket_id} never showed {status}")


def event_at(state: TicketState, kind: str) -> datetime:
    return next(e.at for e in state.timeline if e.kind == kind)


async def start_pending(env: WorkflowEnvironment, sessions: sessionmaker[Session]) -> str:
    ticket_id = f"cap-{uuid.uuid4().hex[:8]}"
    await start_ticket(env.client, TicketInput.model_validate(GERMAN | {"ticket_id": ticket_id}))
    await until_state(
        env,
        ticket_id,
        "assignment_pending",
        lambda s: any(e.kind == "assignment_pending" for e in s.timeline),
    )
    await until_projected(sessions, ticket_id, TicketStatus.PENDING_ASSIGNMENT)
    return ticket_id


@pytest.mark.parametrize("real_workers", ["sqlite"], indirect=True)
async def test_agent_online_then_resolution_assign_pending_tickets_at_once(
    dev_env: WorkflowEnvironment,
    real_workers: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sessions = make_session_factory(make_engine(real_workers.database_url))
    with sessions.begin() as session:
        save_agents(
            session,
            [
                AgentProfile(
                    agent_id=AGENT,
                    languages={"de": 5},
                    capacity=1,
                    presence=Presence.OFFLINE,
                    timezone="Europe/Berlin",
                )
            ],
        )

    # 1. Nobody online: the ticket waits. The agent comes online; the nudge finds the ticket.
    first = await start_pending(dev_env, sessions)
    with sessions() as session:
        assert pending_tickets_for(session, AGENT) == []  # offline: nothing to nudge
    # `lingodesk agents presence lukas.meyer online` sets the presence and nudges what he can take.
    monkeypatch.setenv("DATABASE_URL", real_workers.database_url)
    monkeypatch.setenv("TEMPORAL_ADDRESS", dev_env.client.service_client.config.target_host)
    get_settings.cache_clear()
    try:
        assert await asyncio.to_thread(main, ["agents", "presence", AGENT, "online"]) == 0
    finally:
        get_settings.cache_clear()
    assert "nudged 1 pending tickets" in capsys.readouterr().out
    with sessions() as session:
        assert first in pending_tickets_for(session, AGENT)
    state = await until_state(dev_env, first, "assignment", lambda s: s.assignee == AGENT)
    assert state.status is TicketStatus.PROCESSING
    assert (event_at(state, "assigned") - event_at(state, "assignment_pending")).total_seconds() < RETRY_S

    # 2. The agent is full (capacity 1): a second ticket waits, and the nudge skips a full agent.
    await until_projected(sessions, first, TicketStatus.PROCESSING)
    second = await start_pending(dev_env, sessions)
    pending = await get_snapshot(dev_env.client, second)
    assert pending.assignee is None
    with sessions() as session:
        assert pending_tickets_for(session, AGENT) == []

    # 3. Resolving the first ticket frees the slot: the projection activity nudges the second.
    handle = ticket_handle(dev_env.client, first)
    _ = await handle.execute_update(TicketWorkflow.resolve, ResolveRequest(by=AGENT, resolution="fixed"))
    resolved = await get_snapshot(dev_env.client, first)
    resolved_at = resolved.resolved_at
    assert resolved_at is not None
    await until_projected(sessions, first, TicketStatus.CLOSED)
    state = await until_state(dev_env, second, "assignment after resolution", lambda s: s.assignee == AGENT)
    assigned_at = event_at(state, "assigned")
    assert 0 <= (assigned_at - resolved_at).total_seconds() < RETRY_S
    assert (assigned_at - event_at(state, "assignment_pending")).total_seconds() < RETRY_S
    await ticket_handle(dev_env.client, second).terminate()
    await handle.terminate()
