"""Placeholder tokens the model carries through in place of glossary terms and protected spans.

The default style was chosen by measurement on the real zh->en model (bench/translate_bench.py
`placeholders` section, figures in docs/translation.md): Latin capitals plus a digit ("TERM0")
are copied through almost always, while bracket forms ("⟦0⟧", "<t0>") are dropped because the
model's vocabulary has no pieces for them.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PlaceholderStyle:
    name: str
    template: str  # str.format template with the slot number
    pattern: re.Pattern[str]  # finds (possibly re-spaced or re-cased) placeholders; group 1 = slot

    def token(self, index: int) -> str:
        return self.template.format(index)


STYLES: dict[str, PlaceholderStyle] = {
    # The plural suffix group lets "TERM0s" restore as the plural of the term.
    "term": PlaceholderStyle("term", "TERM{}", re.compile(r"T\s?E\s?R\s?M\s?-?\s?(\d{1,2})(e?s)?(?![0-9])",
                                                           re.IGNORECASE)),
    "zz": PlaceholderStyle("zz", "ZZ{}Z", re.compile(r"Z\s?Z\s?(\d{1,2})\s?Z(e?s)?", re.IGNORECASE)),
    "x": PlaceholderStyle("x", "X{}", re.compile(r"(?<![A-Za-z])X-?(\d{1,2})(e?s)?(?![0-9])")),
    "bracket": PlaceholderStyle("bracket", "⟦{}⟧", re.compile(r"⟦\s?(\d{1,2})\s?⟧()")),
}
TERM_KIND = "term"  # Slot.kind of glossary terms; protected spans use their SpanKind
DEFAULT_STYLE = "term"
RETRY_STYLE = "zz"


@dataclass(frozen=True)
class Slot:
    index: int
    kind: str  # "term" or a protected span kind
    source_text: str  # exactly as in the source
    value: str  # what goes into the output: the target term, or the source text byte-for-byte
    inflect: bool  # target terms take casing/plural/article; protected spans never change


@dataclass(frozen=True)
class MaskedSentence:
    source: str
    text: str  # source with placeholders, what the model sees
    slots: tuple[Slot, ...]
    chunks: tuple[str | int, ...]  # source text pieces and slot indexes, for the fallback

    @property
    def has_terms(self) -> bool:
        return any(slot.kind == TERM_KIND for slot in self.slots)


SpanSpec = tuple[int, int, str, str, bool]  # start, end, kind, value, inflect


def mask(sentence: str, spans: list[SpanSpec], style: PlaceholderStyle) -> MaskedSentence:
    """Replaces (start, end, kind, value, inflect) spans by numbered placeholders."""
    slots: list[Slot] = []
    chunks: list[str | int] = []
    parts: list[str] = []
    cursor = 0
    for number, (start, end, kind, value, inflect) in enumerate(sorted(spans)):
        before = sentence[cursor:start]
        parts.extend([before, style.token(number)])
        if before:
            chunks.append(before)
        chunks.append(number)
        slots.append(Slot(number, kind, sentence[start:end], value, inflect))
        cursor = end
    tail = sentence[cursor:]
    parts.append(tail)
    if tail:
        chunks.append(tail)
    return MaskedSentence(sentence, "".join(parts), tuple(slots), tuple(chunks))


def placeholder_counts(text: str, style: PlaceholderStyle) -> dict[int, int]:
    counts: dict[int, int] = {}
    for match in style.pattern.finditer(text):
        number = int(match.group(1))
        counts[number] = counts.get(number, 0) + 1
    return counts


def intact(text: str, masked: MaskedSentence, style: PlaceholderStyle) -> bool:
    """Every slot exactly once and nothing else: otherwise restoring would drop or invent text."""
    return placeholder_counts(text, style) == {slot.index: 1 for slot in masked.slots}
