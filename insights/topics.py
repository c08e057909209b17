"""What a ticket is about, independent of its language: glossary concepts and model numbers.

A glossary row is one concept named in many languages, so "Akku" (de), "batería" (es),
"バッテリー" (ja) and "电池" (zh, the internal translation) all map to one concept id. The ticket's
own text is matched against the terms of its own language, its internal-language translation
against the internal-language terms; model numbers (X200, TX-5000) are read by a pattern.
Pure functions: no SQL, no Temporal.
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, Field

from nlp.glossary.model import GlossarySet

# A letter prefix (1-4), an optional hyphen, 2-5 digits, an optional 1-2 letter suffix, not glued
# to other letters/digits (CJK text has no spaces, so lookarounds instead of \b).
MODEL_NUMBER = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,4})-?(\d{2,5})([A-Za-z]{0,2})(?![A-Za-z0-9])")
# Scripts written without spaces: a term may start anywhere in a word.
_NO_SPACE_LANGS = frozenset({"zh", "ja", "th", "ko", "lo", "km", "my"})
MAX_TEXT_CHARS = 4000


class Concept(BaseModel):
    concept_id: str  # "<glossary>/<english or internal term>": the same in every language
    label: str  # English term when the glossary has one (alert text), else the first term
    label_internal: str = ""


class TicketText(BaseModel):
    """What the scan reads of one ticket (SQL projection: subject + first message)."""

    ticket_id: str
    language: str
    created_at: datetime
    text: str = ""  # subject and first message, in the customer's language
    translated: str = ""  # the same in the internal language ("" when untranslated)


class TicketTopics(BaseModel):
    ticket_id: str
    language: str
    created_at: datetime
    concepts: list[str] = Field(default_factory=list)
    models: list[str] = Field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return {f"concept:{c}" for c in self.concepts} | {f"model:{m}" for m in self.models}


def normalize_model(prefix: str, digits: str, suffix: str) -> str:
    """ "tx5000", "TX-5000" -> "TX-5000": one key however the customer typed it."""
    return (
        f"{prefix.upper()}-{digits}{suffix.upper()}"
        if len(prefix) > 1
        else f"{prefix.upper()}{digits}{suffix.upper()}"
    )


def model_numbers(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)  # full-width "Ｘ２００" in Japanese text
    return sorted({normalize_model(*m.groups()) for m in MODEL_NUMBER.finditer(text)})


class ConceptIndex:
    """Glossary terms per language -> concept ids, longest terms first."""

    def __init__(self, glossaries: GlossarySet, internal_language: str = "zh") -> None:
        self.internal_language = internal_language
        self.concepts: dict[str, Concept] = {}
        self.terms: dict[str, list[tuple[str, str]]] = {}
        for glossary in glossaries.glossaries:
            for row in glossary.concepts:
                if row.do_not_translate:
                    continue  # brand names: a model number does the job better
                anchor = (
                    row.terms.get("en")
                    or row.terms.get(internal_language)
                    or next(iter(row.terms.values()), "")
                )
                if not anchor:
                    continue
                concept_id = f"{glossary.name}/{anchor.lower()}"
                self.concepts[concept_id] = Concept(
                    concept_id=concept_id, label=anchor, label_internal=row.terms.get(internal_language, "")
                )
                for lang, term in row.terms.items():
                    if term.strip():
                        self.terms.setdefault(lang, []).append((term.strip().lower(), concept_id))
        for entries in self.terms.values():
            entries.sort(key=lambda e: -len(e[0]))

    def match(self, text: str, language: str) -> set[str]:
        """Concept ids named in `text`; a term inside a longer matched term does not count twice
        ("锂电池" is lithium battery, not also battery)."""
        lowered = unicodedata.normalize("NFKC", text[:MAX_TEXT_CHARS]).lower()
        taken: list[tuple[int, int]] = []
        found: set[str] = set()
        spaced = language not in _NO_SPACE_LANGS
        for term, concept_id in self.terms.get(language, []):
            start = lowered.find(term)
            while start >= 0:
                end = start + len(term)
                at_word_start = not spaced or start == 0 or not lowered[start - 1].isalnum()
                if at_word_start and not any(s <= start and end <= e for s, e in taken):
                    taken.append((start, end))
                    found.add(concept_id)
                start = lowered.find(term, start + 1)
        return found

    def label(self, concept_id: str) -> str:
        concept = self.concepts.get(concept_id)
        return concept.label if concept else concept_id.split("/", 1)[-1]


def topics_of(ticket: TicketText, index: ConceptIndex) -> TicketTopics:
    concepts = index.match(ticket.text, ticket.language)
    if ticket.translated:
        concepts |= index.match(ticket.translated, index.internal_language)
    models = set(model_numbers(ticket.text)) | set(model_numbers(ticket.translated))
    return TicketTopics(
        ticket_id=ticket.ticket_id,
        language=ticket.language,
        created_at=ticket.created_at,
        concepts=sorted(concepts),
        models=sorted(models),
    )


def topics_all(tickets: Iterable[TicketText], index: ConceptIndex) -> list[TicketTopics]:
    return [topics_of(t, index) for t in tickets]
