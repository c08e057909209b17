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

Modules: pipeline_env (dev server, store, settings), pipeline_inputs (tickets, the tiny model),
pipeline_phases (burst and paced phases), pipeline_results (variants, figures, report).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from bench.activity_timer import ActivityTimer
from bench.bare_workflow import (
    BARE_TASK_QUEUE,
    BARE_WORKFLOW,
    NOOP_ACTIVITY,
    BareInput,
    BareWorkflow,
    noop,
)
from bench.pipeline_env import Env, connect, dev_server, nlp_processes, prepare_store, worker_settings
from bench.pipeline_inputs import build_bench_model, ticket_input
from bench.pipeline_phases import (
    burst_round,
    count_activities,
    paced_phase,
    snapshots,
    start_ticket,
    status_times,
    wait_processing,
)
from bench.pipeline_results import (
    QUICK_VARIANTS,
    SLOW_VARIANTS,
    VARIANTS,
    Report,
    Variant,
    VariantResult,
    print_row,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results"


# ------------------------------------------------------------------------------------ variant
async def run_variant(env: Env, client: Client, variant: Variant, n: int) -> VariantResult:
    import worker

    timer = ActivityTimer()
    options: dict[str, Any] = {**variant.tuning, "interceptors": [timer]}
    if variant.strict_sandbox:
        options["workflow_runner"] = SandboxedWorkflowRunner()
    database_url = f"sqlite:///{env.work_dir / f'store-{variant.name}.db'}"
    sessions = prepare_store(database_url)
    settings = worker_settings(env, database_url)
    nlp_procs = nlp_processes(env, database_url, variant.nlp_processes)
    env = env.model_copy(update={"nlp_pids": [p.pid for p in nlp_procs]})
    try:
        with ThreadPoolExecutor(max_workers=variant.executor_threads) as executor:
            local_nlp = variant.local_nlp and not variant.nlp_processes
            tickets = worker.build_ticket_worker(client, settings, executor, local_nlp=local_nlp, **options)
            workers: list[Worker] = [tickets]
            if not variant.nlp_processes:
                workers.append(worker.build_nlp_worker(client, settings, executor, **options))
            # The same slots as worker.py's (LINGODESK_ACTIVITY_SLOTS) unless the variant sets them.
            workers.append(worker.activity_worker(client, settings, task_queue=BARE_TASK_QUEUE,
                                                  workflows=[BareWorkflow], activities=[noop],
                                                  activity_executor=executor, **options))
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
    await start_ticket(client, ticket_input(warm, 0, env.repeat_texts), variant.eager_start)
    await wait_processing(sessions, warm, 1, 300)
    state = (await snapshots(client, [f"{warm}-0"]))[f"{warm}-0"]
    pending_at, assigned_at = status_times(state)
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
    rounds = [await burst_round(env, client, variant, n, sessions, bare_inp, r)
              for r in range(variant_rounds(n, env.rounds))]
    paced = await paced_phase(env, client, variant, sessions, bare_inp) if env.paced_tickets else None
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


# --------------------------------------------------------------------------------------- main
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
            client = await connect(address)
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
