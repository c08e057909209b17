"""Ticket pipeline vs bare Temporal, side by side on the same dev server in the same run.

    .venv/bin/python -m bench.pipeline_bench [--quick] [--tickets 200] [--variants default,eager-start]

For every variant (worker tuning, dev-server persistence) it pushes N German tickets through the
real TicketWorkflow (the workers from worker.py, real SQLite store, real language ID, classifier
and a tiny CTranslate2 de->zh model) with demo agents online, then N bare workflows running the
same number of empty activities (bench/bare_workflow.py) with the same worker options, and does
that 3 times (`--rounds`; pipeline, bare, pipeline, bare...; the median round is reported) because a shared
machine's load drifts. All N
start at once (a burst), so the figures include queueing: throughput = N / (last reached - first
submitted); latency = submitted -> the workflow task that reached the status (its `workflow.now()`,
the server's clock on this machine). It prints figures and ratios, it asserts nothing; results
go to bench/results/pipeline.json. CPU columns: this process (workers + client) and the dev
server per ticket, which say where the time goes on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select, update
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from bench.activity_timer import ActivityCost, ActivityTimer
from bench.bare_workflow import (
    BARE_TASK_QUEUE,
    BARE_WORKFLOW,
    NOOP_ACTIVITY,
    BareInput,
    BareResult,
    BareWorkflow,
    noop,
)
from domain.ids import TICKET_WORKFLOW, TICKETS_TASK_QUEUE, ticket_workflow_id
from domain.ticket import TicketInput, TicketState

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results"
CLK_TCK = os.sysconf("SC_CLK_TCK")


class Variant(BaseModel):
    name: str
    description: str
    server: str = "memory"  # "memory" (dev server default) or "sqlite" (--db-filename)
    tuning: dict[str, Any] = Field(default_factory=dict)  # extra temporalio Worker options
    executor_threads: int = 16  # worker.py's activity thread pool
    eager_start: bool = False
    nlp_processes: int = 0  # 0: nlp worker in this process; n: `python worker.py --only nlp` x n
    # worker.py passes workflows/ and domain/ through the sandbox; this re-imports them per run instead.
    strict_sandbox: bool = False


VARIANTS: list[Variant] = [
    Variant(name="default", description="as worker.py: SDK defaults, 16 activity threads, workflows/ passed "
            "through the sandbox, in-memory server"),
    Variant(name="strict-sandbox", strict_sandbox=True,
            description="LINGODESK_WORKFLOW_SANDBOX=strict: workflows/ re-imported in every run's sandbox"),
    Variant(name="sqlite-server", server="sqlite",
            description="same, dev server persisting to a SQLite file (--db-filename)"),
    Variant(name="small-slots", executor_threads=4,
            tuning={"max_concurrent_activities": 4, "max_concurrent_workflow_tasks": 2},
            description="4 activity slots, 2 workflow-task slots"),
    Variant(name="wide-slots", executor_threads=64,
            tuning={"max_concurrent_activities": 64, "max_concurrent_workflow_tasks": 64},
            description="64 activity threads/slots, 64 workflow-task slots"),
    Variant(name="eager-start", eager_start=True,
            description="request_eager_start=True: the first workflow task comes back with the start call"),
    Variant(name="no-eager-activities", tuning={"disable_eager_activity_execution": True},
            description="eager activity dispatch off: every activity goes through the matching service"),
    Variant(name="nlp-2-processes", nlp_processes=2,
            description="nlp queue served by 2 separate `worker.py --only nlp` processes"),
    Variant(name="no-sticky-cache", tuning={"max_cached_workflows": 0},
            description="sticky cache off: every workflow task replays the whole history"),
]
QUICK_VARIANTS = ["default"]
# Off by default: with every workflow task replaying its history the burst runs into workflow-task
# timeouts and takes many minutes (docs/scaling.md); run it with --variants no-sticky-cache.
SLOW_VARIANTS = {"no-sticky-cache"}


class Figures(BaseModel):
    completed: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float


class Side(BaseModel):
    pending: Figures
    assigned: Figures
    process_cpu_ms_per_ticket: float
    server_cpu_ms_per_ticket: float
    nlp_processes_cpu_ms_per_ticket: float = 0.0  # only with separate `worker.py --only nlp` processes


class Round(BaseModel):
    pipeline: Side
    bare: Side
    throughput_ratio_pending: float
    p50_ratio_pending: float
    throughput_ratio_assigned: float
    p50_ratio_assigned: float


class Paced(BaseModel):
    """Latency below saturation: pipeline and bare workflows started alternately at a steady rate
    (`--paced-rate` each), far below either one's throughput, so no start waits in a queue."""

    rate_per_s: float
    tickets: int
    pipeline_pending: Figures
    pipeline_assigned: Figures
    bare_pending: Figures
    bare_assigned: Figures
    p50_ratio_pending: float
    p99_ratio_pending: float
    p50_ratio_assigned: float
    p99_ratio_assigned: float


class VariantResult(BaseModel):
    variant: Variant
    tickets: int
    activities_to_pending: int
    activities_to_assigned: int
    activity_types: dict[str, int]
    history_events: int
    history_bytes: int
    bare_history_bytes: int
    pipeline: Side
    bare: Side
    throughput_ratio_pending: float  # pipeline / bare (target >= 0.60)
    p50_ratio_pending: float  # pipeline / bare (target <= 1.5)
    throughput_ratio_assigned: float
    p50_ratio_assigned: float
    rounds: list[Round]
    paced: Paced | None = None
    # Measured in the executor threads (bench/activity_timer.py) over all rounds, both sides.
    activity_costs: dict[str, ActivityCost]
    activity_cpu_ms_per_ticket: float  # pipeline activities (bench_noop excluded: it is ~0)


class Report(BaseModel):
    name: str = "pipeline"
    command: str
    quick: bool
    machine: str
    started_at: datetime
    results: list[VariantResult]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def figures(submitted: dict[str, datetime], reached: dict[str, datetime]) -> Figures:
    done = [k for k in submitted if k in reached]
    if not done:
        return Figures(completed=0, seconds=0.0, per_second=0.0, p50_ms=float("nan"), p99_ms=float("nan"))
    lat = [(reached[k] - submitted[k]).total_seconds() * 1000 for k in done]
    span = (max(reached[k] for k in done) - min(submitted.values())).total_seconds()
    return Figures(completed=len(done), seconds=round(span, 3), per_second=round(len(done) / span, 2),
                   p50_ms=round(_percentile(lat, 0.5), 1), p99_ms=round(_percentile(lat, 0.99), 1))


def _proc_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def _nlp_cpu_s(env: Env) -> float:
    return sum(_proc_cpu_s(pid) for pid in env.nlp_pids)


def ticket_input(prefix: str, i: int, repeat_texts: bool = False) -> TicketInput:
    # Unique text per ticket and run (the translation memory persists in the data dir across
    # variants and rounds), so it misses as it would for real traffic; `repeat_texts` gives every
    # round the same texts, so after the first round translations come from the translation memory.
    serial = f"{0 if repeat_texts else zlib.crc32(prefix.encode()) % 100_000:05d}{i:04d}"
    return TicketInput.model_validate({
        "ticket_id": f"{prefix}-{i}",
        "channel": "email",
        "customer": {"email": f"kunde{i}@example.de", "name": f"Kunde {i}", "country": "DE"},
        "subject": f"Bestellung A{serial}: Gerät startet nicht",
        "body": (f"Guten Tag, das Gerät aus der Bestellung A{serial} startet nach dem Firmware-Update "
                 f"nicht mehr. Die Seriennummer ist SN-{i * 7919 % 100000:05d}. Bitte um Hilfe."),
    })


# German a support inbox sees; with the tickets' own texts it is the tiny model's SentencePiece corpus.
GERMAN_LINES = [
    "Guten Tag, ich habe meine Bestellung noch nicht erhalten. Wann wird sie geliefert?",
    "Das Paket ist beschädigt angekommen, bitte senden Sie ein neues Gerät.",
    "Ich möchte die Rechnung für meine Bestellung bekommen und eine Rückerstattung beantragen.",
    "Der Motor macht nach zwei Wochen laute Geräusche. Ist das ein Garantiefall?",
    "Können Sie mir ein Angebot für hundert Stück schicken? Wir brauchen auch das Datenblatt.",
    "Vielen Dank für Ihre schnelle Antwort. Mit freundlichen Grüßen",
    "Die Sendungsverfolgung zeigt seit einer Woche keinen neuen Status.",
    "Nach dem Update lässt sich das Gerät nicht mehr einschalten, was soll ich tun?",
]


def build_bench_model(models_dir: Path) -> Path:
    """The tiny de->zh copy model the pipeline runs: its vocabulary knows German (as a real
    model's does), so a ticket body is ~80 pieces and one decode costs a few ms; with the tests'
    default tiny vocabulary (Chinese and English pieces) German falls apart into single
    letters and the 800-wide model spent ~50 ms per decode, measuring the model, not the pipeline."""
    from nlp.translate.tiny_model import build_tiny_model, train_tiny_spm

    lines = GERMAN_LINES + [t for i in range(50) for t in (ticket_input("corpus", i).subject,
                                                            ticket_input("corpus", i).body)]
    spm_model = train_tiny_spm(models_dir / ".spm" / "bench-de", vocab_size=256, lines=lines)
    return build_tiny_model(models_dir, "de", "zh", spm_model=spm_model, position_freqs=16)


# ------------------------------------------------------------------------------- environment
class Env(BaseModel):
    model_config = {"arbitrary_types_allowed": True}
    address: str
    server_pid: int
    nlp_pids: list[int] = Field(default_factory=list)
    repeat_texts: bool = False
    rounds: int = 3  # bursts per variant from 50 tickets; the median round is reported
    paced_tickets: int = 0  # 0: no paced phase
    paced_rate: float = 2.0
    models_dir: Path
    data_dir: Path
    work_dir: Path


@asynccontextmanager
async def dev_server(work_dir: Path, mode: str) -> AsyncIterator[tuple[str, int]]:
    from runtime.devserver import free_port, start_dev_server

    port = free_port()
    db_file = work_dir / f"temporal-{port}.db" if mode == "sqlite" else None
    proc = await asyncio.to_thread(start_dev_server, port, free_port(), db_file, None, True)
    try:
        yield f"127.0.0.1:{port}", proc.pid
    finally:
        proc.terminate()
        try:
            await asyncio.to_thread(proc.wait, 20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _settings(env: Env, database_url: str) -> Any:
    from runtime.settings import Settings

    return Settings.model_validate({
        "TEMPORAL_ADDRESS": env.address, "DATABASE_URL": database_url,
        "LINGODESK_MODELS_DIR": str(env.models_dir), "LINGODESK_DATA_DIR": str(env.data_dir),
    })


def prepare_store(database_url: str) -> Any:
    """Migrated store with the demo teams/agents, everyone online with room for every ticket."""
    from store.db import make_engine, make_session_factory
    from store.migrate import upgrade
    from store.seed import seed_demo
    from store.tables import AgentRow

    upgrade(database_url)
    sessions = make_session_factory(make_engine(database_url))
    seed_demo(sessions)
    with sessions.begin() as session:
        session.execute(update(AgentRow).values(presence="online", capacity=1_000_000, working_hours={}))
    return sessions


def _nlp_processes(env: Env, database_url: str, count: int) -> list[subprocess.Popen[bytes]]:
    child_env = os.environ | {
        "TEMPORAL_ADDRESS": env.address, "DATABASE_URL": database_url,
        "LINGODESK_MODELS_DIR": str(env.models_dir), "LINGODESK_DATA_DIR": str(env.data_dir),
    }
    return [subprocess.Popen([sys.executable, str(REPO_ROOT / "worker.py"), "--only", "nlp"], env=child_env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(count)]


# ---------------------------------------------------------------------------------- pipeline
async def _start_ticket(client: Client, inp: TicketInput, eager: bool) -> None:
    await client.start_workflow(TICKET_WORKFLOW, inp, id=ticket_workflow_id(inp.ticket_id),
                                task_queue=TICKETS_TASK_QUEUE, request_eager_start=eager)


def _status_times(state: TicketState) -> tuple[datetime | None, datetime | None]:
    pending = assigned = None
    for ev in state.timeline:
        if ev.kind == "status" and ev.data.get("to") == "pending_assignment" and pending is None:
            pending = ev.at
        if ev.kind == "status" and ev.data.get("to") == "processing" and assigned is None:
            assigned = ev.at
    return pending, assigned


def _reached(states: dict[str, TicketState]) -> tuple[dict[str, datetime], dict[str, datetime]]:
    """Per ticket: when it entered pending_assignment, and when it was assigned (if it was)."""
    pending: dict[str, datetime] = {}
    assigned: dict[str, datetime] = {}
    for tid, st in states.items():
        p, a = _status_times(st)
        if p:
            pending[tid] = p
        if a:
            assigned[tid] = a
    return pending, assigned


async def _run_bare(client: Client, key: str, inp: BareInput, eager: bool, submitted: dict[str, datetime],
                    pending: dict[str, datetime], assigned: dict[str, datetime]) -> None:
    """One bare workflow: its start time and the two checkpoints it reports go into the dicts."""
    submitted[key] = datetime.now(UTC)
    handle = await client.start_workflow(BARE_WORKFLOW, inp, id=key, task_queue=BARE_TASK_QUEUE,
                                         request_eager_start=eager, result_type=BareResult)
    result = await handle.result()
    pending[key], assigned[key] = result.reached[0], result.reached[1]


async def _wait_processing(sessions: Any, prefix: str, n: int, timeout_s: float) -> None:
    from store.tables import TicketRow

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with sessions() as session:
            done = session.scalar(select(func.count()).select_from(TicketRow).where(
                TicketRow.ticket_id.like(f"{prefix}-%"), TicketRow.status == "processing"))
        if done and done >= n:
            return
        await asyncio.sleep(0.25)


async def _gather_limited(coros: Sequence[Any], limit: int = 64) -> list[Any]:
    sem = asyncio.Semaphore(limit)

    async def one(c: Any) -> Any:
        async with sem:
            return await c

    return await asyncio.gather(*(one(c) for c in coros))


async def _snapshots(client: Client, ids: list[str]) -> dict[str, TicketState]:
    async def snap(tid: str) -> tuple[str, TicketState | None]:
        try:
            state = await client.get_workflow_handle(ticket_workflow_id(tid)).query(
                "get_snapshot", result_type=TicketState)
            return tid, state
        except Exception:  # a ticket that never started simply counts as not reached
            return tid, None

    pairs = await _gather_limited([snap(t) for t in ids], 16)
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


# ------------------------------------------------------------------------------------ variant
async def run_variant(env: Env, client: Client, variant: Variant, n: int) -> VariantResult:
    import worker

    timer = ActivityTimer()
    options: dict[str, Any] = {**variant.tuning, "interceptors": [timer]}
    if variant.strict_sandbox:
        options["workflow_runner"] = SandboxedWorkflowRunner()
    database_url = f"sqlite:///{env.work_dir / f'store-{variant.name}.db'}"
    sessions = prepare_store(database_url)
    settings = _settings(env, database_url)
    nlp_procs = _nlp_processes(env, database_url, variant.nlp_processes)
    env = env.model_copy(update={"nlp_pids": [p.pid for p in nlp_procs]})
    try:
        with ThreadPoolExecutor(max_workers=variant.executor_threads) as executor:
            workers: list[Worker] = [worker.build_ticket_worker(client, settings, executor, **options)]
            if not variant.nlp_processes:
                workers.append(worker.build_nlp_worker(client, settings, executor, **options))
            workers.append(Worker(client, task_queue=BARE_TASK_QUEUE, workflows=[BareWorkflow],
                                  activities=[noop], activity_executor=executor, **options))
            async with _running(workers):
                return await _measure(env, client, variant, n, sessions, timer)
    finally:
        for proc in nlp_procs:
            proc.terminate()
            proc.wait(20)


@asynccontextmanager
async def _running(workers: list[Worker]) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(w.run()) for w in workers]
    try:
        yield
    finally:
        await asyncio.gather(*(w.shutdown() for w in workers), return_exceptions=True)
        await asyncio.gather(*tasks, return_exceptions=True)


async def _measure(env: Env, client: Client, variant: Variant, n: int, sessions: Any,
                   timer: ActivityTimer) -> VariantResult:
    # Warm-up ticket: loads the engines (classifier training on first use), counts the activities.
    warm = f"warm-{variant.name}"
    await _start_ticket(client, ticket_input(warm, 0, env.repeat_texts), variant.eager_start)
    await _wait_processing(sessions, warm, 1, 300)
    state = (await _snapshots(client, [f"{warm}-0"]))[f"{warm}-0"]
    pending_at, assigned_at = _status_times(state)
    if pending_at is None or assigned_at is None:
        raise RuntimeError(f"warm-up ticket did not reach processing: {state.status}")
    n_pending, n_assigned, types, events, hist_bytes = await count_activities(
        client, f"{warm}-0", pending_at, assigned_at)
    bare_inp = BareInput(checkpoints=[n_pending, n_assigned])
    warm_bare = await client.start_workflow(
        BARE_WORKFLOW, bare_inp, id=f"bare-warm-{variant.name}", task_queue=BARE_TASK_QUEUE,
        request_eager_start=variant.eager_start)
    await warm_bare.result()
    bare_bytes = len((await warm_bare.fetch_history()).to_json().encode())

    timer.reset()  # from here on: the measured rounds only
    rounds = [await _round(env, client, variant, n, sessions, bare_inp, r)
              for r in range(variant_rounds(n, env.rounds))]
    paced = await _paced(env, client, variant, sessions, bare_inp) if env.paced_tickets else None
    costs = timer.report()
    # The round with the median pending-throughput ratio stands for the variant; all rounds are kept.
    ordered = sorted(rounds, key=lambda r: r.throughput_ratio_pending)
    mid = ordered[len(ordered) // 2]
    return VariantResult(
        variant=variant, tickets=n, activities_to_pending=n_pending, activities_to_assigned=n_assigned,
        activity_types=dict(types), history_events=events, history_bytes=hist_bytes,
        bare_history_bytes=bare_bytes, pipeline=mid.pipeline, bare=mid.bare,
        throughput_ratio_pending=mid.throughput_ratio_pending, p50_ratio_pending=mid.p50_ratio_pending,
        throughput_ratio_assigned=mid.throughput_ratio_assigned, p50_ratio_assigned=mid.p50_ratio_assigned,
        rounds=rounds, paced=paced, activity_costs=costs,
        activity_cpu_ms_per_ticket=round(sum(c.cpu_ms_total for k, c in costs.items() if k != NOOP_ACTIVITY)
                                         / (n * len(rounds)), 1),
    )


ROUNDS = 3


def variant_rounds(n: int, rounds: int = ROUNDS) -> int:
    return 1 if n < 50 else max(1, rounds)


def _ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("nan")


async def _round(env: Env, client: Client, variant: Variant, n: int, sessions: Any, bare_inp: BareInput,
                 r: int) -> Round:
    """One pipeline burst, then one bare burst: a shared machine's load drifts less within a round."""
    prefix = f"run-{variant.name}-{r}"
    ids = [f"{prefix}-{i}" for i in range(n)]
    submitted: dict[str, datetime] = {}
    cpu0, srv0, nlp0 = time.process_time(), _proc_cpu_s(env.server_pid), _nlp_cpu_s(env)

    async def start(i: int) -> None:
        submitted[ids[i]] = datetime.now(UTC)
        await _start_ticket(client, ticket_input(prefix, i, env.repeat_texts), variant.eager_start)

    await _gather_limited([start(i) for i in range(n)])
    await _wait_processing(sessions, prefix, n, 120 + 3 * n)
    cpu1, srv1, nlp1 = time.process_time(), _proc_cpu_s(env.server_pid), _nlp_cpu_s(env)
    states = await _snapshots(client, ids)
    reached_p, reached_a = _reached(states)
    pipeline = Side(pending=figures(submitted, reached_p), assigned=figures(submitted, reached_a),
                    process_cpu_ms_per_ticket=round((cpu1 - cpu0) * 1000 / n, 1),
                    server_cpu_ms_per_ticket=round((srv1 - srv0) * 1000 / n, 1),
                    nlp_processes_cpu_ms_per_ticket=round((nlp1 - nlp0) * 1000 / n, 1))

    # Bare burst: same count, same activities-to-status, same workers' options.
    bare_sub: dict[str, datetime] = {}
    bare_p: dict[str, datetime] = {}
    bare_a: dict[str, datetime] = {}
    cpu0, srv0 = time.process_time(), _proc_cpu_s(env.server_pid)

    await _gather_limited([_run_bare(client, f"bare-{variant.name}-{r}-{i}", bare_inp, variant.eager_start,
                                     bare_sub, bare_p, bare_a) for i in range(n)], n)
    cpu1, srv1 = time.process_time(), _proc_cpu_s(env.server_pid)
    bare_side = Side(pending=figures(bare_sub, bare_p), assigned=figures(bare_sub, bare_a),
                     process_cpu_ms_per_ticket=round((cpu1 - cpu0) * 1000 / n, 1),
                     server_cpu_ms_per_ticket=round((srv1 - srv0) * 1000 / n, 1))
    return Round(
        pipeline=pipeline, bare=bare_side,
        throughput_ratio_pending=_ratio(pipeline.pending.per_second, bare_side.pending.per_second),
        p50_ratio_pending=_ratio(pipeline.pending.p50_ms, bare_side.pending.p50_ms),
        throughput_ratio_assigned=_ratio(pipeline.assigned.per_second, bare_side.assigned.per_second),
        p50_ratio_assigned=_ratio(pipeline.assigned.p50_ms, bare_side.assigned.p50_ms),
    )


async def _paced(env: Env, client: Client, variant: Variant, sessions: Any, bare_inp: BareInput) -> Paced:
    """Pipeline ticket, then half an interval later a bare workflow, every 1/rate seconds."""
    n, interval = env.paced_tickets, 1.0 / env.paced_rate
    prefix = f"paced-{variant.name}"
    submitted: dict[str, datetime] = {}
    bare_sub: dict[str, datetime] = {}
    bare_p: dict[str, datetime] = {}
    bare_a: dict[str, datetime] = {}

    async def ticket(i: int) -> None:
        submitted[f"{prefix}-{i}"] = datetime.now(UTC)
        await _start_ticket(client, ticket_input(prefix, i, env.repeat_texts), variant.eager_start)

    tasks: list[asyncio.Task[None]] = []
    t0 = time.monotonic()
    for i in range(n):
        await asyncio.sleep(max(0.0, t0 + i * interval - time.monotonic()))
        tasks.append(asyncio.create_task(ticket(i)))
        await asyncio.sleep(max(0.0, t0 + (i + 0.5) * interval - time.monotonic()))
        key = f"bare-{prefix}-{i}"
        tasks.append(asyncio.create_task(
            _run_bare(client, key, bare_inp, variant.eager_start, bare_sub, bare_p, bare_a)))
    await asyncio.gather(*tasks)
    await _wait_processing(sessions, prefix, n, 120 + 3 * n)
    states = await _snapshots(client, list(submitted))
    reached_p, reached_a = _reached(states)
    pp, pa = figures(submitted, reached_p), figures(submitted, reached_a)
    bp, ba = figures(bare_sub, bare_p), figures(bare_sub, bare_a)
    return Paced(rate_per_s=env.paced_rate, tickets=n, pipeline_pending=pp, pipeline_assigned=pa,
                 bare_pending=bp, bare_assigned=ba,
                 p50_ratio_pending=_ratio(pp.p50_ms, bp.p50_ms),
                 p99_ratio_pending=_ratio(pp.p99_ms, bp.p99_ms),
                 p50_ratio_assigned=_ratio(pa.p50_ms, ba.p50_ms),
                 p99_ratio_assigned=_ratio(pa.p99_ms, ba.p99_ms))


# --------------------------------------------------------------------------------------- main
async def _connect(address: str, attempts: int = 60) -> Client:
    """The dev server opens its port before its frontend is healthy: retry for a while."""
    from runtime.client import data_converter

    for attempt in range(attempts):
        try:
            return await Client.connect(address, data_converter=data_converter())
        except RuntimeError:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")


async def run(variants: list[Variant], n: int, work_dir: Path,
              on_result: Callable[[list[VariantResult]], None] | None = None,
              repeat_texts: bool = False, rounds: int = ROUNDS, paced_tickets: int = 0,
              paced_rate: float = 2.0) -> list[VariantResult]:
    from nlp import factory

    models_dir = work_dir / "models"
    build_bench_model(models_dir)
    results: list[VariantResult] = []
    for mode in dict.fromkeys(v.server for v in variants):
        async with dev_server(work_dir, mode) as (address, pid):
            client = await _connect(address)
            env = Env(address=address, server_pid=pid, models_dir=models_dir, data_dir=work_dir / "data",
                      work_dir=work_dir, repeat_texts=repeat_texts, rounds=rounds,
                      paced_tickets=paced_tickets, paced_rate=paced_rate)
            for variant in (v for v in variants if v.server == mode):
                factory.reset()
                print(f"[pipeline] {variant.name}: {variant.description}", flush=True)
                result = await run_variant(env, client, variant, n)
                print_row(result)
                results.append(result)
                if on_result:
                    on_result(results)  # written after every variant: a long run keeps what it has
    return results


def print_row(r: VariantResult) -> None:
    p, b = r.pipeline, r.bare
    print(f"  {r.variant.name:20s} activities {r.activities_to_pending}/{r.activities_to_assigned}  "
          f"pending: {p.pending.per_second:6.1f}/s vs bare {b.pending.per_second:6.1f}/s "
          f"(x{r.throughput_ratio_pending:.2f}), p50 {p.pending.p50_ms:7.0f} vs {b.pending.p50_ms:7.0f} ms "
          f"(x{r.p50_ratio_pending:.2f}), p99 {p.pending.p99_ms:7.0f} vs {b.pending.p99_ms:7.0f} ms | "
          f"assigned: x{r.throughput_ratio_assigned:.2f} thr, x{r.p50_ratio_assigned:.2f} p50 | "
          f"cpu/ticket worker {p.process_cpu_ms_per_ticket:.0f} vs {b.process_cpu_ms_per_ticket:.0f} ms, "
          f"server {p.server_cpu_ms_per_ticket:.0f} vs {b.server_cpu_ms_per_ticket:.0f} ms", flush=True)
    if r.paced:
        q = r.paced
        print(f"  {'':20s} paced {q.rate_per_s:g}/s x {q.tickets}: p50 pending "
              f"{q.pipeline_pending.p50_ms:.0f} vs {q.bare_pending.p50_ms:.0f} ms "
              f"(x{q.p50_ratio_pending:.2f}), p99 x{q.p99_ratio_pending:.2f} | "
              f"assigned {q.pipeline_assigned.p50_ms:.0f} vs {q.bare_assigned.p50_ms:.0f} ms "
              f"(x{q.p50_ratio_assigned:.2f}), p99 x{q.p99_ratio_assigned:.2f}", flush=True)
    costs = ", ".join(f"{k} {c.cpu_ms_mean:.1f}" for k, c in r.activity_costs.items())
    print(f"  {'':20s} activity-thread CPU ms/call: {costs}; per ticket {r.activity_cpu_ms_per_ticket:.0f} ms"
          + (f"; nlp processes {p.nlp_processes_cpu_ms_per_ticket:.0f} ms/ticket" if r.variant.nlp_processes
             else ""), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one variant, 20 tickets (a smoke run)")
    parser.add_argument("--tickets", type=int,
                        help="tickets per burst (default 100, quick 20); --rounds rounds from 50 tickets")
    parser.add_argument("--paced", type=int, default=None,
                        help="tickets (and as many bare workflows) in the paced latency phase "
                             "(default 30, quick 0: off)")
    parser.add_argument("--paced-rate", type=float, default=2.0,
                        help="paced phase: pipeline tickets per second, bare workflows the same")
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help=f"pipeline + bare bursts per variant, the median reported (default {ROUNDS})")
    parser.add_argument("--variants", help="comma-separated: " + ",".join(v.name for v in VARIANTS))
    parser.add_argument("--repeat-texts", action="store_true",
                        help="the same ticket texts every round: translations hit the translation memory")
    parser.add_argument("--out", type=Path, default=RESULTS / "pipeline.json")
    args = parser.parse_args(argv)
    names = args.variants.split(",") if args.variants else (
        QUICK_VARIANTS if args.quick else [v.name for v in VARIANTS if v.name not in SLOW_VARIANTS])
    by_name = {v.name: v for v in VARIANTS}
    unknown = [x for x in names if x not in by_name]
    if unknown:
        parser.error(f"unknown variants {unknown}")
    n = args.tickets or (20 if args.quick else 100)
    started = datetime.now(UTC)
    args_text = " ".join(argv if argv is not None else sys.argv[1:])

    def write(results: list[VariantResult]) -> None:
        report = Report(command=f"python -m bench.pipeline_bench {args_text}".strip(),
                        quick=args.quick, machine=f"{os.cpu_count()} CPUs, {sys.platform}",
                        started_at=started, results=results)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report.model_dump(mode="json"), indent=2) + "\n", encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="lingodesk-pipeline-bench-") as tmp:
        chosen = [by_name[x] for x in names]
        paced = args.paced if args.paced is not None else (0 if args.quick else 30)
        write(asyncio.run(run(chosen, n, Path(tmp), write, args.repeat_texts, args.rounds, paced,
                              args.paced_rate)))
    print(f"[pipeline] wrote {args.out}")
    return 0


if __name__ == "__main__":
    # `kill` then still stops the servers this run started (finally blocks run on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    raise SystemExit(main())
