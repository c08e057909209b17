"""Glossary enforcement around the model: what gets masked, and whether the terms came out."""

from domain.nlp import AppliedTerm
from nlp.translate.langs import normalize_lang
from nlp.translate.placeholders import TERM_KIND, MaskedSentence, PlaceholderStyle, mask
from nlp.translate.protect import find_code_spans, find_strong_spans
from nlp.translate.restore import pluralize
from nlp.translate.terms import TermMatch, TermMatcher, fold


def mask_sentence(sentence: str, matcher: TermMatcher, style: PlaceholderStyle) -> tuple[MaskedSentence,
                                                                                          list[TermMatch]]:
    """Protected spans and glossary terms -> placeholders; returns the term matches as well."""
    strong = find_strong_spans(sentence)
    taken = [(s.start, s.end) for s in strong]
    terms = matcher.find(sentence, taken)
    taken += [(m.start, m.end) for m in terms]
    codes = find_code_spans(sentence, taken)
    slots: list[tuple[int, int, str, str, bool]] = [
        (s.start, s.end, str(s.kind), sentence[s.start:s.end], False) for s in [*strong, *codes]
    ]
    for match in terms:
        surface = sentence[match.start:match.end]
        # Do-not-translate terms keep the customer's exact spelling, like a protected span.
        value, inflect = (match.entry.target, True) if match.entry.target else (surface, False)
        slots.append((match.start, match.end, TERM_KIND, value, inflect))
    return mask(sentence, slots, style), terms


def term_present(output: str, term: str, target: str) -> bool:
    folded = fold(output)
    if fold(term) in folded:
        return True
    return normalize_lang(target) == "en" and fold(pluralize(term)) in folded


def applied_terms(matches: list[TermMatch], output: str, target: str) -> list[AppliedTerm]:
    """One entry per distinct term used in the text, with term adherence (is it in the output?)."""
    seen: dict[tuple[str, str], AppliedTerm] = {}
    for match in matches:
        entry = match.entry
        wanted = entry.target or entry.source
        key = (entry.source, wanted)
        if key in seen:
            continue
        seen[key] = AppliedTerm(source=entry.source, target=wanted, concept_domain=entry.concept.domain,
                                present=term_present(output, wanted, target))
    return list(seen.values())
