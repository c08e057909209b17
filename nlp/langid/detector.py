"""`LanguageIdentifier`: the `LanguageDetector` the `detect_language` activity and `lingodesk detect` use.

Cleans the text (quoted history, signature, URLs, codes and HTML out), then identifies each
paragraph; paragraphs in different languages make the answer `mixed` with per-language shares.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from domain.nlp import UNDETERMINED, DetectLanguageRequest, LanguageDetection
from nlp.langid.fasttext_model import FastTextLid
from nlp.langid.lexicon import DEFAULT_PATH as LEXICON_PATH
from nlp.langid.lexicon import Lexicon
from nlp.langid.prior import NEUTRAL, Prior
from nlp.langid.segment import SegmentIdentifier, SegmentResult, Tuning
from nlp.textclean import clean_for_detection
from runtime.settings import Settings

log = logging.getLogger(__name__)

# A paragraph needs this many letters (CJK counted once per character) to vote on its own;
# "Hallo," or "谢谢" alone would make every polite e-mail look mixed.
MIN_PARAGRAPH_LETTERS: Final = 15
# A second language must hold this share of the letters for the text to count as mixed.
MIXED_MIN_SHARE: Final = 0.2


class LanguageIdentifier:
    def __init__(self, fasttext: FastTextLid, lexicon: Lexicon | None = None,
                 tuning: Tuning | None = None) -> None:
        self.segments = SegmentIdentifier(fasttext, lexicon, tuning)
        self.tuning = self.segments.tuning

    @classmethod
    def from_settings(cls, settings: Settings) -> LanguageIdentifier:
        fasttext = FastTextLid(settings.lid_model) if settings.lid_model else FastTextLid.default()
        return cls(fasttext, _load_lexicon(LEXICON_PATH))

    def detect(self, req: DetectLanguageRequest) -> LanguageDetection:
        prior = Prior.from_request(req.prior_languages, req.country) if (req.prior_languages or req.country) \
            else NEUTRAL
        return self.detect_text(req.text, prior)

    def detect_text(self, text: str, prior: Prior = NEUTRAL) -> LanguageDetection:
        cleaned = clean_for_detection(text)
        if "\n\n" not in cleaned:
            return self._single(self.segments.identify(cleaned, prior))
        parts = [self.segments.identify(p, prior) for p in cleaned.split("\n\n")]
        voters = [p for p in parts if p.letters >= MIN_PARAGRAPH_LETTERS and p.language != UNDETERMINED]
        whole = self.segments.identify(cleaned.replace("\n\n", "\n"), prior)
        if not voters:
            return self._single(whole)
        letters: dict[str, int] = {}
        for p in voters:
            letters[p.language] = letters.get(p.language, 0) + p.letters
        total = sum(letters.values())
        shares = {lang: round(n / total, 3) for lang, n in sorted(letters.items(), key=lambda kv: -kv[1])}
        mixed = sum(1 for s in shares.values() if s >= MIXED_MIN_SHARE) >= 2
        if not mixed:
            return self._single(whole)
        main = next(iter(shares))
        votes = [p for p in voters if p.language == main]
        confidence = round(sum(p.confidence * p.letters for p in votes) / sum(p.letters for p in votes), 4)
        return LanguageDetection(language=main, confidence=confidence,
                                 reliable=confidence >= self.tuning.reliable_from, mixed=True, shares=shares,
                                 script=votes[0].script, method="paragraphs")

    def _single(self, r: SegmentResult) -> LanguageDetection:
        reliable = r.language != UNDETERMINED and r.confidence >= self.tuning.reliable_from
        shares = {r.language: 1.0} if r.language != UNDETERMINED else {}
        return LanguageDetection(language=r.language, confidence=r.confidence, reliable=reliable, mixed=False,
                                 shares=shares, script=r.script, method=r.method)


def _load_lexicon(path: Path) -> Lexicon | None:
    # The lexicon is committed with the code; without it the detector still works, less well on
    # one- and two-word texts, so a packaging slip degrades (loudly) instead of stopping the worker.
    if path.exists():
        return Lexicon.load(path)
    log.warning("language-ID word lists %s missing: short texts will be identified less accurately", path)
    return None
