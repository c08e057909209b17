"""The real zh->en model (Argos 1.9, OPUS-MT); skipped where ../shared/models is absent."""

from pathlib import Path

import pytest

from domain.nlp import TranslateRequest, TranslationState
from nlp.glossary.loader import load_glossary_csv
from nlp.glossary.model import GlossarySet
from nlp.translate.catalog import ModelCatalog
from nlp.translate.engine import EngineOptions
from nlp.translate.memory import LruMemory
from nlp.translate.service import TranslationService

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO.parent / "shared" / "models"
SEED_GLOSSARY = REPO / "bench" / "data" / "seed_glossary.csv"

pytestmark = [
    pytest.mark.real_model,
    pytest.mark.skipif(not (MODELS / "argos-translate-zh_en-1_9" / "model" / "model.bin").is_file(),
                       reason="real zh->en model not present"),
]


@pytest.fixture(scope="module")
def service() -> TranslationService:
    return TranslationService(ModelCatalog.scan(MODELS), GlossarySet([load_glossary_csv(SEED_GLOSSARY)]),
                              LruMemory(), EngineOptions(intra_threads=2))


def test_terms_the_raw_model_gets_wrong_come_out_right(service: TranslationService) -> None:
    cases = [
        ("machinery", "丝杠和导轨需要定期加润滑油。", ["lead screw", "guide rail", "lubricating oil"]),
        ("electronics", "请检查主板上的电容是否鼓包。", ["motherboard", "capacitor"]),
        ("light_industry", "这批面料的颜色和样品有明显色差。", ["fabric", "color deviation"]),
    ]
    for industry, text, terms in cases:
        result = service.translate(TranslateRequest(text=text, source="zh", target="en", industry=industry))
        assert result.state == TranslationState.TRANSLATED
        lowered = (result.text or "").lower()
        assert all(term in lowered for term in terms), result.text
        assert all(t.present for t in result.applied_terms)


def test_protected_spans_come_out_byte_identical(service: TranslationService) -> None:
    text = "您的订单SF123456789已于2024-05-01发货，金额¥1,299.00，详情见https://example.com/t?id=7或联系help@example.com。"
    result = service.translate(TranslateRequest(text=text, source="zh", target="en"))
    for span in ["SF123456789", "2024-05-01", "¥1,299.00", "https://example.com/t?id=7", "help@example.com"]:
        assert span in (result.text or ""), result.text


def test_email_keeps_its_lines(service: TranslationService) -> None:
    email = "您好，\n\n轴承坏了。\n1. 请尽快发货。\n\n谢谢\n> 以前的邮件\n"
    result = service.translate(TranslateRequest(text=email, source="zh", target="en", industry="machinery"))
    lines = (result.text or "").split("\n")
    assert len(lines) == email.count("\n") + 1
    assert lines[0].startswith("Hello") and lines[1] == "" and lines[3].startswith("1. ")
    assert "bearing" in lines[2].lower() and lines[6] == "> 以前的邮件"


def test_a_line_without_terms_or_spans_is_translated_exactly_as_the_raw_model_does(
        service: TranslationService) -> None:
    # Two sentences on one line: translated whole, as translate_batch sees a line.
    line = "这台机器运行得很安静。我们对它的质量非常满意。"
    info = service.catalog.find("zh", "en")
    assert info is not None
    raw = service.pool.get(info).translate_direct([line], "zh", "en")[0]
    result = service.translate(TranslateRequest(text=line, source="zh", target="en"))
    assert result.text == raw
    assert result.applied_terms == []
