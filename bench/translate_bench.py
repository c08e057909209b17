"""Translation benchmark with the real zh->en model: quality, term adherence, speed.

    .venv/bin/python -m bench.translate_bench                # every section, FLORES --limit 200
    .venv/bin/python -m bench.translate_bench --limit 0      # all 1012 FLORES devtest sentences
    .venv/bin/python -m bench.translate_bench --sections terms,flores --json-out /tmp/bench.json
    .venv/bin/python -m bench.translate_bench --quick        # smoke run, ~1 min

Writes bench/results/translate.json (or --json-out).

Sections:
- placeholders: how often each placeholder form survives the model intact (no fallback)
- terms: term adherence on bench/data/terms_zh_en.tsv, raw model vs the pipeline
- flores: BLEU/chrF on FLORES-200 devtest zh->en, raw CTranslate2 vs the pipeline without and
  with glossaries, and throughput of the pipeline vs calling CTranslate2 directly
- batch: sentences/s with 1, 8, 32 sentences in flight, raw translate_batch vs the pipeline
- compute: int8 vs float32 weights, raw vs the pipeline (speed and BLEU on a subset)
- memory: translation-memory hit path vs a miss vs raw CTranslate2

"Raw" is always the same model called directly (SentencePiece + translate_batch, same beam), in
the same process and run, so the comparison isolates what Lingodesk adds.
"""

import argparse
import csv
import functools
import json
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sacrebleu

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from domain.nlp import TranslateRequest  # noqa: E402
from nlp.glossary.loader import load_glossary_csv, load_glossary_dir  # noqa: E402
from nlp.glossary.model import Glossary, GlossarySet  # noqa: E402
from nlp.translate.catalog import ModelCatalog, ModelInfo  # noqa: E402
from nlp.translate.enforce import mask_sentence, term_present  # noqa: E402
from nlp.translate.engine import Ct2Model, EngineOptions, ModelPool  # noqa: E402
from nlp.translate.memory import LruMemory, NoMemory, TranslationMemory  # noqa: E402
from nlp.translate.placeholders import STYLES, intact  # noqa: E402
from nlp.translate.service import TranslationService  # noqa: E402
from nlp.translate.terms import TermMatcher  # noqa: E402

DATA = REPO / "bench" / "data"
RESULTS = REPO / "bench" / "results"
DEFAULT_MODELS = REPO.parent / "shared" / "models"
DEFAULT_FLORES = REPO.parent / "shared" / "data" / "flores200-devtest"
SECTIONS = ["placeholders", "terms", "flores", "batch", "compute", "memory"]
CONCURRENCY = 256  # requests in flight, like a busy worker's activity slots


class TermRow:
    """One test sentence: its industry, and the source terms in it with the seed's English."""

    def __init__(self, industry: str, zh: str, terms_zh: str, seed_en: str) -> None:
        self.industry = industry
        self.zh = zh
        self.terms = list(zip(terms_zh.split("|"), seed_en.split("|"), strict=True))

    def expected(self, glossaries: GlossarySet) -> list[tuple[str, bool]]:
        """(English term to find, whether the glossary covers it): the glossary's own target term
        where it has the concept (that is what enforcement promises), else the seed's."""
        matcher = TermMatcher(glossaries.select(None, self.industry), "zh", "en")
        by_source = {entry.source: entry.target for entry in matcher.entries}
        return [(by_source.get(zh) or seed, zh in by_source) for zh, seed in self.terms]


def load_term_set() -> list[TermRow]:
    with (DATA / "terms_zh_en.tsv").open(encoding="utf-8") as handle:
        return [TermRow(r["industry"], r["zh"], r["terms_zh"], r["seed_en"])
                for r in csv.DictReader(handle, delimiter="\t")]


def glossary_configs(files: list[Path]) -> dict[str, GlossarySet]:
    """--glossary files; else the curated glossaries/ (when present) alone and with the seed."""
    seed = load_glossary_csv(DATA / "seed_glossary.csv")
    if files:
        return {"given": GlossarySet([load_glossary_csv(p) for p in files])}
    curated = load_glossary_dir(REPO / "glossaries")
    if not len(curated):
        return {"seed": GlossarySet([seed])}
    return {"curated": curated, "curated+seed": GlossarySet([*curated.glossaries, seed])}


def as_general(glossaries: GlossarySet) -> GlossarySet:
    """Every concept of every industry applies (FLORES sentences have no industry): the worst case."""
    return GlossarySet([
        Glossary(name=g.name, path=g.path, languages=g.languages, version=g.version,
                 concepts=[c.model_copy(update={"domain": "general"}) for c in g.concepts])
        for g in glossaries.glossaries
    ])


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        catalog = ModelCatalog.scan(args.models_dir)
        info = catalog.find("zh", "en")
        if info is None:
            raise SystemExit(f"no zh->en model in {args.models_dir}")
        self.catalog = catalog
        self.info: ModelInfo = info
        self.options = EngineOptions(inter_threads=1, intra_threads=args.intra_threads, beam_size=args.beam)
        self.raw = Ct2Model(info, self.options)
        # Services share one loaded model, loaded before any timing (as in a running worker).
        self.pool = ModelPool(self.options)
        self.pool.get(info).translate(["预热。"], "zh", "en")
        self.raw.translate_direct(["预热。"], "zh", "en")
        self.configs = glossary_configs(args.glossary)
        self.glossaries = list(self.configs.values())[-1]  # the fullest configuration
        self.results: dict[str, object] = {
            "model": info.model_id, "beam": args.beam, "intra_threads": args.intra_threads,
            "glossaries": {name: [Path(g.path).name for g in gs.glossaries]
                           for name, gs in self.configs.items()},
        }

    def service(self, glossaries: GlossarySet | None, memory: TranslationMemory | None = None,
                options: EngineOptions | None = None) -> TranslationService:
        pool = self.pool if options is None else ModelPool(options)
        return TranslationService(self.catalog, glossaries, memory if memory is not None else NoMemory(),
                                  options or self.options, pool=pool)

    @staticmethod
    def run_pipeline(service: TranslationService, texts: list[str],
                     industries: list[str | None] | None = None, concurrency: int = CONCURRENCY) -> list[str]:
        """Concurrent requests, as activity threads send them (the micro-batcher merges them)."""
        inds = industries or [None] * len(texts)

        def one(i: int) -> str:
            req = TranslateRequest(text=texts[i], source="zh", target="en", industry=inds[i])
            return service.translate(req).text or ""

        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            return list(pool.map(one, range(len(texts))))

    # --- sections ----------------------------------------------------------------------------

    def placeholders(self) -> None:
        rows = load_term_set()
        concepts = [c for g in self.glossaries.glossaries for c in g.concepts]
        matcher = TermMatcher(concepts, "zh", "en")
        report = {}
        for name, style in STYLES.items():
            masked = [mask_sentence(row.zh, matcher, style)[0] for row in rows]
            outputs = self.raw.translate_direct([m.text for m in masked], "zh", "en")
            ok = sum(intact(o, m, style) for o, m in zip(outputs, masked, strict=True))
            report[name] = {"example": style.token(0), "intact_sentences": ok, "sentences": len(masked),
                            "rate": round(ok / len(masked), 3)}
        self.results["placeholders"] = report

    def terms(self) -> None:
        rows = load_term_set()
        sources = [row.zh for row in rows]
        raw = self.raw.translate_direct(sources, "zh", "en")
        plain = self.run_pipeline(self.service(None), sources)
        report: dict[str, object] = {"sentences": len(rows), "terms": sum(len(r.terms) for r in rows)}
        for name, glossaries in self.configs.items():
            expected = [row.expected(glossaries) for row in rows]
            enforced = self.run_pipeline(self.service(glossaries), sources, [row.industry for row in rows])

            def adherence(outputs: list[str], expected: list[list[tuple[str, bool]]] = expected) -> float:
                checks = [term_present(out, term, "en") for out, terms in zip(outputs, expected, strict=True)
                          for term, _ in terms]
                return round(sum(checks) / len(checks), 3)

            report[name] = {
                "glossary_covers": sum(covered for terms in expected for _, covered in terms),
                "raw_model": adherence(raw),
                "pipeline_without_glossary": adherence(plain),
                "pipeline_with_glossary": adherence(enforced),
                "misses": [{"zh": row.zh, "out": out, "expected": [t for t, _ in terms]}
                           for row, out, terms in zip(rows, enforced, expected, strict=True)
                           if not all(term_present(out, t, "en") for t, _ in terms)],
            }
        self.results["terms"] = report

    def flores(self) -> None:
        zh, en = self._flores(self.args.limit)
        glossed_service = self.service(as_general(self.glossaries))
        variants: dict[str, Callable[[], list[str]]] = {
            "raw": lambda: self.raw.translate_direct(zh, "zh", "en", max_batch_size=32),
            "pipeline_without_glossary": lambda: self.run_pipeline(self.service(None), zh),
            "pipeline_with_glossary": lambda: self.run_pipeline(glossed_service, zh),
        }
        outputs: dict[str, list[str]] = {}
        wall: dict[str, float] = dict.fromkeys(variants, float("inf"))
        cpu: dict[str, float] = dict.fromkeys(variants, float("inf"))
        # Round-robin repeats, best run counts: the machine is shared, and the minimum is the
        # least disturbed. CPU seconds (all threads of this process) are reported as well: they
        # hardly move when other processes compete for the cores, so the overhead uses them.
        for _ in range(self.args.repeats):
            for name, run in variants.items():
                start_wall, start_cpu = time.perf_counter(), time.process_time()
                outputs[name] = run()
                wall[name] = min(wall[name], time.perf_counter() - start_wall)
                cpu[name] = min(cpu[name], time.process_time() - start_cpu)

        def score(hyp: list[str]) -> dict[str, float]:
            return {"bleu": round(sacrebleu.corpus_bleu(hyp, [en]).score, 2),
                    "chrf": round(sacrebleu.corpus_chrf(hyp, [en]).score, 2)}

        n = len(zh)
        matcher = glossed_service.matcher("zh", "en", None, None)
        report: dict[str, object] = {"sentences": n, "sentences_with_terms": sum(
            1 for s in zh if mask_sentence(s, matcher, glossed_service.style)[1])}
        for name in variants:
            row: dict[str, float] = {**score(outputs[name]), "sent_per_s": round(n / wall[name], 2),
                                     "cpu_ms_per_sent": round(1000 * cpu[name] / n, 1)}
            if name != "raw":
                row["overhead_pct_cpu"] = round(100 * (cpu[name] / cpu["raw"] - 1), 1)
                row["overhead_pct_wall"] = round(100 * (wall[name] / wall["raw"] - 1), 1)
            report[name] = row
        self.results["flores"] = report

    def batch(self) -> None:
        """Sentences/s with N sentences in flight: raw translate_batch on chunks of N vs the
        pipeline with N concurrent one-sentence requests (merged by the micro-batcher)."""
        zh, _ = self._flores(self.args.speed_sentences)
        service = self.service(None)
        report: dict[str, object] = {"sentences": len(zh)}
        for size in (1, 8, 32):
            raw_s = self._best(functools.partial(self._raw_chunks, self.raw, zh, size))
            pipe_s = self._best(functools.partial(self.run_pipeline, service, zh, concurrency=size))
            report[str(size)] = _side_by_side(len(zh), raw_s, pipe_s)
        self.results["batch_sent_per_s"] = report

    def compute(self) -> None:
        """int8 (the package's weights) vs float32, raw and pipeline, same sentences, 32 in flight."""
        zh, en = self._flores(self.args.speed_sentences)
        report: dict[str, object] = {"sentences": len(zh)}
        for compute_type in ("int8", "float32"):
            options = self.options.model_copy(update={"compute_type": compute_type})
            model = Ct2Model(self.info, options)
            service = self.service(None, options=options)
            self.run_pipeline(service, zh[:2], concurrency=2)  # load the pipeline's model untimed
            outputs: dict[str, list[str]] = {}

            def raw_run(model: Ct2Model = model, outputs: dict[str, list[str]] = outputs) -> None:
                outputs["raw"] = self._raw_chunks(model, zh, 32)

            def pipe_run(service: TranslationService = service,
                         outputs: dict[str, list[str]] = outputs) -> None:
                outputs["pipeline"] = self.run_pipeline(service, zh, concurrency=32)

            row = _side_by_side(len(zh), self._best(raw_run), self._best(pipe_run))
            row["raw_bleu"] = round(sacrebleu.corpus_bleu(outputs["raw"], [en]).score, 2)
            row["pipeline_bleu"] = round(sacrebleu.corpus_bleu(outputs["pipeline"], [en]).score, 2)
            report[compute_type] = row
        self.results["compute_type"] = report

    def memory(self) -> None:
        """Translation-memory hit path (every sentence seen before) vs a miss vs raw CTranslate2."""
        zh, _ = self._flores(self.args.speed_sentences)
        service = self.service(self.glossaries, LruMemory())
        raw_s = self._best(lambda: self._raw_chunks(self.raw, zh, 32))
        start = time.perf_counter()
        first = self.run_pipeline(service, zh)
        cold = time.perf_counter() - start
        outputs: list[list[str]] = []
        warm = self._best(lambda: outputs.append(self.run_pipeline(service, zh)))
        if any(out != first for out in outputs):
            raise RuntimeError("translation memory returned a different text")
        self.results["translation_memory"] = {
            "sentences": len(zh),
            "raw_sent_per_s": round(len(zh) / raw_s, 2),
            "miss_sent_per_s": round(len(zh) / cold, 2),
            "hit_sent_per_s": round(len(zh) / warm, 1),
            "hit_speedup_vs_raw": round(raw_s / warm, 1),
        }

    def _best(self, run: Callable[[], object]) -> float:
        """Wall seconds of the fastest of --repeats runs (the least disturbed on a shared machine)."""
        best = float("inf")
        for _ in range(self.args.repeats):
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        return best

    @staticmethod
    def _raw_chunks(model: Ct2Model, sentences: list[str], size: int) -> list[str]:
        """Direct translate_batch calls of `size` sentences each, one after the other."""
        out: list[str] = []
        for i in range(0, len(sentences), size):
            out += model.translate_direct(sentences[i:i + size], "zh", "en", max_batch_size=size)
        return out

    def _flores(self, limit: int) -> tuple[list[str], list[str]]:
        zh = (self.args.flores / "zho_Hans.devtest").read_text(encoding="utf-8").splitlines()
        en = (self.args.flores / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
        return (zh[:limit], en[:limit]) if limit else (zh, en)


def _side_by_side(n: int, raw_s: float, pipeline_s: float) -> dict[str, float]:
    return {"raw_sent_per_s": round(n / raw_s, 2), "pipeline_sent_per_s": round(n / pipeline_s, 2),
            "overhead_pct": round(100 * (pipeline_s / raw_s - 1), 1)}


def markdown(results: dict[str, object]) -> str:
    lines = ["| Measure | Value |", "|---|---|"]
    for key, value in results.items():
        if key == "terms" and isinstance(value, dict):
            value = {k: ({kk: vv for kk, vv in v.items() if kk != "misses"} if isinstance(v, dict) else v)
                     for k, v in value.items()}
        lines.append(f"| {key} | `{json.dumps(value, ensure_ascii=False)}` |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models-dir", type=Path,
                        default=Path(os.environ.get("LINGODESK_MODELS_DIR", DEFAULT_MODELS)))
    parser.add_argument("--flores", type=Path, default=DEFAULT_FLORES)
    parser.add_argument("--glossary", type=Path, action="append", default=[])
    parser.add_argument("--limit", type=int, default=200, help="FLORES sentences (0 = all 1012)")
    parser.add_argument("--speed-sentences", type=int, default=64, help="sentences for batch/compute/memory")
    parser.add_argument("--beam", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2, help="timed runs per FLORES variant (best counts)")
    parser.add_argument("--intra-threads", type=int, default=2)
    parser.add_argument("--sections", default=",".join(SECTIONS))
    parser.add_argument("--json-out", type=Path, default=RESULTS / "translate.json",
                        help="machine-readable results (default bench/results/translate.json)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 64 FLORES sentences, 32 for the speed sections, one repeat")
    args = parser.parse_args(argv)
    if args.quick:
        args.limit, args.speed_sentences, args.repeats = 64, 32, 1
    if bench_unavailable := _missing_inputs(args):
        print(bench_unavailable, file=sys.stderr)
        return 2
    bench = Bench(args)
    for section in args.sections.split(","):
        if section not in SECTIONS:
            parser.error(f"unknown section {section!r}; choose from {SECTIONS}")
        start = time.perf_counter()
        getattr(bench, section)()
        print(f"[{section}] {time.perf_counter() - start:.1f}s", file=sys.stderr)
    print(markdown(bench.results))
    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(json.dumps(bench.results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {args.json_out}", file=sys.stderr)
    return 0


def _missing_inputs(args: argparse.Namespace) -> str | None:
    if not (args.flores / "zho_Hans.devtest").exists():
        return f"no FLORES-200 devtest under {args.flores}"
    if ModelCatalog.scan(args.models_dir).find("zh", "en") is None:
        return f"no zh->en model under {args.models_dir}"
    return None


if __name__ == "__main__":
    raise SystemExit(main())
