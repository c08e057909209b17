"""The detect_language and classify_request activities over the real engines (ActivityEnvironment)."""

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.nlp_activities import MAX_TEXT_CHARS, NlpActivities
from domain.nlp import (
    ClassifyRequest,
    DetectLanguageRequest,
    RequestDomain,
    TranslateRequest,
    TranslationResult,
    TranslationState,
)
from tests.nlp import nlp_engines


class EchoTranslator:
    """Translates nothing: these tests are about detection and classification."""

    def translate(self, req: TranslateRequest) -> TranslationResult:
        return TranslationResult(state=TranslationState.NOT_NEEDED, text=req.text, source=req.source,
                                 target=req.target, engine="echo")


@pytest.fixture(scope="module")
def activities() -> NlpActivities:
    return NlpActivities(nlp_engines.detector(), nlp_engines.classifier(), EchoTranslator())


def test_a_thai_logistics_ticket_is_detected_and_classified(activities: NlpActivities) -> None:
    env = ActivityEnvironment()
    text = "สวัสดีค่ะ สั่งสินค้าไปตั้งแต่วันที่ 3 แล้ว ยังไม่ได้รับพัสดุเลย ช่วยตรวจสอบเลขพัสดุให้หน่อยค่ะ"
    detection = env.run(activities.detect_language, DetectLanguageRequest(text=text))
    assert (detection.language, detection.reliable, detection.mixed) == ("th", True, False)
    req = ClassifyRequest(text=text, language=detection.language)
    classification = env.run(activities.classify_request, req)
    assert (classification.domain, classification.reliable) == (RequestDomain.LOGISTICS, True)


def test_a_short_ticket_uses_the_customers_prior(activities: NlpActivities) -> None:
    env = ActivityEnvironment()
    req = DetectLanguageRequest(text="返金", prior_languages=["ja"])
    detection = env.run(activities.detect_language, req)
    assert detection.language == "ja"


def test_an_undetermined_language_is_unreliable_for_the_workflow_to_triage(activities: NlpActivities) -> None:
    detection = ActivityEnvironment().run(activities.detect_language, DetectLanguageRequest(text="#4711 ✔"))
    assert (detection.language, detection.reliable) == ("und", False)


def test_classification_uses_the_translation_when_given(activities: NlpActivities) -> None:
    req = ClassifyRequest(text="Prosím o cenovou nabídku na 100 kusů.", language="cs",
                          translated_text="请提供100件的报价。")
    result = ActivityEnvironment().run(activities.classify_request, req)
    assert result.domain == RequestDomain.PRE_SALES
    assert result.layer.endswith("+translation")


@pytest.mark.parametrize("activity", ["detect_language", "classify_request"])
def test_an_oversized_text_fails_without_retries(activities: NlpActivities, activity: str) -> None:
    text = "a" * (MAX_TEXT_CHARS + 1)
    req = DetectLanguageRequest(text=text) if activity == "detect_language" else ClassifyRequest(text=text)
    with pytest.raises(ApplicationError) as info:
        ActivityEnvironment().run(getattr(activities, activity), req)
    assert info.value.non_retryable
