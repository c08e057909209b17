"""The editable keyword layer: one YAML file per language under `nlp/classify/rules/` (or a folder
set by LINGODESK_CLASSIFIER_RULES_DIR), written by administrators, read at worker start.

    language: de
    domains:                       # request domains (domain.nlp.RequestDomain values)
      after_sales: [rückerstattung, umtausch, reklamation]
    industries:                    # electronics | machinery | light_industry
      machinery: [pumpe, getriebe]
    urgency:
      high: [dringend, sofort]
      low: [keine eile]
    sentiment:
      negative: [enttäuscht, inakzeptabel]
      positive: [danke, zufrieden]

In languages written with spaces a keyword matches at the start of a word, so a stem
("rückerstatt") also catches its inflections; in Chinese, Japanese and Thai it matches anywhere.
A keyword of several words counts double: it is more specific than one word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

import yaml
from pydantic import BaseModel, Field, field_validator

from domain.nlp import Industry, RequestDomain, Urgency

DEFAULT_RULES_DIR: Final = Path(__file__).resolve().parent / "rules"
NO_SPACE_LANGUAGES: Final = frozenset({"zh", "ja", "th"})


class RuleFile(BaseModel):
    """One language's rules as written in YAML; validated so a typo fails at start, not silently."""

    language: str
    domains: dict[RequestDomain, list[str]] = Field(default_factory=dict)
    industries: dict[Industry, list[str]] = Field(default_factory=dict)
    urgency: dict[Urgency, list[str]] = Field(default_factory=dict)
    sentiment: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("sentiment")
    @classmethod
    def _polarities(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(value) - {"negative", "positive"}
        if unknown:
            raise ValueError(f"sentiment keys must be negative/positive, not {sorted(unknown)}")
        return value


class _Matcher:
    """All keywords of one category, compiled into one alternation."""

    def __init__(self, keywords: Iterable[str], word_start: bool) -> None:
        words = sorted({k.strip().casefold() for k in keywords if k.strip()}, key=len, reverse=True)
        self.empty = not words
        body = "|".join(re.escape(w) for w in words) or r"(?!)"
        self._regex = re.compile(rf"(?<![^\W\d_])(?:{body})" if word_start else f"(?:{body})")

    def hits(self, folded: str) -> float:
        if self.empty:
            return 0.0
        return float(sum(2 if " " in m.group(0) else 1 for m in self._regex.finditer(folded)))


@dataclass
class RuleHits:
    """Keyword hits per category, summed over the languages and texts looked at."""

    domains: dict[RequestDomain, float] = field(default_factory=dict)
    industries: dict[Industry, float] = field(default_factory=dict)
    urgency: dict[Urgency, float] = field(default_factory=dict)
    negative: float = 0.0
    positive: float = 0.0

    def add(self, other: RuleHits) -> None:
        _merge(self.domains, other.domains)
        _merge(self.industries, other.industries)
        _merge(self.urgency, other.urgency)
        self.negative += other.negative
        self.positive += other.positive


K = TypeVar("K")


def _merge(mine: dict[K, float], theirs: dict[K, float]) -> None:
    for key, n in theirs.items():
        mine[key] = mine.get(key, 0.0) + n


class LanguageRules:
    def __init__(self, rules: RuleFile) -> None:
        word_start = rules.language not in NO_SPACE_LANGUAGES
        self.language = rules.language
        self._domains = {d: _Matcher(k, word_start) for d, k in rules.domains.items()}
        self._industries = {i: _Matcher(k, word_start) for i, k in rules.industries.items()}
        self._urgency = {u: _Matcher(k, word_start) for u, k in rules.urgency.items()}
        self._negative = _Matcher(rules.sentiment.get("negative", []), word_start)
        self._positive = _Matcher(rules.sentiment.get("positive", []), word_start)

    def match(self, text: str) -> RuleHits:
        folded = text.casefold()
        return RuleHits(
            domains={d: n for d, m in self._domains.items() if (n := m.hits(folded))},
            industries={i: n for i, m in self._industries.items() if (n := m.hits(folded))},
            urgency={u: n for u, m in self._urgency.items() if (n := m.hits(folded))},
            negative=self._negative.hits(folded),
            positive=self._positive.hits(folded),
        )


class RuleSet:
    """Every language's rules; `match` looks a text up in the rules of the given languages."""

    def __init__(self, by_language: dict[str, LanguageRules]) -> None:
        self.by_language = by_language

    @classmethod
    def load(cls, folder: Path = DEFAULT_RULES_DIR) -> RuleSet:
        by_language: dict[str, LanguageRules] = {}
        for path in sorted(folder.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            try:
                rules = RuleFile.model_validate(data)
            except ValueError as exc:
                raise ValueError(f"{path}: {exc}") from exc
            by_language[rules.language] = LanguageRules(rules)
        return cls(by_language)

    def match(self, text: str, languages: Iterable[str]) -> RuleHits:
        total = RuleHits()
        for lang in dict.fromkeys(languages):  # ordered, without repeats
            rules = self.by_language.get(lang)
            if rules is not None:
                total.add(rules.match(text))
        return total
