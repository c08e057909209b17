"""CTranslate2 intra-op threads: CPU and wall time per sentence for intra_threads 1, 2 and 0 (auto).

    .venv/bin/python -m bench.ct2_threads_bench [--models-dir ../shared/models] [--sentences 30]

One sentence per `translate_batch` call, the way a ticket's translation arrives in the worker,
with and without a second process busy on one core (a worker's activities, the Temporal SDK,
another tenant), on the tiny pipeline-benchmark model and on the real zh->en model where
`../shared/models` has it. It chose the default `LINGODESK_CT2_INTRA_THREADS=1`: OpenMP's
worker threads spin while they wait for work, which on a 2-core machine costs CPU the rest of
the worker needs and, once any other thread is busy, wall time too. Results go to
bench/results/ct2_threads.json; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import ctranslate2
import sentencepiece as spm
from pydantic import BaseModel

from bench.pipeline_inputs import build_bench_model, ticket_input

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results"
FLORES_ZH = REPO_ROOT.parent / "shared" / "data" / "flores200-devtest" / "zho_Hans.devtest"
REAL_MODEL = "argos-translate-zh_en-1_9"
SETTINGS = (1, 2, 0)


class Row(BaseModel):
    model: str
    load: str  # "quiet" or "one busy core"
    intra_threads: int
    cpu_ms_per_sentence: float
    wall_ms_per_sentence: float


class Report(BaseModel):
    name: str = "ct2_threads"
    command: str
    cpus: int
    rows: list[Row]


def _spin(stop_at: float) -> None:
    while time.monotonic() < stop_at:
        pass


@contextmanager
def busy_core(enabled: bool, seconds: float = 600.0) -> Iterator[None]:
    if not enabled:
        yield
        return
    proc = multiprocessing.Process(target=_spin, args=(time.monotonic() + seconds,), daemon=True)
    proc.start()
    try:
        yield
    finally:
        proc.terminate()
        proc.join()


def measure(ct2_dir: Path, pieces: list[list[str]], intra: int) -> tuple[float, float]:
    translator = ctranslate2.Translator(str(ct2_dir), device="cpu", intra_threads=intra)
    translator.translate_batch(pieces[:1], beam_size=2)  # warm-up
    cpu, wall = time.process_time(), time.perf_counter()
    for p in pieces:
        translator.translate_batch([p], beam_size=2, max_decoding_length=256)
    n = len(pieces)
    return (time.process_time() - cpu) * 1000 / n, (time.perf_counter() - wall) * 1000 / n


def workloads(models_dir: Path | None, work: Path, n: int) -> list[tuple[str, Path, list[list[str]]]]:
    tiny = build_bench_model(work / "models")
    sp = spm.SentencePieceProcessor(model_file=str(tiny / "source.spm"))
    out = [("tiny de->zh (pipeline bench)", tiny,
            [sp.encode(ticket_input("threads", i).body, out_type=str) for i in range(n)])]
    real = models_dir / REAL_MODEL if models_dir else None
    if real and (real / "model").is_dir() and FLORES_ZH.exists():
        sp_real = spm.SentencePieceProcessor(model_file=str(real / "sentencepiece.model"))
        lines = FLORES_ZH.read_text(encoding="utf-8").splitlines()[:n]
        out.append((f"{REAL_MODEL} (FLORES zh)", real / "model",
                    [sp_real.encode(s, out_type=str) for s in lines]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models-dir", type=Path, default=REPO_ROOT.parent / "shared" / "models")
    parser.add_argument("--sentences", type=int, default=None,
                        help="per model and setting (default 30, quick 3)")
    parser.add_argument("--quick", action="store_true", help="3 sentences per setting (a smoke run)")
    parser.add_argument("--out", type=Path, default=RESULTS / "ct2_threads.json")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="lingodesk-ct2-threads-") as tmp:
        n = args.sentences or (3 if args.quick else 30)
        for name, ct2_dir, pieces in workloads(args.models_dir, Path(tmp), n):
            for busy in (False, True):
                with busy_core(busy):
                    for intra in SETTINGS:
                        cpu, wall = measure(ct2_dir, pieces, intra)
                        row = Row(model=name, load="one busy core" if busy else "quiet", intra_threads=intra,
                                  cpu_ms_per_sentence=round(cpu, 2), wall_ms_per_sentence=round(wall, 2))
                        rows.append(row)
                        print(f"{name:45s} {row.load:14s} intra={intra}  cpu {cpu:8.2f} ms  "
                              f"wall {wall:8.2f} ms", flush=True)
    shown = sys.argv[1:] if argv is None else argv
    report = Report(command=" ".join(["python -m bench.ct2_threads_bench", *shown]), cpus=os.cpu_count() or 0,
                    rows=rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report.model_dump(mode="json"), indent=2) + "\n", encoding="utf-8")
    print(f"[ct2-threads] wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
