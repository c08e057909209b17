"""The interfaces the activities depend on; concrete engines live in the sub-packages."""

from typing import Protocol

from domain.nlp import (
    Classification,
    ClassifyRequest,
    DetectLanguageRequest,
    LanguageDetection,
    TranslateRequest,
    TranslationResult,
)


class LanguageDetector(Protocol):
    def detect(self, req: DetectLanguageRequest) -> LanguageDetection: ...


class RequestClassifier(Protocol):
    def classify(self, req: ClassifyRequest) -> Classification: ...


class Translator(Protocol):
    def translate(self, req: TranslateRequest) -> TranslationResult: ...
