"""What bench/pipeline_bench.py measures: its variants, the figures per side and round, the report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from bench.activity_timer import ActivityCost


class Variant(BaseModel):
    name: str
    description: str
    server: str = "memory"  # "memory" (dev server default) or "sqlite" (--db-filename)
    tuning: dict[str, Any] = Field(default_factory=dict)  # extra temporalio Worker options
    executor_threads: int = 16  # worker.py's activity thread pool
    eager_start: bool = False
    nlp_processes: int = 0  # 0: nlp worker in this process; n: `python worker.py --only nlp` x n
    # With the nlp worker in this process: its tickets schedule NLP on the `tickets` queue, as worker.py
    # does by default (LINGODESK_NLP_LOCAL, workflows/nlp_dispatch.py); False keeps the `nlp` queue.
    local_nlp: bool = True
    # worker.py passes workflows/ and domain/ through the sandbox; this re-imports them per run instead.
    strict_sandbox: bool = False


VARIANTS: list[Variant] = [
    Variant(name="default", description="as worker.py: 16 activity threads, 400 activity slots, workflows/ "
            "passed through the sandbox, in-memory server"),
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
    Variant(name="sdk-slots", tuning={"max_concurrent_activities": 100},
            description="the SDK's 100 activity slots (worker.py: 400): in a burst some tasks miss eager "
            "dispatch and wait behind the eager ones"),
    Variant(name="eager-start", eager_start=True,
            description="request_eager_start=True: the first workflow task comes back with the start call"),
    Variant(name="no-eager-activities", tuning={"disable_eager_activity_execution": True},
            description="eager activity dispatch off: every activity goes through the matching service"),
    Variant(name="nlp-own-queue", local_nlp=False,
            description="LINGODESK_NLP_LOCAL=false: NLP activities on the `nlp` queue although this process "
            "runs it (the default before the setting existed)"),
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


def percentile(values: list[float], q: float) -> float:
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
                   p50_ms=round(percentile(lat, 0.5), 1), p99_ms=round(percentile(lat, 0.99), 1))


def ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("nan")


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
