"""Freed capacity reaches waiting tickets at once (time-skipping server, real store activities).

Real: the projection activity (with the worker's `CapacityNudger`), routing and SLA activities,
the console admin page (AppTest) with the real Temporal gateway. Fake: NLP and sending.
The ticket's own retry timer is 300 s; these waits poll in steps of 0.05 s of server time
(`wait_for`: 15 s at most), so an assignment seen here came from a nudge, not the timer.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.routing_activities import RoutingActivities
from activities.sla_activities import SlaActivities
from activities.store_activities import StoreActivities
from console.gateway import TemporalGateway, set_gateway
from domain.actions import ResolveRequest
from domain.ids import NLP_TASK_QUEUE, TICKETS_TASK_QUEUE
from domain.nlp import RequestDomain
from domain.sla import SlaTarget
from domain.status import TicketStatus
from domain.ticket import TicketState
from runtime.assignment import CapacityNudger
from runtime.settings import get_settings
from store.agents import get_agent, list_agents, save_agents, set_presence
from tests.console.admin_support import admin_page, fill, pick, save, store
from tests.console.conftest import FakeGateway
from tests.helpers.fake_activities import FakeBackend
from tests.workflows.sla_support import Handle, kinds, snapshot, start, ticket_input, wait_for
from workflows.ticket import TicketWorkflow

RETRY_S = 300


@asynccontextmanager
async def projecting_workers(client: Client, sessions: sessionmaker[Session]) -> AsyncIterator[str]:
    backend = FakeBackend(language="th", domain=RequestDomain.AFTER_SALES)
    store_acts = StoreActivities(sessions, on_capacity_freed=CapacityNudger.on_running_loop(client, sessions))
    routing, sla = RoutingActivities(sessions), SlaActivities(sessions)
    real: list[Callable[..., Any]] = [
        store_acts.record_ticket,
        store_acts.notify,
        routing.assign_ticket,
        routing.escalation_contacts,
        sla.resolve_sla,
        sla.compute_sla_deadlines,
    ]
    names = {fn.__name__ for fn in real}
    tickets, nlp = backend.activities()
    queue = f"{TICKETS_TASK_QUEUE}-{uuid.uuid4().hex[:8]}"
    with ThreadPoolExecutor(max_workers=4) as executor:
        async with (
            Worker(
                client,
                task_queue=queue,
                workflows=[TicketWorkflow],
                activities=[*(fn for fn in tickets if fn.__name__ not in names), *real],
                activity_executor=executor,
            ),
            Worker(client, task_queue=NLP_TASK_QUEUE, activities=nlp),
        ):
            yield queue


def everyone_offline(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        for agent in list_agents(session):
            set_presence(session, agent.agent_id, "offline")


def assigned_without_timer(state: TicketState, since: Any) -> None:
    assigned = next(e.at for e in state.timeline if e.kind == "assigned")
    assert 0 <= (assigned - since).total_seconds() < RETRY_S


async def pending(
    env: WorkflowEnvironment, client: Client, queue: str, **kw: Any
) -> tuple[Handle, TicketState]:
    handle = await start(client, queue, ticket_input(**kw))
    state = await wait_for(env, handle, lambda s: "assignment_pending" in kinds(s), "pending")
    return handle, state


async def test_agent_set_online_in_the_console_gets_the_waiting_ticket(
    ts_env: WorkflowEnvironment, console_db: str, gateway: FakeGateway
) -> None:
    sessions = store(console_db)
    everyone_offline(sessions)
    address = ts_env.client.service_client.config.target_host
    real_gateway = TemporalGateway(get_settings().model_copy(update={"temporal_address": address}))
    set_gateway(real_gateway)  # the admin page nudges through the real gateway
    try:
        async with projecting_workers(ts_env.client, sessions) as queue:
            handle, waiting = await pending(ts_env, ts_env.client, queue)
            waited_since = next(e.at for e in waiting.timeline if e.kind == "assignment_pending")
            at = pick(await asyncio.to_thread(admin_page, console_db), "adm_agent_pick", "somchai.k")
            fill(at, {"adm_agent_presence_somchai.k": "online"})
            await asyncio.to_thread(save, at, "f_agent")
            assert any("waiting tickets were asked to retry assignment now" in i.value for i in at.info)
            state = await wait_for(ts_env, handle, lambda s: s.assignee == "somchai.k", "assigned")
            assert state.status is TicketStatus.PROCESSING
            assigned_without_timer(state, waited_since)
            await handle.terminate()
    finally:
        set_gateway(gateway)
        real_gateway.close()


async def test_resolving_a_ticket_frees_capacity_for_the_waiting_one(
    ts_env: WorkflowEnvironment, console_db: str
) -> None:
    sessions = store(console_db)
    everyone_offline(sessions)
    with sessions.begin() as session:
        agent = get_agent(session, "somchai.k")
        assert agent is not None
        save_agents(session, [agent.model_copy(update={"capacity": 1, "presence": "online"})])
    async with projecting_workers(ts_env.client, sessions) as queue:
        first = await start(ts_env.client, queue, ticket_input())
        await wait_for(ts_env, first, lambda s: s.assignee == "somchai.k", "first assigned")
        second, waiting = await pending(ts_env, ts_env.client, queue)
        assert waiting.assignee is None  # capacity 1, taken
        _ = await first.execute_update(TicketWorkflow.resolve, ResolveRequest(by="somchai.k"))
        resolved = await snapshot(first)
        assert resolved.resolved_at is not None
        state = await wait_for(ts_env, second, lambda s: s.assignee == "somchai.k", "assigned after resolve")
        assigned_without_timer(state, resolved.resolved_at)
        for handle in (first, second):
            await handle.terminate()


async def test_a_policy_edited_in_the_console_applies_to_new_tickets_only(
    ts_env: WorkflowEnvironment, console_db: str, gateway: FakeGateway
) -> None:
    sessions = store(console_db)
    everyone_offline(sessions)
    async with projecting_workers(ts_env.client, sessions) as queue:
        old, _ = await pending(
            ts_env, ts_env.client, queue, sla=None
        )  # resolves "standard" v1 from the store
        at = pick(await asyncio.to_thread(admin_page, console_db), "adm_policy_pick", "standard")
        fill(at, {"adm_pol_t_first_reply_standard_1": 1.0})
        await asyncio.to_thread(save, at, "f_policy")
        new, _ = await pending(ts_env, ts_env.client, queue, sla=None)
        old_state, new_state = await snapshot(old), await snapshot(new)
        assert old_state.sla_policy is not None and new_state.sla_policy is not None
        assert (old_state.sla_policy.policy_id, old_state.sla_policy.version) == ("standard", 1)
        assert (new_state.sla_policy.policy_id, new_state.sla_policy.version) == ("standard", 2)
        assert old_state.sla_policy.targets_s[SlaTarget.FIRST_REPLY] == 4 * 3600
        assert new_state.sla_policy.targets_s[SlaTarget.FIRST_REPLY] == 3600
        for handle in (old, new):
            await handle.terminate()
