"""Industry hint, urgency and sentiment from the keyword hits (no model: agents must see why)."""

from __future__ import annotations

from typing import Final

from domain.nlp import Industry, RequestDomain, Urgency
from nlp.classify.rules import RuleHits

# An angry complaint shouting "!!" is urgent even without the word "urgent".
ANGRY_NEGATIVE_HITS: Final = 2


def industry_of(hits: RuleHits) -> Industry | None:
    if not hits.industries:
        return None
    return max(hits.industries, key=hits.industries.__getitem__)


def urgency_of(hits: RuleHits, text: str, domain: RequestDomain) -> Urgency:
    if hits.urgency.get(Urgency.HIGH):
        return Urgency.HIGH
    angry = hits.negative >= ANGRY_NEGATIVE_HITS and ("!!" in text or "！！" in text)
    if angry or (domain is RequestDomain.COMPLAINT and hits.negative >= ANGRY_NEGATIVE_HITS):
        return Urgency.HIGH
    if hits.urgency.get(Urgency.LOW):
        return Urgency.LOW
    return Urgency.NORMAL


def sentiment_of(hits: RuleHits) -> float:
    """-1 (angry) .. +1 (pleased); 0 when no sentiment word is found."""
    total = hits.positive + hits.negative
    if not total:
        return 0.0
    # The +1 keeps a single "thanks" from reading as delight.
    return round((hits.positive - hits.negative) / (total + 1.0), 3)
