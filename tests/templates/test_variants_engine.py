"""Machine drafts through the real TranslationService pipeline (tiny CTranslate2 model, real glossary).

The tiny model copies its input token by token (tests/helpers/tiny_ct2.py), so the draft shows
exactly what the pipeline does around it: placeholder tokens survive as codes, glossary terms
are enforced, and the draft records the engine, model and glossary version.
"""

import pytest

from nlp.glossary.loader import load_glossary_csv
from nlp.glossary.model import GlossarySet
from nlp.translate.catalog import ModelCatalog
from nlp.translate.memory import NoMemory
from nlp.translate.service import TranslationService
from templates.loader import TemplateCatalog
from templates.model import Availability, NoTranslationPathError, TemplateDef, TemplateVariable
from templates.service import TemplateService
from templates.store import MemoryVariantStore
from tests.helpers.tiny_ct2 import build_tiny_model, train_tiny_spm

TEMPLATE = TemplateDef(
    name="shipped", title="已发货", domains=["logistics"],
    variables=[TemplateVariable(name="order_id"), TemplateVariable(name="tracking_number")],
    text="您好，订单 {{ order_id }} 已经发货，物流单号 {{ tracking_number }}。",
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> TranslationService:
    models = tmp_path_factory.mktemp("models")
    spm_model = train_tiny_spm(tmp_path_factory.mktemp("spm") / "tiny")
    build_tiny_model(models, "zh", "en", spm_model=spm_model, token_map={"▁您好": "▁hello"})
    glossary_dir = tmp_path_factory.mktemp("glossaries")
    (glossary_dir / "general.csv").write_text("domain,zh,en\ngeneral,物流单号,tracking number\n",
                                              encoding="utf-8")
    glossaries = GlossarySet([load_glossary_csv(glossary_dir / "general.csv")])
    return TranslationService(ModelCatalog.scan(models), glossaries, NoMemory())


def test_draft_keeps_placeholders_and_enforces_glossary_terms(engine: TranslationService) -> None:
    service = TemplateService(TemplateCatalog([TEMPLATE]), MemoryVariantStore(), translator=engine)
    record = service.draft("shipped", "en")
    assert record.text.count("{{ order_id }}") == 1 and record.text.count("{{ tracking_number }}") == 1
    assert "tracking number {{ tracking_number }}" in record.text
    assert record.text.startswith("hello")
    assert record.engine == "ctranslate2" and record.model_id
    assert record.glossary_version == engine.glossaries.version != ""
    preview = service.preview("shipped", "en", {"order_id": "A123", "tracking_number": "SF123456789"})
    assert preview.availability is Availability.DRAFT
    assert preview.customer_text is not None and "tracking number SF123456789" in preview.customer_text


def test_no_model_for_the_language_is_reported(engine: TranslationService) -> None:
    service = TemplateService(TemplateCatalog([TEMPLATE]), MemoryVariantStore(), translator=engine)
    with pytest.raises(NoTranslationPathError, match="no translation model for zh->th"):
        service.draft("shipped", "th")
