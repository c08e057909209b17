"""Character trigram model per language, estimated from the lexicon's word lists.

For a word no list knows ("fosillerinde", "permaneceram"), fastText's quantised model often has
no retained n-gram and falls back to English; the endings ("-lerinde", "-aram") still say Turkish
or Portuguese. Trigrams are counted over word types (each listed word once, with boundary
marks), which models morphology rather than the few most frequent words.

Log-probabilities live in one matrix (trigram x language) so scoring a text is one row gather and
one sum instead of a dictionary lookup per trigram and candidate language.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Final

import numpy as np

ORDER: Final = 3
# Additive smoothing; an unseen trigram costs about log(ALPHA / total).
ALPHA: Final = 0.5


def trigrams(word: str) -> list[str]:
    padded = f"<{word}>"
    return [padded[i:i + ORDER] for i in range(len(padded) - ORDER + 1)]


class TrigramModel:
    def __init__(self, index: dict[str, int], logp: np.ndarray, languages: list[str]) -> None:
        self._index = index
        self._unseen_row = logp.shape[0] - 1  # the last row holds each language's unseen cost
        self._logp = logp
        self._column = {lang: i for i, lang in enumerate(languages)}
        self._columns_cache: dict[tuple[str, ...], tuple[np.ndarray, list[str]]] = {}

    @classmethod
    def from_words(cls, words_by_language: Mapping[str, Iterable[str]]) -> TrigramModel:
        languages = sorted(words_by_language)
        counts: list[dict[str, int]] = []
        for lang in languages:
            c: dict[str, int] = {}
            for word in words_by_language[lang]:
                for g in trigrams(word):
                    c[g] = c.get(g, 0) + 1
            counts.append(c)
        index: dict[str, int] = {}
        for c in counts:
            for g in c:
                index.setdefault(g, len(index))
        logp = np.empty((len(index) + 1, len(languages)), dtype=np.float32)
        for j, c in enumerate(counts):
            total = sum(c.values()) + ALPHA * (len(c) + 1)
            unseen = math.log(ALPHA / total)
            logp[:, j] = unseen
            rows = np.fromiter((index[g] for g in c), dtype=np.int64, count=len(c))
            values = np.fromiter(c.values(), dtype=np.float64, count=len(c))
            logp[rows, j] = np.log((values + ALPHA) / total)
        return cls(index, logp, languages)

    def languages(self) -> set[str]:
        return set(self._column)

    def scores(self, tokens: list[str], candidates: tuple[str, ...]) -> dict[str, float]:
        """ln P(tokens | lang) per candidate, 0 for a candidate the model does not cover."""
        columns, covered = self._columns(candidates)
        unseen = self._unseen_row
        rows = [self._index.get(g, unseen) for t in tokens for g in trigrams(t)]
        out = dict.fromkeys(candidates, 0.0)
        if rows and covered:
            sums = self._logp[rows][:, columns].sum(axis=0)
            out.update(zip(covered, sums.tolist(), strict=True))
        return out

    def _columns(self, candidates: tuple[str, ...]) -> tuple[np.ndarray, list[str]]:
        cached = self._columns_cache.get(candidates)
        if cached is None:
            covered = [c for c in candidates if c in self._column]
            cached = (np.array([self._column[c] for c in covered], dtype=np.int64), covered)
            self._columns_cache[candidates] = cached
        return cached
