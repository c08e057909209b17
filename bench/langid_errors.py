"""Where Lingodesk's detector goes wrong on two-word texts (analysis for docs/language-id.md).

    .venv/bin/python -m bench.langid_errors [--data-dir ../shared/data] [--bucket word_pair_all]

Prints, per language, the accuracy and the labels the errors went to; then, for the close
language pairs (Malay/Indonesian, Portuguese/Spanish), how many of the pairs are ambiguous by the
word lists themselves and where the evidence of each scoring layer points on those. Classes:

  in-other-lang  the pair occurs verbatim (case-folded) in another language's sentences
  distinct       a word is >= 10x more frequent in one of the two languages' wordfreq lists
                 (or listed by one of them only)
  shared         both words listed by both languages, less than 10x apart
  unlisted       anything else (a word neither list has: a name, a rare form)

Same texts as bench.langid_bench (bench/langid_data.py); reads nothing else.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

from bench.langid_data import (
    NO_SPACE_LANGS,
    Sample,
    _is_word,
    build_dataset,
    default_data_dir,
    flores_sentences,
    tatoeba_sentences,
    tokens,
)
from nlp.langid.detector import LanguageIdentifier
from nlp.langid.lexicon import OOV_LOG10, Lexicon
from nlp.langid.segment import _WORD, SegmentIdentifier
from runtime.settings import Settings

CLOSE_PAIRS = (("ms", "id"), ("id", "ms"), ("pt", "es"), ("es", "pt"))
DISTINCT_LOG10 = 1.0  # 10x


def pair_languages(data_dir: Path) -> dict[str, set[str]]:
    """Case-folded pair -> the languages whose sentences contain it (all pairs, not the sample)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for source in (flores_sentences(data_dir), tatoeba_sentences(data_dir)):
        for lang, texts in source.items():
            if lang in NO_SPACE_LANGS:
                continue
            for text in texts:
                ok = [t if _is_word(t, lang) else "" for t in tokens(text, lang)]
                for a, b in itertools.pairwise(ok):
                    if a and b:
                        seen[f"{a} {b}".lower()].add(lang)
    return seen


def word_class(lexicon: Lexicon, text: str, a: str, b: str) -> str:
    words = _WORD.findall(text.casefold())
    freqs = [lexicon.frequencies(w) for w in words]
    deltas = [f.get(a, OOV_LOG10) - f.get(b, OOV_LOG10) for f in freqs]
    if any(abs(d) >= DISTINCT_LOG10 for d in deltas):
        return "distinct-" + (a if sum(deltas) > 0 else b)
    if all(a in f and b in f for f in freqs):
        return "shared"
    return "unlisted"


def layer_votes(seg: SegmentIdentifier, text: str, a: str, b: str) -> dict[str, float]:
    """ln-evidence for `a` over `b` from each scoring layer, weighted as segment.py weighs it."""
    assert seg.lexicon is not None and seg.trigrams is not None
    t = seg.tuning
    probs, _ = seg.fasttext.probabilities(text, t.short_k)
    words = _WORD.findall(text.casefold())
    lex, _ = seg.lexicon.word_scores(words, (a, b))
    tri = seg.trigrams.scores(words, (a, b))

    def ft(lang: str) -> float:
        return t.short_fasttext_weight * math.log(probs.get(lang, 0.0) + t.fasttext_floor)

    return {"fasttext": ft(a) - ft(b), "lexicon": t.lexicon_weight * math.log(10) * (lex[a] - lex[b]),
            "trigrams": t.ngram_weight * (tri[a] - tri[b])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--bucket", default="word_pair_all", help="word_pair_all (every pair) or word_pair")
    args = parser.parse_args(argv)
    if not (args.data_dir / "flores200-devtest").exists():
        print(f"no dev data under {args.data_dir}", file=sys.stderr)
        return 2
    ident = LanguageIdentifier.from_settings(Settings())
    seg = ident.segments
    assert seg.lexicon is not None
    samples: list[Sample] = [s for s in build_dataset(args.data_dir) if s.bucket == args.bucket]
    answers = {s.text + "\t" + s.lang: ident.detect_text(s.text).language for s in samples}
    by_lang: dict[str, Counter[str]] = defaultdict(Counter)
    for s in samples:
        by_lang[s.lang][answers[s.text + "\t" + s.lang]] += 1
    print(f"[{args.bucket}] accuracy and where the errors went")
    for lang, answered in sorted(by_lang.items()):
        n = sum(answered.values())
        errors = ", ".join(f"{k} {v}" for k, v in answered.most_common() if k != lang)
        print(f"{lang:3} {n:5} {100 * answered[lang] / n:6.1f}   {errors}")

    seen = pair_languages(args.data_dir)
    for a, b in CLOSE_PAIRS:
        own = [s for s in samples if s.lang == a]
        total: Counter[str] = Counter()
        wrong: Counter[str] = Counter()
        sign_right: Counter[str] = Counter()
        n_shared = 0
        for s in own:
            answer = answers[s.text + "\t" + s.lang]
            classes = [word_class(seg.lexicon, s.text, a, b)]
            if len(seen[s.text.lower()]) > 1:
                classes.append("in-other-lang")
            for c in classes:
                total[c] += 1
                wrong[c] += answer == b
            if classes[0] == "shared":
                n_shared += 1
                votes = layer_votes(seg, s.text, a, b)
                votes["all three"] = sum(votes.values())
                for name, v in votes.items():
                    sign_right[name] += v > 0
        answered_b = sum(answers[s.text + "\t" + s.lang] == b for s in own)
        print(f"\n{a} vs {b}: {len(own)} pairs, {answered_b} answered {b}")
        for c in sorted(total):
            print(f"   {c:16} {total[c]:5} pairs, answered {b}: {wrong[c]}")
        if n_shared:
            print(f"   on the {n_shared} shared pairs, share of pairs each layer alone puts on {a}: "
                  + ", ".join(f"{k} {100 * v / n_shared:.1f}%" for k, v in sign_right.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
