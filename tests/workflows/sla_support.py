"""Helpers for the routing/SLA workflow tests: inputs, waiting, time travel, real-store workers."""

import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.routing_activities import RoutingActivities
from activities.sla_activities import SlaActivities
from domain.ids import NLP_TASK_QUEUE, TICKETS_TASK_QUEUE
from domain.sla import SlaPolicy
from domain.status import TicketStatus
from domain.ticket import Channel, Customer, TicketInput, TicketState
from store.db import make_engine, make_session_factory
from store.seed import seed_demo
from store.tables import Base
from tests.helpers.fake_activities import FakeBackend
from workflows.ticket import TicketWorkflow

# Typed loosely: the SDK's overloads type `execute_update(TicketWorkflow.assign, ...)` on a typed handle
# as returning a coroutine, which mypy then reports as unused.
Handle = WorkflowHandle[Any, Any]


def ticket_input(**kw: object) -> TicketInput:
    base: dict[str, object] = {
        "ticket_id": f"s-{uuid.uuid4().hex[:8]}",
        "channel": Channel.EMAIL,
        "customer": Customer(email="k.somsak@example.co.th", name="Somsak K."),
        "subject": "เครื่องเสียหลังการซ่อม",
        "body": "เครื่องที่ส่งซ่อมกลับมาแล้วยังเปิดไม่ติดครับ",
        "sla": SlaPolicy(close_grace_s=60),
    }
    base.update(kw)
    return TicketInput.model_validate(base)


async def start(client: Client, queue: str, inp: TicketInput) -> Any:
    return await client.start_workflow(TicketWorkflow.run, inp, id=f"ticket-{inp.ticket_id}",
                                       task_queue=queue)


async def snapshot(handle: Handle) -> TicketState:
    state: TicketState = await handle.query("get_snapshot", result_type=TicketState)
    return state


async def wait_for(env: WorkflowEnvironment, handle: Handle, check: Callable[[TicketState], bool],
                   what: str) -> TicketState:
    for _ in range(300):
        state = await snapshot(handle)
        if check(state):
            return state
        await env.sleep(0.05)
    raise AssertionError(f"never happened: {what}; status {state.status}")


async def wait_status(env: WorkflowEnvironment, handle: Handle, status: TicketStatus) -> TicketState:
    return await wait_for(env, handle, lambda s: s.status is status and any(
        e.kind == "status" and e.data.get("to") == status for e in s.timeline), f"status {status}")


def kinds(state: TicketState, prefix: str = "") -> list[str]:
    return [e.kind for e in state.timeline if e.kind.startswith(prefix)]


async def travel_to(env: WorkflowEnvironment, when: datetime) -> None:
    """Move the time-skipping server's clock to `when` (it must be in the future)."""
    now = await env.get_current_time()
    if when <= now:
        raise AssertionError(f"cannot travel back from {now} to {when}")
    await env.sleep(when - now)


def seeded_store(tmp_path: Path) -> sessionmaker[Session]:
    engine = make_engine(f"sqlite:///{tmp_path / 'routing.db'}")
    Base.metadata.create_all(engine)  # the lead's regenerated migration creates these in production
    sessions = make_session_factory(engine)
    seed_demo(sessions)
    return sessions


@asynccontextmanager
async def store_workers(client: Client, backend: FakeBackend,
                        sessions: sessionmaker[Session]) -> AsyncIterator[str]:
    """The fakes for store projection, sending and NLP, but the REAL routing and SLA activities."""
    routing, sla = RoutingActivities(sessions), SlaActivities(sessions)
    real: list[Callable[..., Any]] = [routing.assign_ticket, routing.escalation_contacts, sla.resolve_sla,
                                      sla.compute_sla_deadlines]
    names = {fn.__name__ for fn in real}
    tickets, nlp = backend.activities()
    kept = [fn for fn in tickets if fn.__name__ not in names]
    queue = f"{TICKETS_TASK_QUEUE}-{uuid.uuid4().hex[:8]}"
    with ThreadPoolExecutor(max_workers=4) as executor:
        async with (
            Worker(client, task_queue=queue, workflows=[TicketWorkflow], activities=[*kept, *real],
                   activity_executor=executor),
            Worker(client, task_queue=NLP_TASK_QUEUE, activities=nlp),
        ):
            yield queue


def next_weekday_at(now: datetime, weekday: int, hour: int, minute: int, tz: Any,
                    accept: Callable[[datetime], bool] = lambda _d: True) -> datetime:
    """The first local `weekday` at hour:minute after `now` (at least an hour ahead) that `accept`s."""
    local = now.astimezone(tz)
    day = local.date() + timedelta(days=1)
    for _ in range(800):
        if day.weekday() == weekday:
            candidate = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
            if candidate > now + timedelta(hours=1) and accept(candidate):
                return candidate
        day += timedelta(days=1)
    raise AssertionError("no such day in the next two years")
