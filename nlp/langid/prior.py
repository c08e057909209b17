"""Prior belief about a customer's language before reading the text.

Earlier messages of the same customer and their country settle what a two-word text cannot:
"返金" from a customer who wrote Japanese before is Japanese; "ok obrigado" from Brazil is
Portuguese. The prior is a log-weight added to the evidence, so a long text overrules it.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Final

from nlp.langid.languages import COUNTRY_LANGUAGES, FASTTEXT_ALIASES, POPULATION_PRIOR, SUPPORTED

_SUPPORTED: Final = frozenset(SUPPORTED)
# ln-weights: the customer's own history counts most, the country less, the population least.
HISTORY_WEIGHT: Final = 3.0
COUNTRY_FIRST_WEIGHT: Final = 2.0
COUNTRY_OTHER_WEIGHT: Final = 1.0


def _norm(code: str) -> str:
    code = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return FASTTEXT_ALIASES.get(code, code)


class Prior:
    """ln prior per language; languages not mentioned get the population weight only."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = {lang: w for lang, w in weights.items() if w != 0.0}
        # Whether anything beyond the population prior is known about this customer.
        personal = {lang: w - _POPULATION_LN.get(lang, 0.0) for lang, w in self.weights.items()}
        personal = {lang: w for lang, w in personal.items() if w > 0.0}
        self.informative = bool(personal)
        self.top: str | None = max(personal, key=personal.__getitem__) if personal else None
        self.top_share = personal[self.top] / sum(personal.values()) if self.top else 0.0

    def get(self, lang: str) -> float:
        return self.weights.get(lang, _POPULATION_LN.get(lang, 0.0))

    @classmethod
    def from_request(cls, prior_languages: list[str], country: str | None) -> Prior:
        weights = dict(_POPULATION_LN)
        history = Counter(c for c in (_norm(x) for x in prior_languages) if c in _SUPPORTED)
        total = sum(history.values())
        for lang, n in history.items():
            weights[lang] = weights.get(lang, 0.0) + HISTORY_WEIGHT * n / total
        if country:
            langs = COUNTRY_LANGUAGES.get(country.strip().upper(), ())
            for i, lang in enumerate(langs):
                boost = COUNTRY_FIRST_WEIGHT if i == 0 else COUNTRY_OTHER_WEIGHT
                weights[lang] = weights.get(lang, 0.0) + boost
        return cls(weights)


_POPULATION_LN: Final[dict[str, float]] = {lang: math.log(w) for lang, w in POPULATION_PRIOR.items()}
NEUTRAL: Final = Prior(dict(_POPULATION_LN))
