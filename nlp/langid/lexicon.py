"""Word and Han-character frequencies per language (built by `lexicon_build.py` from wordfreq).

Used only for short texts, where a single known word ("obrigado", "Rückerstattung") says more
than the handful of character n-grams fastText can see.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Final

DEFAULT_PATH: Final = Path(__file__).resolve().parent / "resources" / "lexicon.tsv.gz"
# log10 frequency assumed for a word a language's list does not have, and the floor for the ones
# it has: about once per ten million tokens, rarer than the last word kept in every list.
OOV_LOG10: Final = -6.5
# Han characters are scored the same way; a character neither list knows says nothing.
CHAR_OOV_LOG10: Final = -6.5
# A Han-only word counts as evidence for one of Chinese/Japanese alone when that language uses it
# at least once per ~30 000 tokens and the other's list (Chinese: after Traditional->Simplified
# folding) does not have it.
HAN_WORD_MIN_LOG10: Final = -4.5
# A character one language uses at least 100 times as often as the other: Japanese shinjitai and
# kokuji ("気", "駅", "込"; wordfreq's Chinese text still quotes a little Japanese), Simplified
# Chinese forms ("这", "们").
HAN_CHAR_MIN_LEAD: Final = 2.0


class Lexicon:
    def __init__(self, words: dict[str, tuple[tuple[str, float], ...]],
                 chars: dict[str, dict[str, float]], trad_to_simp: dict[int, int],
                 ranked: dict[str, list[str]]) -> None:
        self._words = words
        self._chars = chars
        self._to_simplified = trad_to_simp
        self._ranked = ranked  # each language's words, most frequent first (the file's order)

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> Lexicon:
        words: dict[str, tuple[tuple[str, float], ...]] = {}
        # Most words are listed by one language, or share their combination of (language,
        # frequency) entries with many others: one tuple per combination, not one per word, and no
        # intermediate lists (the whole small lists are ~1.1 million entries).
        combos: dict[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]] = {}
        ranked: dict[str, list[str]] = {}
        chars: dict[str, dict[str, float]] = {}
        trad: dict[int, int] = {}
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                lang, kind, payload = line.rstrip("\n").split("\t", 2)
                if kind == "trad":
                    trad = {ord(pair[0]): ord(pair[1]) for pair in payload.split(" ") if len(pair) == 2}
                    continue
                if kind == "chars":
                    chars[lang] = {item[0]: max(int(item[1:]) / 100, CHAR_OOV_LOG10)
                                   for item in payload.split(" ") if item}
                    continue
                log10 = max(int(kind) / 100, OOV_LOG10)
                single = combos.setdefault(((lang, log10),), ((lang, log10),))
                listed = payload.split(" ")
                ranked.setdefault(lang, []).extend(listed)
                for word in listed:
                    prev = words.get(word)
                    if prev is None:
                        words[word] = single
                    else:
                        both = prev + single
                        words[word] = combos.setdefault(both, both)
        return cls(words, chars, trad, ranked)

    def words_by_language(self, top: int | None = None) -> dict[str, list[str]]:
        """Each language's words, most frequent first; the `top` most frequent only if given."""
        return {lang: words[:top] for lang, words in self._ranked.items()}

    def frequencies(self, word: str) -> dict[str, float]:
        """log10 frequency of a (case-folded) word per language that lists it."""
        return dict(self._words.get(word, ()))

    def languages(self) -> set[str]:
        langs = {lang for entries in self._words.values() for lang, _ in entries}
        return langs | set(self._chars)

    def word_scores(self, tokens: list[str], candidates: tuple[str, ...]) -> tuple[dict[str, float], int]:
        """Sum over tokens of log10 frequency per candidate, relative to the unknown-word floor.

        Returns the scores (0 = no evidence) and how many tokens any list knew.
        """
        scores = dict.fromkeys(candidates, 0.0)
        known = 0
        for token in tokens:
            entries = self._words.get(token)
            if entries is None:
                continue
            known += 1
            for lang, log10 in entries:
                if lang in scores:
                    scores[lang] += log10 - OOV_LOG10
        return scores, known

    def japanese_only(self, runs: list[str]) -> bool:
        """Whether kanji-only runs show anything Chinese does not write: a character Chinese hardly
        uses ("気", "駅", "込") or a frequent Japanese word the Chinese list lacks.

        Everything else in two to four kanji ("文字", "墓碑", "合同") is written in both languages.
        """
        return self._only_in(runs, "ja", "zh")

    def chinese_only(self, runs: list[str]) -> bool:
        """The mirror test: a character Japanese hardly uses ("这", "们") or a frequent Chinese
        word the Japanese list lacks ("退款")."""
        return self._only_in(runs, "zh", "ja")

    def _only_in(self, runs: list[str], lang: str, other: str) -> bool:
        mine, theirs = self._chars.get(lang, {}), self._chars.get(other, {})
        for run in runs:
            folded = run.translate(self._to_simplified)  # wordfreq stores Chinese in Simplified
            for ch, simplified in zip(run, folded, strict=True):
                own = max(mine.get(ch, CHAR_OOV_LOG10), mine.get(simplified, CHAR_OOV_LOG10) if lang == "zh"
                          else CHAR_OOV_LOG10)
                foreign = max(theirs.get(ch, CHAR_OOV_LOG10), theirs.get(simplified, CHAR_OOV_LOG10)
                              if other == "zh" else CHAR_OOV_LOG10)
                if own - foreign >= HAN_CHAR_MIN_LEAD:
                    return True
            own_word = run if lang == "ja" else folded
            langs = dict(self._words.get(own_word, ()))
            other_langs = dict(self._words.get(folded if other == "zh" else run, ()))
            if langs.get(lang, OOV_LOG10) >= HAN_WORD_MIN_LOG10 and other not in langs \
                    and other not in other_langs:
                return True
        return False

    def han_scores(self, runs: list[str], candidates: tuple[str, ...]) -> dict[str, float]:
        """Evidence per candidate from runs of Han characters: whole-run words plus each character.

        Both are log10 frequencies relative to the floor, so a character common in both languages
        adds to both and only the characters (and words) one language lacks or favours decide.
        Chinese is looked up after folding Traditional forms into Simplified, as wordfreq stores it.
        """
        scores = dict.fromkeys(candidates, 0.0)
        for lang in candidates:
            table = self._chars.get(lang)
            if table is None:
                continue
            total = 0.0
            for run in runs:
                if lang == "zh":
                    run = run.translate(self._to_simplified)
                for entry_lang, log10 in self._words.get(run, ()):
                    if entry_lang == lang:
                        total += log10 - OOV_LOG10
                for ch in run:
                    char_log10 = table.get(ch)
                    if char_log10 is not None:
                        total += char_log10 - CHAR_OOV_LOG10
            scores[lang] = total
        return scores
