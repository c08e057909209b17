"""The shipped term bases: complete, valid, and read the same by the validator and the loader."""

import pytest

from nlp.glossary.loader import load_glossary_csv
from nlp.glossary.validate import validate_glossary_file
from tests.glossary.conftest import SEED_FILES

LANGUAGES = ["zh", "en", "ja", "ko", "th", "es", "de", "fr", "pt", "ar", "vi", "ru"]


def test_the_four_term_bases_ship() -> None:
    assert [p.stem for p in SEED_FILES] == ["electronics", "general", "light_industry", "machinery"]


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_seed_file_is_valid_large_and_multilingual(path) -> None:  # type: ignore[no-untyped-def]
    report = validate_glossary_file(path)
    assert report.errors == []
    glossary = report.glossary
    assert glossary is not None
    assert glossary.languages == LANGUAGES
    assert len(glossary.concepts) >= 80
    assert {c.domain for c in glossary.concepts} == {path.stem}
    translated = [c for c in glossary.concepts if not c.do_not_translate]
    # Nearly every concept is named in all twelve languages (a few have no standard term in one).
    full = [c for c in translated if len(c.terms) == len(LANGUAGES)]
    assert len(full) >= 0.95 * len(translated)
    assert any(c.do_not_translate for c in glossary.concepts), "brand/standard names flagged dnt"


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_validator_builds_exactly_what_the_loader_reads(path) -> None:  # type: ignore[no-untyped-def]
    assert validate_glossary_file(path).glossary == load_glossary_csv(path)


def _concept(glossary_name: str, zh: str):  # type: ignore[no-untyped-def]
    glossary = load_glossary_csv(next(p for p in SEED_FILES if p.stem == glossary_name))
    return next(c for c in glossary.concepts if c.terms.get("zh") == zh)


def test_seed_examples_from_the_issue() -> None:
    chip = _concept("electronics", "芯片")
    assert (chip.terms["en"], chip.terms["ko"], chip.terms["ja"]) == ("chip", "칩", "チップ")
    bearing = _concept("machinery", "轴承")
    expected = ("bearing", "베어링", "ベアリング")
    assert (bearing.terms["en"], bearing.terms["ko"], bearing.terms["ja"]) == expected


def test_general_terms_for_e_commerce_and_logistics() -> None:
    expected = {"物流单号": "tracking number", "清关": "customs clearance", "退货标签": "return label",
                "保修": "warranty"}
    for zh, en in expected.items():
        assert _concept("general", zh).terms["en"] == en


def test_dnt_rows_keep_one_form_in_every_language() -> None:
    glossary = load_glossary_csv(next(p for p in SEED_FILES if p.stem == "general"))
    fob = next(c for c in glossary.concepts if c.terms.get("en") == "FOB")
    assert fob.do_not_translate
    assert set(fob.terms.values()) == {"FOB"}
    assert "Incoterms" in fob.note
