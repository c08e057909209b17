"""Character trigram model per language, estimated from the lexicon's word lists.

For a word no list knows ("fosillerinde", "permaneceram"), fastText's quantised model often has
no retained n-gram and falls back to English; the endings ("-lerinde", "-aram") still say Turkish
or Portuguese. Trigrams are counted over word types (each listed word once, with boundary
marks), which models morphology rather than the few most frequent words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Final

ORDER: Final = 3
# Additive smoothing; an unseen trigram costs about log(ALPHA / total).
ALPHA: Final = 0.5


def trigrams(word: str) -> list[str]:
    padded = f"<{word}>"
    return [padded[i:i + ORDER] for i in range(len(padded) - ORDER + 1)]


class TrigramModel:
    def __init__(self, logp: dict[str, dict[str, float]], unseen: dict[str, float]) -> None:
        self._logp = logp
        self._unseen = unseen

    @classmethod
    def from_words(cls, words_by_language: Mapping[str, Iterable[str]]) -> TrigramModel:
        logp: dict[str, dict[str, float]] = {}
        unseen: dict[str, float] = {}
        for lang, words in words_by_language.items():
            counts: dict[str, int] = {}
            for word in words:
                for g in trigrams(word):
                    counts[g] = counts.get(g, 0) + 1
            total = sum(counts.values()) + ALPHA * (len(counts) + 1)
            logp[lang] = {g: math.log((c + ALPHA) / total) for g, c in counts.items()}
            unseen[lang] = math.log(ALPHA / total)
        return cls(logp, unseen)

    def languages(self) -> set[str]:
        return set(self._logp)

    def scores(self, tokens: list[str], candidates: tuple[str, ...]) -> dict[str, float]:
        """ln P(tokens | lang) per candidate, 0 for a candidate the model does not cover."""
        grams = [g for t in tokens for g in trigrams(t)]
        out: dict[str, float] = {}
        for lang in candidates:
            table = self._logp.get(lang)
            if table is None:
                out[lang] = 0.0
                continue
            unseen = self._unseen[lang]
            out[lang] = sum(table.get(g, unseen) for g in grams)
        return out
