"""Turns placeholders in the model output back into target terms and protected text.

Target terms are adapted to where the model put them (English: plural after "TERM0s" or a
number, "a"/"an" agreement, capital at a sentence start; every cased language: the capital).
Protected spans are inserted byte-for-byte. In languages written without spaces, the spaces the
model put around a placeholder are removed.
"""

import re

from nlp.translate.langs import has_case, joins_without_space, normalize_lang
from nlp.translate.placeholders import MaskedSentence, PlaceholderStyle, Slot
from nlp.translate.terms import is_word_char

_PLURAL_CUES = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "many",
                "multiple", "these", "those", "both", "various", "few", "dozens", "hundreds", "all"}
_ARTICLE = re.compile(r"(?:^|(?<=\s))(a|an|A|An)\s+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:。！？]\s*|[\"“'‘(]\s*)$")
_LAST_WORD = re.compile(r"([A-Za-z]+|\d+)\s*$")
_AN_EXCEPTIONS = ("uni", "use", "usa", "eu", "one", "once")  # vowel letter, consonant sound
_A_EXCEPTIONS = ("hour", "honest", "honor", "heir")  # consonant letter, vowel sound


def pluralize(term: str) -> str:
    """English plural of a term's last word; acronyms and mixed-case codes take a plain "s"."""
    head, _, last = term.rpartition(" ")
    prefix = f"{head} " if head else ""
    lower = last.lower()
    if not last or not last[-1].isalpha():
        return term
    if last.isupper():
        plural = last + "s"
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        plural = last + "es"
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return prefix + plural


def _wants_an(term: str) -> bool:
    lower = term.lower()
    if lower.startswith(_AN_EXCEPTIONS):
        return False
    if lower.startswith(_A_EXCEPTIONS):
        return True
    return lower[:1] in "aeiou"


def _needs_plural(before: str, explicit: bool) -> bool:
    if explicit:
        return True
    match = _LAST_WORD.search(before)
    if match is None:
        return False
    word = match.group(1).lower()
    return (word.isdigit() and int(word) > 1) or word in _PLURAL_CUES


def _inflect(slot: Slot, before: str, explicit_plural: bool, target: str) -> tuple[str, str]:
    """(possibly changed text before the term, the term as it should appear)."""
    value = slot.value
    if not slot.inflect or not value:
        return before, value
    if target == "en":
        if _needs_plural(before, explicit_plural) and not value.lower().endswith("s"):
            value = pluralize(value)
        article = _ARTICLE.search(before)
        if article:
            word = article.group(1)
            wanted = "an" if _wants_an(value) else "a"
            if word.lower() != wanted:
                fixed = wanted.capitalize() if word[0].isupper() else wanted
                before = before[:article.start(1)] + fixed + before[article.end(1):]
    if has_case(target) and value[:1].islower() and _SENTENCE_START.search(before):
        value = value[0].upper() + value[1:]
    return before, value


def restore(text: str, masked: MaskedSentence, style: PlaceholderStyle, target: str) -> str:
    """Replaces every placeholder by its slot's value (call only when `intact` says all are there)."""
    target = normalize_lang(target)
    slots = {slot.index: slot for slot in masked.slots}
    no_space = joins_without_space(target)
    out = ""
    cursor = 0
    for match in style.pattern.finditer(text):
        slot = slots.get(int(match.group(1)))
        if slot is None:
            continue
        before = out + text[cursor:match.start()]
        explicit_plural = bool(match.group(2))
        before, value = _inflect(slot, before, explicit_plural, target)
        cursor = match.end()
        if no_space:
            before = before.rstrip(" ")
            while cursor < len(text) and text[cursor] == " ":
                cursor += 1
        elif slot.inflect:
            # Models glue the next word to a placeholder ("TERM0oil leak"); words need spaces.
            if before and is_word_char(before[-1]):
                before += " "
            if cursor < len(text) and is_word_char(text[cursor]):
                value += " "
        out = before + value
    return out + text[cursor:]
