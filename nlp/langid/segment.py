"""Identifies the language of one paragraph: script first, then fastText, then word evidence.

Scores are natural-log evidence per candidate language of the paragraph's script:
    fastText ln p(lang)  +  lexicon ln P(words | lang)  +  ln prior(lang)
and the confidence is the softmax of those scores, lowered by the share fastText gives to
same-script languages we do not support (Catalan, Bulgarian, Urdu...) and by letters of other
scripts in the text. Below `und_below` the answer is `und`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final, NamedTuple

from domain.nlp import UNDETERMINED
from nlp.langid.fasttext_model import LABEL_SCRIPTS, FastTextLid
from nlp.langid.languages import SCRIPT_LANGUAGES, SUPPORTED
from nlp.langid.lexicon import Lexicon
from nlp.langid.ngrams import TrigramModel
from nlp.langid.prior import Prior
from nlp.langid.scripts import dominant_script, script_counts, weighted_letters

_LN10: Final = math.log(10)
_SUPPORTED: Final = frozenset(SUPPORTED)
_WORD: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_HAN_RUN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Same-script competitors we do not support, per script (Latin: every label not listed elsewhere).
_OTHER_SCRIPT_LABELS: Final = frozenset().union(*LABEL_SCRIPTS.values())
# Scripts with one supported language that other languages also use (Marathi and Nepali write
# Devanagari, Assamese Bengali script, Yiddish Hebrew). Hangul, Kana, Thai and Greek decide alone.
_SHARED_SCRIPTS: Final = frozenset({"Deva", "Beng", "Hebr"})
_SHARED_SCRIPT_MIN_LETTERS: Final = 12
# Tokens every language uses; a text made only of them carries no evidence at all.
_NEUTRAL_TOKENS: Final = frozenset({"ok", "okay", "okey", "oke", "k", "kk", "thx", "pls", "plz", "lol", "xd",
                                    "haha", "hehe", "hihi", "wow", "sms", "email", "e-mail", "app", "wifi"})
# Confidence of an answer taken from the prior alone: never enough to count as reliable.
PRIOR_ONLY_CONFIDENCE: Final = 0.5
_HAN_MAX_CHARS: Final = 24  # enough characters to tell Chinese from kanji-only Japanese
_CANDIDATE_SETS: Final = {script: frozenset(langs) for script, langs in SCRIPT_LANGUAGES.items()}
# The trigram model reads each language's 10 000 most frequent words: enough word types for the
# endings ("-lerinde", "-aram"); the lexicon's long tail would add names and loans every language
# shares, a larger matrix and a slower start, and no morphology.
TRIGRAM_WORDS: Final = 10_000


@dataclass(frozen=True)
class Tuning:
    """Knobs of the scoring, set on the dev sets (see docs/language-id.md)."""

    short_chars: int = 60  # up to this length the lexicon and the full fastText distribution are used
    short_han_chars: int = 16
    fasttext_weight: float = 1.0  # long texts: fastText's own probabilities are well calibrated
    short_fasttext_weight: float = 0.5  # short texts: its English fallback must not outvote the lexicon
    lexicon_weight: float = 1.0  # per log10 unit of word frequency
    ngram_weight: float = 0.5  # trigram log-likelihoods overcount: neighbouring trigrams overlap
    han_fasttext_weight: float = 0.5  # lid.176.ftz leans Japanese on short kanji-only text
    kana_absence_per_char: float = 0.3
    # Two to four kanji without kana and without anything only Japanese writes carry no evidence
    # either way (the population prior, 2.5x Chinese, and the customer's prior decide), unless
    # they show something only Chinese writes: this many ln-units for Chinese.
    kanji_only_max_chars: int = 4
    chinese_only_evidence: float = 3.0
    fasttext_floor: float = 1e-4  # probability given to a candidate outside fastText's top-k
    long_k: int = 4
    # Long texts: labels under 1 % are left out; they would change a confidence by under 1 %.
    long_threshold: float = 0.01
    short_k: int = 30  # enough of the 176 labels to rank every candidate that has any evidence
    und_below: float = 0.2
    reliable_from: float = 0.8
    max_confidence: float = 0.999


class SegmentResult(NamedTuple):
    # A NamedTuple, not a frozen dataclass: one is built per text, and the dataclass's
    # object.__setattr__ per field was a measurable share of a sentence's ~30 us.
    language: str
    confidence: float
    script: str | None
    method: str
    letters: int  # CJK characters count three: the paragraph's weight in a mixed text


class SegmentIdentifier:
    def __init__(self, fasttext: FastTextLid, lexicon: Lexicon | None, tuning: Tuning | None = None) -> None:
        self.fasttext = fasttext
        self.lexicon = lexicon
        self.tuning = tuning or Tuning()
        self.trigrams = TrigramModel.from_words(lexicon.words_by_language(TRIGRAM_WORDS)) \
            if lexicon is not None else None
        self._ln_floor = math.log(self.tuning.fasttext_floor)

    def identify(self, text: str, prior: Prior) -> SegmentResult:
        counts = script_counts(text)
        script, purity = dominant_script(counts)
        letters = weighted_letters(counts)
        if script is None:
            return SegmentResult(UNDETERMINED, 0.0, None, "no-letters", 0)
        candidates = SCRIPT_LANGUAGES.get(script)
        if candidates is None:
            return SegmentResult(UNDETERMINED, 0.0, script, "unsupported-script", letters)
        if len(candidates) == 1:
            return self._script_alone(text, script, candidates[0], purity, letters)
        t = self.tuning
        short = len(text) <= (t.short_han_chars if script == "Hani" else t.short_chars)
        if short and script != "Hani" and _only_neutral(text):
            return self._from_prior(prior, script, letters)
        # The full distribution matters for short texts, where the right answer can be far down.
        probs, evidence = self.fasttext.probabilities(text, t.short_k, 0.0) if short \
            else self.fasttext.probabilities(text, t.long_k, t.long_threshold)
        methods: list[str] = []
        if not short:
            weight = t.fasttext_weight
        else:
            weight = t.han_fasttext_weight if script == "Hani" else t.short_fasttext_weight
        # Candidates fastText did not rank share one implicit score, so a long text costs a few
        # dictionary operations, not one per candidate language.
        implicit = weight * self._ln_floor if evidence else 0.0
        scores: dict[str, float] = {}
        if evidence:
            methods.append("fasttext")
            cand_set = _CANDIDATE_SETS[script]
            for code, p in probs.items():
                if code in cand_set:
                    scores[code] = weight * math.log(p + t.fasttext_floor)
        if (short or script == "Hani") and self.lexicon is not None:
            full = dict.fromkeys(candidates, implicit)
            full.update(scores)
            if self._add_lexicon(text, script, candidates, full):
                methods.append("lexicon")
            scores = full
        best_evidence = None
        if prior.informative:  # only then can the prior change the answer worth naming
            best_evidence = max(scores, key=scores.__getitem__) if scores else candidates[0]
        for lang, w in prior.weights.items():
            if lang in _CANDIDATE_SETS[script]:
                scores[lang] = scores.get(lang, implicit) + w
        best, confidence = _softmax_top(scores, len(candidates) - len(scores), implicit, candidates[0])
        if prior.informative and best != best_evidence:
            methods.append("prior")
        if evidence:
            confidence *= 1.0 - _unsupported_share(probs, script, letters)
        method = methods[0] if len(methods) == 1 else "+".join(methods)
        result = self._result(best, confidence, purity, script, method, letters)
        if short and result.language == UNDETERMINED and prior.top is not None:
            return self._from_prior(prior, script, letters)
        return result

    def _from_prior(self, prior: Prior, script: str, letters: int) -> SegmentResult:
        """No usable evidence in the text ("ok"): the customer's known language, never reliable."""
        if prior.top is None:
            return SegmentResult(UNDETERMINED, 0.0, script, "no-evidence", letters)
        confidence = round(PRIOR_ONLY_CONFIDENCE * prior.top_share, 4)
        return SegmentResult(prior.top, confidence, script, "prior", letters)

    def _script_alone(self, text: str, script: str, lang: str, purity: float, letters: int) -> SegmentResult:
        """Scripts with one supported language; fastText only checks for a same-script other one."""
        confidence = 1.0
        if script in _SHARED_SCRIPTS and letters >= _SHARED_SCRIPT_MIN_LETTERS:
            t = self.tuning
            probs, evidence = self.fasttext.probabilities(text, t.long_k, t.long_threshold)
            if evidence:
                confidence -= _unsupported_share(probs, script, letters)
        return self._result(lang, confidence, purity, script, "script", letters)

    def _result(self, lang: str, confidence: float, purity: float, script: str, method: str,
                letters: int) -> SegmentResult:
        t = self.tuning
        confidence *= 0.5 + 0.5 * purity  # letters of another script: a name, a product, or a mix
        if confidence > t.max_confidence:
            confidence = t.max_confidence
        language = lang if confidence >= t.und_below else UNDETERMINED
        return SegmentResult(language, round(confidence, 4), script, method, letters)

    def _add_lexicon(self, text: str, script: str, candidates: tuple[str, ...],
                     scores: dict[str, float]) -> bool:
        assert self.lexicon is not None
        w = self.tuning.lexicon_weight * _LN10
        if script == "Hani":
            runs = _HAN_RUN.findall(text[:_HAN_MAX_CHARS])
            n_han = sum(len(r) for r in runs)
            if 0 < n_han <= self.tuning.kanji_only_max_chars and not self.lexicon.japanese_only(runs):
                # Nothing here that Chinese does not write: fastText's and the frequency lists'
                # lean towards Japanese on such short kanji is noise (see docs/language-id.md).
                # Something only Chinese writes is evidence; otherwise the priors decide.
                zh = self.tuning.chinese_only_evidence if self.lexicon.chinese_only(runs) else 0.0
                scores.update({"zh": zh, "ja": 0.0})
                return True
            han = self.lexicon.han_scores(runs, candidates)
            for lang in candidates:
                scores[lang] += w * han[lang]
            # Japanese prose is mostly kana; the longer a text goes without any, the less likely
            # it is Japanese (four-character idioms like 一石二鳥 are not penalised).
            scores["ja"] -= self.tuning.kana_absence_per_char * max(0, n_han - 4)
            return True
        tokens = _WORD.findall(text.casefold())
        if not tokens:
            return False
        word_scores, _ = self.lexicon.word_scores(tokens, candidates)
        ngram = self.trigrams.scores(tokens, candidates) if self.trigrams is not None else {}
        nw = self.tuning.ngram_weight
        for lang in candidates:
            scores[lang] += w * word_scores[lang] + nw * ngram.get(lang, 0.0)
        return True

def _unsupported_share(probs: dict[str, float], script: str, letters: int) -> float:
    """Share of the script's fastText mass on languages we do not support, trusted with length."""
    same = LABEL_SCRIPTS.get(script)
    supported = unsupported = 0.0
    for code, p in probs.items():
        in_script = (code in same) if same is not None else (code not in _OTHER_SCRIPT_LABELS)
        if not in_script:
            continue
        if code in _SUPPORTED:
            supported += p
        else:
            unsupported += p
    total = supported + unsupported
    if total <= 0.0:
        return 0.0
    # One or two words say little about Catalan vs Spanish; a sentence does.
    trust = min(1.0, letters / 30)
    return trust * unsupported / total


def _only_neutral(text: str) -> bool:
    return all(token in _NEUTRAL_TOKENS for token in _WORD.findall(text.casefold()))


def _softmax_top(scores: dict[str, float], n_implicit: int, implicit: float,
                 fallback: str) -> tuple[str, float]:
    """Best language and its softmax probability; `n_implicit` more candidates score `implicit`."""
    if not scores:
        return fallback, 1.0 / n_implicit
    best = max(scores, key=scores.__getitem__)
    top = scores[best]
    if n_implicit and top < implicit:  # the unranked candidates lead: nothing to choose between them
        return fallback, 1.0 / (len(scores) + n_implicit)
    total = n_implicit * math.exp(implicit - top)
    for s in scores.values():  # a loop, not sum() over a generator: usually one or two scores
        total += math.exp(s - top)
    return best, 1.0 / total
