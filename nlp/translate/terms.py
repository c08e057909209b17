"""Finds glossary terms in a source text: longest match first, width- and case-insensitive.

Text and terms are folded character by character (NFKC, then casefold) with a map back to the
original offsets, so "ＰＣＢ板" matches the term "PCB板" and the match still covers the original
characters. Terms in scripts that separate words only match on word boundaries ("gear" must not
match inside "gearbox"); in Chinese and Japanese they match anywhere.
"""

import unicodedata
from dataclasses import dataclass

from nlp.glossary.model import GENERAL_DOMAIN, Concept
from nlp.translate.langs import joins_without_space, normalize_lang


@dataclass(frozen=True)
class TermEntry:
    folded: str  # folded source term, what is searched for
    source: str  # the glossary's source term
    target: str  # the glossary's target term ("" for do-not-translate: keep the text as written)
    concept: Concept


@dataclass(frozen=True)
class TermMatch:
    start: int
    end: int
    entry: TermEntry


def fold_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).casefold()


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, the index of the original it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = fold_char(ch) if not ch.isascii() or ch.isupper() else ch
        out.append(folded)
        index.extend([i] * len(folded))
    return "".join(out), index


def fold(text: str) -> str:
    return fold_with_map(text)[0]


def is_word_char(ch: str) -> bool:
    # CJK characters are "alphanumeric" to Python but never glue to a Latin word.
    return ch.isalnum() and ord(ch) < 0x2E80


class TermMatcher:
    def __init__(self, concepts: list[Concept], source: str, target: str) -> None:
        self.source = normalize_lang(source)
        self.target = normalize_lang(target)
        self._bounded = not joins_without_space(self.source)
        self._plural_suffixes = ("es", "s") if self.source == "en" else ()
        by_term: dict[str, TermEntry] = {}
        for concept in concepts:
            src = concept.terms.get(self.source, "").strip()
            tgt = concept.terms.get(self.target, "").strip()
            if not src or not (tgt or concept.do_not_translate):
                continue
            entry = TermEntry(fold(src), src, "" if concept.do_not_translate else tgt, concept)
            known = by_term.get(entry.folded)
            # Two concepts with the same source term: the industry-specific one is the point of
            # selecting by industry, so it beats the general one.
            if known is None or (known.concept.domain == GENERAL_DOMAIN != concept.domain):
                by_term[entry.folded] = entry
        self.entries = sorted(by_term.values(), key=lambda e: (-len(e.folded), e.folded))

    def __bool__(self) -> bool:
        return bool(self.entries)

    def find(self, text: str, taken: list[tuple[int, int]] | None = None) -> list[TermMatch]:
        """Non-overlapping matches outside `taken`, longest terms first, sorted by position."""
        if not self.entries:
            return []
        folded, index = fold_with_map(text)
        busy: list[tuple[int, int]] = list(taken or [])
        matches: list[TermMatch] = []
        for entry in self.entries:
            pos = folded.find(entry.folded)
            while pos != -1:
                end = self._boundary_end(folded, pos, pos + len(entry.folded))
                if end is not None:
                    start, stop = index[pos], index[end - 1] + 1
                    if not any(s < stop and start < e for s, e in busy):
                        busy.append((start, stop))
                        matches.append(TermMatch(start, stop, entry))
                pos = folded.find(entry.folded, pos + 1)
        return sorted(matches, key=lambda m: m.start)

    def _boundary_end(self, folded: str, start: int, end: int) -> int | None:
        """End of the match incl. an English plural suffix, or None when not on word boundaries."""
        if not self._bounded:
            return end
        if start > 0 and is_word_char(folded[start - 1]) and is_word_char(folded[start]):
            return None
        for suffix in (*self._plural_suffixes, ""):
            stop = end + len(suffix)
            if folded[end:stop] != suffix:
                continue
            if stop < len(folded) and is_word_char(folded[stop]) and is_word_char(folded[stop - 1]):
                continue
            return stop
        return None
