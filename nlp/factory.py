"""Builds the NLP engines from settings, once per process (the worker and the CLI share this)."""

import threading
from typing import Any

from nlp.protocols import LanguageDetector, RequestClassifier, Translator
from runtime.settings import Settings, get_settings

_lock = threading.Lock()
_engines: dict[str, Any] = {}


def _once(key: str, build: Any) -> Any:
    with _lock:
        if key not in _engines:
            _engines[key] = build()
        return _engines[key]


def build_detector(settings: Settings | None = None) -> LanguageDetector:
    from nlp.langid.detector import LanguageIdentifier

    detector: LanguageDetector = _once(
        "detector", lambda: LanguageIdentifier.from_settings(settings or get_settings())
    )
    return detector


def build_classifier(settings: Settings | None = None) -> RequestClassifier:
    from nlp.classify.classifier import HybridClassifier

    classifier: RequestClassifier = _once(
        "classifier", lambda: HybridClassifier.from_settings(settings or get_settings())
    )
    return classifier


def build_translator(settings: Settings | None = None) -> Translator:
    from nlp.translate.service import TranslationService

    translator: Translator = _once(
        "translator", lambda: TranslationService.from_settings(settings or get_settings())
    )
    return translator


def reset() -> None:
    """Forget built engines (tests that change settings)."""
    with _lock:
        _engines.clear()
