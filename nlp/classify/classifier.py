"""`HybridClassifier`: the `RequestClassifier` behind the `classify_request` activity.

Two layers vote on the request domain: the administrators' keyword rules (one YAML per language)
and a supervised fastText model (seed data plus agents' corrections). Both read the original text
and, when the workflow has one, its translation into the internal language. The model's
probabilities are multiplied by e^(RULE_WEIGHT x keyword hits) and renormalised; the result's
top probability is the confidence, and `layer` says which layer carried the answer.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Final

from domain.nlp import UNDETERMINED, Classification, ClassifyRequest, RequestDomain
from nlp.classify.model import DomainModel
from nlp.classify.rules import DEFAULT_RULES_DIR, RuleHits, RuleSet
from nlp.classify.signals import industry_of, sentiment_of, urgency_of
from nlp.classify.training_data import seed_tickets
from nlp.textclean import clean_for_detection
from runtime.settings import Settings

log = logging.getLogger(__name__)

MODEL_FILE: Final = "request_domain.bin"
# One keyword hit multiplies a domain's odds by e^1.5 (about 4.5): a clear keyword beats a
# hesitant model, a confident model beats a stray keyword.
RULE_WEIGHT: Final = 1.5
# Probability floor so a domain the model rules out can still be won by several keywords.
MODEL_FLOOR: Final = 0.01
# Below this the ticket goes to the triage queue instead of a domain queue.
RELIABLE_FROM: Final = 0.6
# Without a keyword, the model must know this many of the ticket's words for a reliable answer.
MIN_KNOWN_WORDS: Final = 3


class HybridClassifier:
    def __init__(self, rules: RuleSet, model: DomainModel, internal_language: str = "zh") -> None:
        self.rules = rules
        self.model = model
        self.internal_language = internal_language

    @classmethod
    def from_settings(cls, settings: Settings) -> HybridClassifier:
        rules = RuleSet.load(settings.classifier_rules_dir or DEFAULT_RULES_DIR)
        path = settings.classifier_model or settings.data_dir / "models" / MODEL_FILE
        return cls(rules, load_or_train(path), settings.internal_language)

    def classify(self, req: ClassifyRequest) -> Classification:
        texts = [req.text] + ([req.translated_text] if req.translated_text else [])
        # Keywords in quoted history, signatures or URLs are not the customer's request.
        hits = self.rules.match(clean_for_detection(req.text), self._rule_languages(req.language))
        if req.translated_text:
            hits.add(self.rules.match(clean_for_detection(req.translated_text), [self.internal_language]))
        languages = [req.language] + ([self.internal_language] if req.translated_text else [])
        predictions = [self.model.predict_with_coverage(t) for t in texts]
        model_probs = _mean([p for p, _, _ in predictions if p])
        # The model counts as much as its training covered the language and the text's words.
        trust = max(self.model.trust(lang) * known / max(total, 1)
                    for lang, (_, known, total) in zip(languages, predictions, strict=True))
        domain, confidence, layer = _vote(model_probs if trust > 0 else {}, trust, hits)
        # "hi" or "ok" may look like something to the model, but is not enough to route a ticket.
        enough = bool(hits.domains) or max(known for _, known, _ in predictions) >= MIN_KNOWN_WORDS
        if req.translated_text:
            layer += "+translation"
        joined = "\n".join(texts)
        return Classification(
            domain=domain, confidence=round(confidence, 4), reliable=enough and confidence >= RELIABLE_FROM,
            industry=industry_of(hits), urgency=urgency_of(hits, joined, domain),
            sentiment=sentiment_of(hits), layer=layer)

    def _rule_languages(self, language: str) -> list[str]:
        # English keywords turn up in every language's tickets; an unknown language tries all rules.
        if language == UNDETERMINED or not language:
            return list(self.rules.by_language)
        return [language.split("-")[0].lower(), "en"]


def load_or_train(path: Path) -> DomainModel:
    if path.exists():
        return DomainModel.load(path)
    log.info("classifier model %s missing: training it from the seed data", path)
    return DomainModel.train(seed_tickets(), output=path)


def _mean(distributions: list[dict[RequestDomain, float]]) -> dict[RequestDomain, float]:
    if not distributions:
        return {}
    out = dict.fromkeys(RequestDomain, 0.0)
    for dist in distributions:
        for domain, p in dist.items():
            out[domain] += p / len(distributions)
    return out


def _vote(model_probs: dict[RequestDomain, float], trust: float,
          hits: RuleHits) -> tuple[RequestDomain, float, str]:
    if not model_probs and not hits.domains:
        return RequestDomain.OTHER, 0.0, "none"
    if not model_probs:
        model_probs = dict.fromkeys(RequestDomain, 1.0 / len(RequestDomain))
    scores = {d: trust * math.log(model_probs.get(d, 0.0) + MODEL_FLOOR)
              + RULE_WEIGHT * hits.domains.get(d, 0.0) for d in RequestDomain}
    top = max(scores.values())
    total = sum(math.exp(s - top) for s in scores.values())
    winner = max(scores, key=scores.__getitem__)
    confidence = 1.0 / total
    rules_top = max(hits.domains, key=hits.domains.__getitem__) if hits.domains else None
    model_top = max(model_probs, key=model_probs.__getitem__) if model_probs else None
    if winner == rules_top and winner == model_top:
        layer = "rules+model"
    elif winner == rules_top:
        layer = "rules"
    else:
        layer = "model"
    return winner, confidence, layer
