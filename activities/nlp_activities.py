"""NLP activities (task queue `nlp`): detection, classification, translation.

The engines are injected so the worker loads each model once per process and tests can pass
tiny real ones. CPU-bound calls run in the worker's thread pool (sync activities).
"""

from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.ids import ActivityName
from domain.nlp import (
    Classification,
    ClassifyRequest,
    DetectLanguageRequest,
    LanguageDetection,
    TranslateRequest,
    TranslationResult,
)
from nlp.protocols import LanguageDetector, RequestClassifier, Translator

MAX_TEXT_CHARS = 100_000


def _check_size(text: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise ApplicationError(
            f"text of {len(text)} characters exceeds the {MAX_TEXT_CHARS} limit",
            type="BadInput",
            non_retryable=True,
        )


class NlpActivities:
    def __init__(
        self, detector: LanguageDetector, classifier: RequestClassifier, translator: Translator
    ) -> None:
        self.detector = detector
        self.classifier = classifier
        self.translator = translator

    @activity.defn(name=ActivityName.DETECT_LANGUAGE)
    def detect_language(self, req: DetectLanguageRequest) -> LanguageDetection:
        _check_size(req.text)
        return self.detector.detect(req)

    @activity.defn(name=ActivityName.CLASSIFY_REQUEST)
    def classify_request(self, req: ClassifyRequest) -> Classification:
        _check_size(req.text)
        return self.classifier.classify(req)

    @activity.defn(name=ActivityName.TRANSLATE_TEXT)
    def translate_text(self, req: TranslateRequest) -> TranslationResult:
        _check_size(req.text)
        return self.translator.translate(req)
