"""The pipeline benchmark's phases: a burst of tickets and of bare workflows, and the paced run."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from bench.bare_workflow import (
    BARE_TASK_QUEUE,
    BARE_WORKFLOW,
    BareInput,
    BareResult,
)
from bench.pipeline_env import Env, nlp_cpu_s, proc_cpu_s
from bench.pipeline_inputs import ticket_input
from bench.pipeline_results import (
    Paced,
    Round,
    Side,
    Variant,
    figures,
    ratio,
)
from domain.ids import TICKET_WORKFLOW, TICKETS_TASK_QUEUE, ticket_workflow_id
from domain.ticket import TicketInput, TicketState


# ---------------------------------------------------------------------------------- pipeline
async def start_ticket(client: Client, inp: TicketInput, eager: bool) -> None:
    await client.start_workflow(TICKET_WORKFLOW, inp, id=ticket_workflow_id(inp.ticket_id),
                                task_queue=TICKETS_TASK_QUEUE, request_eager_start=eager)


async def start_recorded(client: Client, inp: TicketInput, eager: bool,
                         submitted: dict[str, datetime]) -> None:
    """Starts a ticket and notes when it was submitted (the start of its latency)."""
    submitted[inp.ticket_id] = datetime.now(UTC)
    await start_ticket(client, inp, eager)


def status_times(state: TicketState) -> tuple[datetime | None, datetime | None]:
    pending = assigned = None
    for ev in state.timeline:
        if ev.kind == "status" and ev.data.get("to") == "pending_assignment" and pending is None:
            pending = ev.at
        if ev.kind == "status" and ev.data.get("to") == "processing" and assigned is None:
            assigned = ev.at
    return pending, assigned


def reached_times(states: dict[str, TicketState]) -> tuple[dict[str, datetime], dict[str, datetime]]:
    """Per ticket: when it entered pending_assignment, and when it was assigned (if it was)."""
    pending: dict[str, datetime] = {}
    assigned: dict[str, datetime] = {}
    for tid, st in states.items():
        p, a = status_times(st)
        if p:
            pending[tid] = p
        if a:
            assigned[tid] = a
    return pending, assigned


async def run_bare(client: Client, key: str, inp: BareInput, eager: bool, submitted: dict[str, datetime],
                   pending: dict[str, datetime], assigned: dict[str, datetime]) -> None:
    """One bare workflow: its start time and the two checkpoints it reports go into the dicts."""
    submitted[key] = datetime.now(UTC)
    handle = await client.start_workflow(BARE_WORKFLOW, inp, id=key, task_queue=BARE_TASK_QUEUE,
                                         request_eager_start=eager, result_type=BareResult)
    result = await handle.result()
    pending[key], assigned[key] = result.reached[0], result.reached[1]


async def wait_processing(sessions: Any, prefix: str, n: int, timeout_s: float) -> None:
    from store.tables import TicketRow

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with sessions() as session:
            done = session.scalar(select(func.count()).select_from(TicketRow).where(
                TicketRow.ticket_id.like(f"{prefix}-%"), TicketRow.status == "processing"))
        if done and done >= n:
            return
        await asyncio.sleep(0.25)


async def gather_limited(coros: Sequence[Any], limit: int = 64) -> list[Any]:
    sem = asyncio.Semaphore(limit)

    async def one(c: Any) -> Any:
        async with sem:
            return await c

    return await asyncio.gather(*(one(c) for c in coros))


async def snapshots(client: Client, ids: list[str]) -> dict[str, TicketState]:
    async def snap(tid: str) -> tuple[str, TicketState | None]:
        try:
            state = await client.get_workflow_handle(ticket_workflow_id(tid)).query(
                "get_snapshot", result_type=TicketState)
            return tid, state
        except Exception:  # a ticket that never started simply counts as not reached
            return tid, None

    pairs = await gather_limited([snap(t) for t in ids], 16)
    return {t: s for t, s in pairs if s is not None}


async def count_activities(client: Client, ticket_id: str, pending: datetime,
                           assigned: datetime) -> tuple[int, int, Counter[str], int, int]:
    """Activities scheduled before the workflow task that reached each status, from the history."""
    handle = client.get_workflow_handle(ticket_workflow_id(ticket_id))
    history = await handle.fetch_history()
    scheduled: list[int] = []
    types: Counter[str] = Counter()
    wft_started: list[tuple[int, datetime]] = []
    for ev in history.events:
        if ev.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            scheduled.append(ev.event_id)
            types[ev.activity_task_scheduled_event_attributes.activity_type.name] += 1
        elif ev.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
            wft_started.append((ev.event_id, ev.event_time.ToDatetime(tzinfo=UTC)))

    def before(at: datetime) -> int:
        candidates = [eid for eid, t in wft_started if t <= at]
        cut = candidates[-1] if candidates else 0
        return sum(1 for eid in scheduled if eid < cut)

    raw = history.to_json()
    return before(pending), before(assigned), types, len(history.events), len(raw.encode())


async def burst_round(env: Env, client: Client, variant: Variant, n: int, sessions: Any, bare_inp: BareInput,
                      r: int) -> Round:
    """One pipeline burst, then one bare burst: a shared machine's load drifts less within a round."""
    prefix = f"run-{variant.name}-{r}"
    submitted: dict[str, datetime] = {}
    cpu0, srv0, nlp0 = time.process_time(), proc_cpu_s(env.server_pid), nlp_cpu_s(env)
    inputs = [ticket_input(prefix, i, env.repeat_texts) for i in range(n)]
    await gather_limited([start_recorded(client, inp, variant.eager_start, submitted) for inp in inputs])
    await wait_processing(sessions, prefix, n, 120 + 3 * n)
    cpu1, srv1, nlp1 = time.process_time(), proc_cpu_s(env.server_pid), nlp_cpu_s(env)
    states = await snapshots(client, [inp.ticket_id for inp in inputs])
    reached_p, reached_a = reached_times(states)
    pipeline = Side(pending=figures(submitted, reached_p), assigned=figures(submitted, reached_a),
                    process_cpu_ms_per_ticket=round((cpu1 - cpu0) * 1000 / n, 1),
                    server_cpu_ms_per_ticket=round((srv1 - srv0) * 1000 / n, 1),
                    nlp_processes_cpu_ms_per_ticket=round((nlp1 - nlp0) * 1000 / n, 1))

    # Bare burst: same count, same activities-to-status, same workers' options.
    bare_sub: dict[str, datetime] = {}
    bare_p: dict[str, datetime] = {}
    bare_a: dict[str, datetime] = {}
    cpu0, srv0 = time.process_time(), proc_cpu_s(env.server_pid)

    await gather_limited([run_bare(client, f"bare-{variant.name}-{r}-{i}", bare_inp, variant.eager_start,
                                   bare_sub, bare_p, bare_a) for i in range(n)], n)
    cpu1, srv1 = time.process_time(), proc_cpu_s(env.server_pid)
    bare_side = Side(pending=figures(bare_sub, bare_p), assigned=figures(bare_sub, bare_a),
                     process_cpu_ms_per_ticket=round((cpu1 - cpu0) * 1000 / n, 1),
                     server_cpu_ms_per_ticket=round((srv1 - srv0) * 1000 / n, 1))
    return Round(
        pipeline=pipeline, bare=bare_side,
        throughput_ratio_pending=ratio(pipeline.pending.per_second, bare_side.pending.per_second),
        p50_ratio_pending=ratio(pipeline.pending.p50_ms, bare_side.pending.p50_ms),
        throughput_ratio_assigned=ratio(pipeline.assigned.per_second, bare_side.assigned.per_second),
        p50_ratio_assigned=ratio(pipeline.assigned.p50_ms, bare_side.assigned.p50_ms),
    )


async def paced_phase(env: Env, client: Client, variant: Variant, sessions: Any,
                      bare_inp: BareInput) -> Paced:
    """Pipeline ticket, then half an interval later a bare workflow, every 1/rate seconds."""
    n, interval = env.paced_tickets, 1.0 / env.paced_rate
    prefix = f"paced-{variant.name}"
    submitted: dict[str, datetime] = {}
    bare_sub: dict[str, datetime] = {}
    bare_p: dict[str, datetime] = {}
    bare_a: dict[str, datetime] = {}
    tasks: list[asyncio.Task[None]] = []
    t0 = time.monotonic()
    for i in range(n):
        await asyncio.sleep(max(0.0, t0 + i * interval - time.monotonic()))
        inp = ticket_input(prefix, i, env.repeat_texts)
        tasks.append(asyncio.create_task(start_recorded(client, inp, variant.eager_start, submitted)))
        await asyncio.sleep(max(0.0, t0 + (i + 0.5) * interval - time.monotonic()))
        key = f"bare-{prefix}-{i}"
        tasks.append(asyncio.create_task(
            run_bare(client, key, bare_inp, variant.eager_start, bare_sub, bare_p, bare_a)))
    await asyncio.gather(*tasks)
    await wait_processing(sessions, prefix, n, 120 + 3 * n)
    states = await snapshots(client, list(submitted))
    reached_p, reached_a = reached_times(states)
    pp, pa = figures(submitted, reached_p), figures(submitted, reached_a)
    bp, ba = figures(bare_sub, bare_p), figures(bare_sub, bare_a)
    return Paced(rate_per_s=env.paced_rate, tickets=n, pipeline_pending=pp, pipeline_assigned=pa,
                 bare_pending=bp, bare_assigned=ba,
                 p50_ratio_pending=ratio(pp.p50_ms, bp.p50_ms),
                 p99_ratio_pending=ratio(pp.p99_ms, bp.p99_ms),
                 p50_ratio_assigned=ratio(pa.p50_ms, ba.p50_ms),
                 p99_ratio_assigned=ratio(pa.p99_ms, ba.p99_ms))
