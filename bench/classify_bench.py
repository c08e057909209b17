"""Request-classification benchmark: Bitext held-out split and a hand-written multilingual ticket set.

    .venv/bin/python -m bench.classify_bench [--data-dir ../shared/data]

Trains the supervised layer from the committed seed data into a temporary folder (so the figures
do not depend on a model lying in data/), then scores three variants on the same texts: the
keyword rules alone, the fastText model alone and the hybrid that production uses.
  1. Bitext held-out: the 20% of ../shared/data/bitext-customer-support that bitext.py keeps out
     of the seed data (English; pre_sales has no Bitext intent, so 7 domains).
  2. bench/classify_multilingual.jsonl: 112 tickets, 8 domains x 7 languages, written for this
     benchmark and not used for training. The ticket language comes from our language detector,
     as in production; no translation is given (offline there is no MT for most pairs).
Prints macro-F1 and per-language accuracy; writes bench/results/classify.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from bench.langid_data import REPO_ROOT, default_data_dir
from domain.nlp import ClassifyRequest, RequestDomain
from nlp.classify.bitext import read_bitext, split
from nlp.classify.classifier import HybridClassifier
from nlp.classify.model import DomainModel
from nlp.classify.rules import DEFAULT_RULES_DIR, RuleSet
from nlp.classify.training_data import seed_tickets

RESULTS = REPO_ROOT / "bench" / "results"
MULTILINGUAL = REPO_ROOT / "bench" / "classify_multilingual.jsonl"
Predict = Callable[[str, str], RequestDomain]


def macro_f1(gold: list[RequestDomain], pred: list[RequestDomain]) -> tuple[float, dict[str, float]]:
    """Macro-F1 over the domains present in the gold labels, and F1 per domain."""
    per: dict[str, float] = {}
    for d in sorted(set(gold), key=lambda x: x.value):
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == d and p == d)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != d and p == d)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == d and p != d)
        per[d.value] = 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)
    return sum(per.values()) / len(per), per


def variants(classifier: HybridClassifier) -> dict[str, Predict]:
    def rules_only(text: str, lang: str) -> RequestDomain:
        hits = classifier.rules.match(text, classifier._rule_languages(lang))
        return max(hits.domains, key=hits.domains.__getitem__) if hits.domains else RequestDomain.OTHER

    def model_only(text: str, lang: str) -> RequestDomain:
        probs = classifier.model.predict(text)
        return max(probs, key=probs.__getitem__) if probs else RequestDomain.OTHER

    def hybrid(text: str, lang: str) -> RequestDomain:
        return classifier.classify(ClassifyRequest(text=text, language=lang)).domain

    return {"rules": rules_only, "model": model_only, "hybrid": hybrid}


# (text, gold domain, language reported under, language given to the classifier)
Row = tuple[str, RequestDomain, str, str]


def score(predict: Predict, rows: list[Row]) -> dict:
    start = time.process_time()  # CPU time, as in langid_bench
    pred = [predict(text, given) for text, _, _, given in rows]
    seconds = time.process_time() - start
    gold = [d for _, d, _, _ in rows]
    macro, per_domain = macro_f1(gold, pred)
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (_, d, lang, _), p in zip(rows, pred, strict=True):
        by_lang[lang][0] += d == p
        by_lang[lang][1] += 1
    return {
        "macro_f1": round(macro, 4),
        "accuracy": round(sum(g == p for g, p in zip(gold, pred, strict=True)) / len(rows), 4),
        "per_domain_f1": {k: round(v, 4) for k, v in per_domain.items()},
        "per_language_accuracy": {k: round(h / n, 4) for k, (h, n) in sorted(by_lang.items())},
        "texts_per_s": round(len(rows) / seconds),
        "texts": len(rows),
    }


def multilingual_rows(detect: Callable[[str], str]) -> list[Row]:
    """The hand-written tickets, each given the language our detector finds, as in production."""
    rows: list[Row] = []
    for line in MULTILINGUAL.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            rows.append((item["text"], RequestDomain(item["domain"]), item["language"], detect(item["text"])))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=default_data_dir(),
                        help="folder with bitext-customer-support/ (default ../shared/data)")
    parser.add_argument("--output", type=Path, default=RESULTS / "classify.json")
    parser.add_argument("--quick", action="store_true",
                        help="accepted for `make bench` (bench/run_all.py); the full run already takes ~10 s")
    args = parser.parse_args(argv)

    from nlp.langid.detector import LanguageIdentifier
    from runtime.settings import Settings

    detector = LanguageIdentifier.from_settings(Settings())
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        model = DomainModel.train(seed_tickets(), output=Path(tmp) / "model.bin")
        train_s = time.perf_counter() - start
    classifier = HybridClassifier(RuleSet.load(DEFAULT_RULES_DIR), model)
    print(f"trained the supervised layer on the seed data in {train_s:.1f}s")
    results: dict[str, dict] = {}

    bitext_dir = args.data_dir / "bitext-customer-support"
    if bitext_dir.exists():
        _, heldout = split(read_bitext(bitext_dir))
        rows: list[Row] = [(text, domain, "en", "en") for text, domain in heldout]
        results["bitext_heldout"] = {name: score(f, rows) for name, f in variants(classifier).items()}
    else:
        print(f"no Bitext data under {bitext_dir}: held-out split skipped", file=sys.stderr)

    ml_rows = multilingual_rows(lambda t: detector.detect_text(t).language)
    results["multilingual"] = {name: score(f, ml_rows) for name, f in variants(classifier).items()}

    for set_name, by_variant in results.items():
        print(f"\n[{set_name}]  macro-F1 / accuracy / texts per s")
        for name, r in by_variant.items():
            print(f"  {name:7} {r['macro_f1']:.4f}  {r['accuracy']:.4f}  {r['texts_per_s']:>7}")
        hybrid = by_variant["hybrid"]
        per_domain = ", ".join(f"{k} {v:.2f}" for k, v in hybrid["per_domain_f1"].items())
        print(f"  hybrid F1 per domain: {per_domain}")
        if set_name == "multilingual":
            print("  accuracy per language (rules / model / hybrid):")
            for lang in hybrid["per_language_accuracy"]:
                cells = " / ".join(f"{by_variant[v]['per_language_accuracy'][lang]:.2f}"
                                   for v in ("rules", "model", "hybrid"))
                print(f"    {lang}: {cells}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1))
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
