"""Language-ID benchmark: Lingodesk's detector vs raw fastText lid.176 vs lingua (high and low accuracy).

    .venv/bin/python -m bench.langid_bench [--data-dir ../shared/data] [--detectors ours,fasttext,...]
    .venv/bin/python -m bench.langid_bench --quick     # 100 texts per language and bucket, ~15 s

All detectors see the same texts (bench/langid_data.py). lingua is limited to our 32 languages,
as our detector is; raw fastText answers among its 176 labels, which is how it is used out of the
box. An `und` answer counts as wrong. Prints accuracy per length bucket and per language, and
texts per CPU-second on one core (CPU time, so a busy shared machine does not distort it);
writes bench/results/langid.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from bench.langid_data import BUCKETS, REPO_ROOT, Sample, build_dataset, default_data_dir

RESULTS = REPO_ROOT / "bench" / "results"
Detect = Callable[[str], str]


def ours() -> Detect:
    from nlp.langid.detector import LanguageIdentifier
    from runtime.settings import Settings

    ident = LanguageIdentifier.from_settings(Settings())
    return lambda text: ident.detect_text(text).language


def fasttext_raw() -> Detect:
    from nlp.langid.fasttext_model import FastTextLid

    model = FastTextLid.default()
    return lambda text: model.raw(text, 1)[0][1]


def lingua(high: bool) -> Detect:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    from nlp.langid.languages import SUPPORTED

    codes = [getattr(IsoCode639_1, "NB" if c == "no" else c.upper()) for c in SUPPORTED]
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    detector = (builder if high else builder.with_low_accuracy_mode()).build()

    def detect(text: str) -> str:
        lang = detector.detect_language_of(text)
        if lang is None:
            return "und"
        code = lang.iso_code_639_1.name.lower()
        return "no" if code == "nb" else code

    return detect


DETECTORS: dict[str, Callable[[], Detect]] = {
    "ours": ours,
    "fasttext": fasttext_raw,
    "lingua-high": lambda: lingua(True),
    "lingua-low": lambda: lingua(False),
}


def evaluate(detect: Detect, samples: list[Sample]) -> dict[str, dict]:
    """Per bucket: macro accuracy over languages, micro accuracy, per-language accuracy, texts/s."""
    hits: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    und: dict[str, int] = defaultdict(int)
    seconds: dict[str, float] = defaultdict(float)
    for bucket in BUCKETS:
        subset = [s for s in samples if s.bucket == bucket]
        start = time.process_time()  # CPU time: other jobs on a shared machine do not count
        answers = [detect(s.text) for s in subset]
        seconds[bucket] = time.process_time() - start
        for s, answer in zip(subset, answers, strict=True):
            cell = hits[(bucket, s.lang)]
            cell[0] += answer == s.lang
            cell[1] += 1
            und[bucket] += answer == "und"
    report: dict[str, dict] = {}
    for bucket in BUCKETS:
        per_lang = {lang: round(100 * h / n, 2) for (b, lang), (h, n) in sorted(hits.items()) if b == bucket}
        if not per_lang:
            continue
        n_texts = sum(n for (b, _), (_, n) in hits.items() if b == bucket)
        n_hits = sum(h for (b, _), (h, _) in hits.items() if b == bucket)
        report[bucket] = {
            "macro": round(sum(per_lang.values()) / len(per_lang), 2),
            "micro": round(100 * n_hits / n_texts, 2),
            "und_rate": round(100 * und[bucket] / n_texts, 2),
            "texts": n_texts,
            "texts_per_s": round(n_texts / seconds[bucket]),
            "per_language": per_lang,
        }
    return report


def best_throughput(detect: Detect, texts: list[str], repeats: int = 5) -> float:
    """Texts per CPU-second (one core) of the fastest of `repeats` passes.

    CPU time of this process, not wall time, so other jobs on a shared machine do not count.
    """
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for text in texts:
            detect(text)
        best = min(best, time.process_time() - start)
    return len(texts) / best


def _print_summary(results: dict[str, dict[str, dict]]) -> None:
    names = list(results)
    print("\nAccuracy % (macro over languages; und counts as wrong)")
    print(f"{'bucket':16}" + "".join(f"{n:>14}" for n in names))
    for bucket in BUCKETS:
        if bucket in results[names[0]]:
            print(f"{bucket:16}" + "".join(f"{results[n][bucket]['macro']:>14.2f}" for n in names))
    print("\nTexts per CPU-second, one core (one pass)")
    for bucket in BUCKETS:
        if bucket in results[names[0]]:
            print(f"{bucket:16}" + "".join(f"{results[n][bucket]['texts_per_s']:>14}" for n in names))


def _print_per_language(results: dict[str, dict[str, dict]]) -> None:
    names = list(results)
    for bucket in BUCKETS:
        if bucket not in results[names[0]]:
            continue
        print(f"\n[{bucket}] accuracy % per language")
        print(f"{'lang':6}" + "".join(f"{n:>14}" for n in names))
        for lang in results[names[0]][bucket]["per_language"]:
            print(f"{lang:6}" + "".join(f"{results[n][bucket]['per_language'][lang]:>14.2f}" for n in names))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=default_data_dir(),
                        help="folder with flores200-devtest/ and tatoeba-test-v2021-08-07-zh/ "
                             "(default ../shared/data or $LINGODESK_BENCH_DATA)")
    parser.add_argument("--detectors", default=",".join(DETECTORS),
                        help="comma-separated: " + ",".join(DETECTORS))
    parser.add_argument("--cap", type=int, default=1000, help="texts per language and bucket")
    parser.add_argument("--output", type=Path, default=RESULTS / "langid.json")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 100 texts per language and bucket, ours + fastText + lingua-high, "
                             "2 speed passes")
    args = parser.parse_args(argv)
    repeats = 5
    if args.quick:
        args.cap, repeats = 100, 2
        if args.detectors == ",".join(DETECTORS):
            args.detectors = "ours,fasttext,lingua-high"
    if not (args.data_dir / "flores200-devtest").exists():
        print(f"no dev data under {args.data_dir}", file=sys.stderr)
        return 2
    samples = build_dataset(args.data_dir, cap=args.cap)
    print(f"{len(samples)} texts from {args.data_dir}")
    results: dict[str, dict[str, dict]] = {}
    for name in args.detectors.split(","):
        detect = DETECTORS[name]()
        results[name] = evaluate(detect, samples)
        print(f"{name}: " + ", ".join(f"{b} {r['macro']:.2f}%" for b, r in results[name].items()), flush=True)
    _print_summary(results)
    _print_per_language(results)
    sentences = [s.text for s in samples if s.bucket == "sentence"][::5]  # every language
    speed = {name: round(best_throughput(DETECTORS[name](), sentences, repeats))
             for name in ("ours", "fasttext") if name in results}
    overhead = None
    if speed:
        print(f"\nSentence-length speed, best of {repeats} passes over {len(sentences)} FLORES sentences, "
              "texts per CPU-second on one core: "
              + ", ".join(f"{name} {tps} texts/s" for name, tps in speed.items()))
        if len(speed) == 2:
            overhead = round(speed["fasttext"] / speed["ours"], 2)
            print(f"per-text cost of ours vs raw fastText: {overhead:.2f}x")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"data_dir": str(args.data_dir), "quick": args.quick, "cap": args.cap,
                                       "results": results, "sentence_speed_best_of_passes": speed,
                                       "speed_passes": repeats, "cost_vs_fasttext": overhead}, indent=1))
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
