"""Real zh->en model (../shared/models): every shipped template drafts with placeholders intact."""

from pathlib import Path

import pytest

from nlp.glossary.loader import load_glossary_dir
from nlp.translate.catalog import ModelCatalog
from nlp.translate.engine import EngineOptions
from nlp.translate.memory import NoMemory
from nlp.translate.service import TranslationService
from templates.service import TemplateService
from templates.store import MemoryVariantStore

REPO_ROOT = Path(__file__).resolve().parents[2]
MODELS = REPO_ROOT.parent / "shared" / "models"

pytestmark = [
    pytest.mark.real_model,
    pytest.mark.skipif(not (MODELS / "argos-translate-zh_en-1_9").is_dir(), reason="no ../shared/models"),
]


def test_every_template_drafts_into_english_with_placeholders_intact(catalog) -> None:  # type: ignore[no-untyped-def]
    engine = TranslationService(ModelCatalog.scan(MODELS), load_glossary_dir(REPO_ROOT / "glossaries"),
                                NoMemory(), EngineOptions(intra_threads=1))
    service = TemplateService(catalog, MemoryVariantStore(), translator=engine)
    for template in catalog:
        record = service.draft(template.name, "en")
        for variable in template.variable_names:
            assert f"{{{{ {variable} }}}}" in record.text, (template.name, variable, record.text)
        assert record.glossary_version == engine.glossaries.version
    tracking = service.store.get("order_status", "en")  # type: ignore[union-attr]
    assert tracking is not None and "tracking number" in tracking.text.lower()  # general.csv enforced
