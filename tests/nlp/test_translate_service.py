"""TranslationService end to end on tiny real CTranslate2 models (copy models: output = input
tokens, so every assertion about structure, spans and terms is exact)."""

import threading
from pathlib import Path

import pytest

from domain.nlp import TranslateRequest, TranslationState
from nlp.glossary.loader import load_glossary_csv, load_glossary_dir
from nlp.glossary.model import GlossarySet
from nlp.translate.catalog import ModelCatalog
from nlp.translate.memory import LruMemory, SqliteMemory
from nlp.translate.service import TranslationService
from runtime.settings import Settings
from tests.helpers.tiny_ct2 import build_tiny_model, train_tiny_spm

GLOSSARY = """domain,zh,en,de
machinery,轴承,bearing,Lager
machinery,减速机,gear reducer,Untersetzungsgetriebe
electronics,电容,capacitor,Kondensator
general,售后,after-sales service,Kundendienst
"""


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("models")
    spm_model = train_tiny_spm(tmp_path_factory.mktemp("spm") / "tiny")
    build_tiny_model(root, "zh", "en", spm_model=spm_model, token_map={"▁您好": "▁hello"})
    build_tiny_model(root, "en", "de", layout="argos", spm_model=spm_model)
    return root


@pytest.fixture(scope="module")
def glossaries(tmp_path_factory: pytest.TempPathFactory) -> GlossarySet:
    folder = tmp_path_factory.mktemp("glossaries")
    (folder / "seed.csv").write_text(GLOSSARY, encoding="utf-8")
    return load_glossary_dir(folder)


@pytest.fixture
def service(models_dir: Path, glossaries: GlossarySet) -> TranslationService:
    return TranslationService(ModelCatalog.scan(models_dir), glossaries, LruMemory())


def test_translates_with_the_model_and_enforces_terms(service: TranslationService) -> None:
    result = service.translate(TranslateRequest(text="您好，这台设备的轴承坏了。", source="zh", target="en",
                                                industry="machinery"))
    assert result.state == TranslationState.TRANSLATED
    # "▁您好" -> "▁hello" comes from the model's weights; "bearing" from the glossary placeholder.
    assert result.text == "hello，这台设备的bearing坏了。"
    assert [(t.source, t.target, t.present) for t in result.applied_terms] == [("轴承", "bearing", True)]
    assert result.path == ["zh", "en"] and result.model_id.startswith("tiny-zh_en@")
    assert result.glossary_version == service.glossaries.version


def test_terms_are_selected_by_industry(service: TranslationService) -> None:
    text = "电容和轴承"
    req = TranslateRequest(text=text, source="zh", target="en")
    machinery = service.translate(req.model_copy(update={"industry": "machinery"}))
    electronics = service.translate(req.model_copy(update={"industry": "electronics"}))
    assert machinery.text == "电容和bearing"
    assert electronics.text == "Capacitor和轴承"  # capitalised: it starts the sentence


def test_same_language_is_not_needed(service: TranslationService) -> None:
    result = service.translate(TranslateRequest(text="Hello", source="en-US", target="EN"))
    assert result.state == TranslationState.NOT_NEEDED and result.text == "Hello"


def test_missing_pair_is_unavailable_with_a_clear_detail(service: TranslationService) -> None:
    result = service.translate(TranslateRequest(text="Hallo", source="de", target="zh"))
    assert result.state == TranslationState.UNAVAILABLE
    assert result.text is None
    assert result.detail.startswith("no translation model for de->zh")


def test_no_models_installed_is_unavailable_not_an_error() -> None:
    result = TranslationService(ModelCatalog.scan(None)).translate(
        TranslateRequest(text="你好", source="zh", target="en"))
    assert result.state == TranslationState.UNAVAILABLE
    assert "no models installed" in result.detail


def test_unknown_source_language_is_unavailable(service: TranslationService) -> None:
    result = service.translate(TranslateRequest(text="???", source="und", target="en"))
    assert result.state == TranslationState.UNAVAILABLE and "unknown" in result.detail


def test_pivot_through_english_keeps_placeholders_to_the_final_language(service: TranslationService) -> None:
    result = service.translate(TranslateRequest(text="轴承坏了，请联系售后。", source="zh", target="de",
                                                industry="machinery"))
    assert result.state == TranslationState.TRANSLATED
    assert result.path == ["zh", "en", "de"]
    assert "+" in result.model_id and "pivot via en" in result.detail
    # The German term, not the English one: the placeholder crossed both legs.
    assert result.text == "Lager坏了，请联系Kundendienst。"
    assert all(t.present for t in result.applied_terms)


def test_email_structure_survives(service: TranslationService) -> None:
    email = (
        "您好，\n"
        "\n"
        "  1. 轴承坏了。减速机也坏了！\n"
        "  - 订单号：SF123456789\n"
        "\n"
        "谢谢\n"
        "--\n"
        "王明\n"
        "\n"
        "在 2024年5月1日 上午10:00，客服 写道：\n"
        "> 您好，请问有什么可以帮您？\n"
    )
    result = service.translate(TranslateRequest(text=email, source="zh", target="en", industry="machinery"))
    assert result.text == (
        "hello，\n"
        "\n"
        "  1. Bearing坏了。Gear reducer也坏了！\n"  # one line, one unit, as the model reads it
        "  - 订单号：SF123456789\n"
        "\n"
        "谢谢\n"
        "--\n"
        "王明\n"
        "\n"
        "在 2024年5月1日 上午10:00，客服 写道：\n"
        "> 您好，请问有什么可以帮您？\n"
    )


def test_translation_memory_serves_repeats(models_dir: Path, glossaries: GlossarySet) -> None:
    memory = LruMemory()
    service = TranslationService(ModelCatalog.scan(models_dir), glossaries, memory)
    req = TranslateRequest(text="轴承坏了。\n谢谢。", source="zh", target="en", industry="machinery")
    first = service.translate(req)
    assert len(memory) == 2 and "translation memory" not in first.detail
    second = service.translate(req)
    assert second.text == first.text
    assert second.detail == "2 of 2 sentences from translation memory"
    assert second.applied_terms == first.applied_terms
    # Another industry selects other terms, so it must not reuse those entries.
    other = service.translate(req.model_copy(update={"industry": "electronics"}))
    assert "translation memory" not in other.detail and other.text == "轴承坏了。\n谢谢。"


def test_memory_entries_are_the_served_translations(models_dir: Path, glossaries: GlossarySet,
                                                    tmp_path: Path) -> None:
    memory = SqliteMemory(tmp_path / "tm.sqlite3")
    service = TranslationService(ModelCatalog.scan(models_dir), glossaries, memory)
    service.translate(TranslateRequest(text="减速机坏了。", source="zh", target="en", industry="machinery"))
    memory.close()
    # A new process (new service, same file) gets the entry without decoding.
    reopened = SqliteMemory(tmp_path / "tm.sqlite3")
    again = TranslationService(ModelCatalog.scan(models_dir), glossaries, reopened).translate(
        TranslateRequest(text="减速机坏了。", source="zh", target="en", industry="machinery"))
    assert again.text == "Gear reducer坏了。" and "1 of 1" in again.detail


def test_concurrent_requests(service: TranslationService) -> None:
    texts = [f"订单{i}的轴承坏了。" for i in range(16)]
    out: dict[int, str | None] = {}

    def work(i: int) -> None:
        out[i] = service.translate(TranslateRequest(text=texts[i], source="zh", target="en",
                                                    industry="machinery")).text

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [out[i] for i in range(len(texts))] == [f"订单{i}的bearing坏了。" for i in range(16)]


def test_from_settings_wires_models_glossaries_and_memory(models_dir: Path, tmp_path: Path) -> None:
    glossary_dir = tmp_path / "glossaries"
    glossary_dir.mkdir()
    (glossary_dir / "seed.csv").write_text(GLOSSARY, encoding="utf-8")
    settings = Settings(LINGODESK_MODELS_DIR=models_dir, LINGODESK_GLOSSARIES_DIR=glossary_dir,
                        LINGODESK_DATA_DIR=tmp_path / "data", LINGODESK_TRANSLATION_MEMORY="sqlite")
    service = TranslationService.from_settings(settings)
    result = service.translate(TranslateRequest(text="轴承", source="zh", target="en", industry="machinery"))
    assert result.text == "Bearing"
    assert (tmp_path / "data" / "translation_memory.sqlite3").is_file()
    only_file = TranslationService.from_settings(settings, [glossary_dir / "seed.csv"])
    assert only_file.glossaries.version == load_glossary_dir(glossary_dir).version
    versions = {g.version for g in only_file.glossaries.glossaries}
    assert load_glossary_csv(glossary_dir / "seed.csv").version in versions


def test_engine_failure_raises_for_the_workflow_to_retry(models_dir: Path, tmp_path: Path) -> None:
    import shutil

    broken = tmp_path / "models"
    shutil.copytree(models_dir / "tiny-zh_en", broken / "tiny-zh_en")
    (broken / "tiny-zh_en" / "model.bin").write_bytes(b"not a model")
    service = TranslationService(ModelCatalog.scan(broken))
    with pytest.raises(RuntimeError):
        service.translate(TranslateRequest(text="轴承", source="zh", target="en"))


def test_glossary_edits_go_live_through_the_registry(models_dir: Path, tmp_path: Path) -> None:
    from nlp.glossary.registry import GlossaryRegistry
    from nlp.translate.glossary_source import PeriodicRefresh

    folder = tmp_path / "glossaries"
    folder.mkdir()
    (folder / "machinery.csv").write_text("domain,zh,en\nmachinery,轴承,bearing\n", encoding="utf-8")
    registry = GlossaryRegistry(folder)
    registry.refresh()
    service = TranslationService(ModelCatalog.scan(models_dir), PeriodicRefresh(registry, interval_s=0),
                                 LruMemory())
    req = TranslateRequest(text="轴承", source="zh", target="en", industry="machinery")
    before = service.translate(req)
    (folder / "machinery.csv").write_text("domain,zh,en\nmachinery,轴承,rolling bearing\n", encoding="utf-8")
    after = service.translate(req)
    assert (before.text, after.text) == ("Bearing", "Rolling bearing")
    assert before.glossary_version != after.glossary_version  # so the memory did not serve "Bearing"
