"""Run every benchmark, merge their results into bench/results/summary.json, print a short table.

    make bench                              # = python -m bench.run_all (full sizes; tens of minutes)
    .venv/bin/python -m bench.run_all --quick
    .venv/bin/python -m bench.run_all --only pipeline_bench,store_scale_bench

Contract for a bench module: `main(argv: list[str] | None) -> int`, accepts `--quick`, writes
`bench/results/<name>.json`. Each module runs in its own process (`python -m bench.<module>`), so
one crash or one module's engines and threads do not touch the next. The summary holds every
results file written by this run, keyed by file name, plus each module's exit status and time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results"
MODULES = ["langid_bench", "translate_bench", "ct2_threads_bench", "classify_bench", "pipeline_bench",
           "store_scale_bench"]


class ModuleRun(BaseModel):
    module: str
    returncode: int
    seconds: float
    results: list[str]  # results files this run wrote


class Summary(BaseModel):
    command: str
    quick: bool
    started_at: datetime
    runs: list[ModuleRun]
    results: dict[str, Any]


def run_module(module: str, quick: bool) -> ModuleRun:
    before = {p: p.stat().st_mtime for p in RESULTS.glob("*.json")}
    argv = [sys.executable, "-m", f"bench.{module}", *(["--quick"] if quick else [])]
    print(f"[run_all] {' '.join(argv[1:])}", flush=True)
    start = time.perf_counter()
    code = subprocess.call(argv, cwd=REPO_ROOT)
    seconds = time.perf_counter() - start
    written = sorted(p.name for p in RESULTS.glob("*.json")
                     if p.name != "summary.json" and before.get(p) != p.stat().st_mtime)
    return ModuleRun(module=module, returncode=code, seconds=round(seconds, 1), results=written)


def headline(name: str, data: dict[str, Any]) -> str:
    """One line of the figures that matter for the results files this package knows."""
    if name == "pipeline.json" and data.get("results"):
        parts = []
        for r in data["results"]:
            parts.append(f"{r['variant']['name']}: thr x{r['throughput_ratio_pending']:.2f}, "
                         f"p50 x{r['p50_ratio_pending']:.2f}")
        return "pipeline/bare to pending_assignment: " + "; ".join(parts[:3])
    if name == "store_scale.json" and data.get("timings"):
        worst = max(data["timings"], key=lambda t: t["median_ms"])
        return (f"{data['generated'].get('tickets', 0):,} tickets; slowest query {worst['name']} "
                f"{worst['median_ms']:.0f} ms")
    return ", ".join(f"{k}={v}" for k, v in data.items() if isinstance(v, int | float))[:100]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes in every module (minutes)")
    parser.add_argument("--only", help="comma-separated modules: " + ",".join(MODULES))
    parser.add_argument("--merge-only", action="store_true",
                        help="run nothing: merge the results files already in bench/results")
    args = parser.parse_args(argv)
    modules = args.only.split(",") if args.only else MODULES
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown modules {unknown}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    runs = [] if args.merge_only else [run_module(m, args.quick) for m in modules]
    names = ([p.name for p in sorted(RESULTS.glob("*.json")) if p.name != "summary.json"] if args.merge_only
             else [name for run in runs for name in run.results])
    merged = {name: json.loads((RESULTS / name).read_text(encoding="utf-8")) for name in names}
    args_text = " ".join(argv if argv is not None else sys.argv[1:])
    summary = Summary(command=f"python -m bench.run_all {args_text}".strip(),
                      quick=args.quick, started_at=started, runs=runs, results=merged)
    (RESULTS / "summary.json").write_text(json.dumps(summary.model_dump(mode="json"), indent=2) + "\n",
                                          encoding="utf-8")
    if args.merge_only:
        for name in names:
            print(f"{name:28s} {headline(name, merged[name])}")
    print(f"\n{'module':20s} {'rc':>3s} {'seconds':>8s}  figures")
    for run in runs:
        lines = [headline(n, merged[n]) for n in run.results] or ["(no results file written)"]
        print(f"{run.module:20s} {run.returncode:3d} {run.seconds:8.1f}  {lines[0]}")
        for line in lines[1:]:
            print(f"{'':34s}{line}")
    print(f"[run_all] wrote {RESULTS / 'summary.json'}")
    return 0 if all(r.returncode == 0 for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
