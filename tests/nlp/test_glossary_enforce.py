"""Glossary enforcement: term matching, protected spans, placeholder restore, and the fallbacks
when a (tiny, real) model mangles placeholders."""

from pathlib import Path

import pytest

from domain.nlp import TranslateRequest, TranslationState
from nlp.glossary.model import Concept, Glossary, GlossarySet
from nlp.translate.catalog import ModelCatalog
from nlp.translate.enforce import applied_terms, mask_sentence, term_present
from nlp.translate.memory import NoMemory
from nlp.translate.placeholders import STYLES, intact
from nlp.translate.protect import SpanKind, find_code_spans, find_strong_spans
from nlp.translate.restore import pluralize, restore
from nlp.translate.service import TranslationService
from nlp.translate.terms import TermMatcher, fold
from tests.helpers.tiny_ct2 import build_tiny_model, train_tiny_spm

TERM = STYLES["term"]


def concept(domain: str, dnt: bool = False, **terms: str) -> Concept:
    return Concept(domain=domain, terms=terms, do_not_translate=dnt)


CONCEPTS = [
    concept("machinery", zh="轴承", en="bearing"),
    concept("machinery", zh="滚珠轴承", en="ball bearing"),
    concept("machinery", zh="M8螺丝", en="M8 screw"),
    concept("electronics", zh="PCB板", en="circuit board"),
    concept("electronics", zh="电容", en="capacitor"),
    concept("electronics", zh="主板", en="motherboard"),
    concept("machinery", zh="减速机", en="gear reducer"),
    concept("electronics", zh="充电器", en="charger"),
    concept("general", zh="乐享", en="", dnt=True),
    concept("general", zh="齿轮", en="gear"),
    concept("machinery", zh="齿轮", en="toothed gear"),
    concept("electronics", zh="固件", en="firmware"),
]


def test_longest_match_first_and_no_overlaps() -> None:
    matcher = TermMatcher(CONCEPTS, "zh", "en")
    found = matcher.find("滚珠轴承和轴承")
    assert [(m.start, m.end, m.entry.target) for m in found] == [(0, 4, "ball bearing"), (5, 7, "bearing")]


def test_width_and_case_insensitive_match_keeps_original_offsets() -> None:
    matcher = TermMatcher(CONCEPTS, "zh", "en")
    text = "这块ｐｃｂ板坏了"
    (match,) = matcher.find(text)
    assert text[match.start:match.end] == "ｐｃｂ板" and match.entry.target == "circuit board"


def test_industry_specific_concept_beats_general_for_the_same_term() -> None:
    matcher = TermMatcher(CONCEPTS, "zh", "en")
    assert [m.entry.target for m in matcher.find("齿轮")] == ["toothed gear"]


def test_english_source_matches_on_word_boundaries_and_plurals() -> None:
    concepts = [concept("machinery", en="gear", zh="齿轮"), concept("machinery", en="gearbox", zh="齿轮箱")]
    matcher = TermMatcher(concepts, "en", "zh")
    found = matcher.find("The Gears and the gearbox; no geared motor")
    assert [(m.entry.source, m.start, m.end) for m in found] == [("gear", 4, 9), ("gearbox", 18, 25)]


def test_terms_without_a_target_translation_are_not_applied() -> None:
    matcher = TermMatcher([concept("machinery", zh="轴承", en="bearing")], "zh", "de")
    assert not matcher and matcher.find("轴承") == []


def test_protected_spans_are_found() -> None:
    text = ("订单SF123456789金额¥1,299.00和USD 20，于2024-05-01发货，型号XL-2000，"
            "见https://example.com/a?b=1。邮件 a.b@example.co.uk；100元和3个")
    strong = find_strong_spans(text)
    got = {(s.kind, text[s.start:s.end]) for s in strong}
    assert got == {(SpanKind.AMOUNT, "¥1,299.00"), (SpanKind.AMOUNT, "USD 20"), (SpanKind.DATE, "2024-05-01"),
                   (SpanKind.URL, "https://example.com/a?b=1"), (SpanKind.EMAIL, "a.b@example.co.uk")}
    codes = {text[s.start:s.end] for s in find_code_spans(text, [(s.start, s.end) for s in strong])}
    assert codes == {"SF123456789", "XL-2000"}  # "100" and "3" are quantities, not codes


def test_glossary_term_wins_over_a_code_inside_it() -> None:
    matcher = TermMatcher(CONCEPTS, "zh", "en")
    masked, terms = mask_sentence("请寄两个M8螺丝和订单ORD-20240501", matcher, TERM)
    assert [t.entry.target for t in terms] == ["M8 screw"]
    assert masked.text == "请寄两个TERM0和订单TERM1"
    assert [(s.kind, s.value, s.inflect) for s in masked.slots] == [("term", "M8 screw", True),
                                                                     ("code", "ORD-20240501", False)]


def test_do_not_translate_terms_keep_the_customers_spelling() -> None:
    matcher = TermMatcher(CONCEPTS, "zh", "en")
    masked, _ = mask_sentence("乐享充电器", matcher, TERM)
    assert [(s.value, s.inflect) for s in masked.slots] == [("乐享", False), ("charger", True)]


@pytest.mark.parametrize(("output", "expected"), [
    ("TERM0 is broken.", "Bearing is broken."),
    ("The TERM0s are broken.", "The bearings are broken."),
    ("We need 3 TERM0 today.", "We need 3 bearings today."),
    ("Two TERM0 are broken.", "Two bearings are broken."),
    ("It is a TERM0.", "It is a bearing."),
    ("Term 0 broke, see TERM1.", "Bearing broke, see SF123456789."),
])
def test_restore_inflects_terms_but_never_protected_text(output: str, expected: str) -> None:
    masked, _ = mask_sentence("轴承坏了SF123456789", TermMatcher(CONCEPTS, "zh", "en"), TERM)
    # Intact means every slot exactly once: outputs without the code's placeholder are not.
    assert intact(output, masked, TERM) == ("TERM1" in output)
    assert restore(output, masked, TERM, "en") == expected


def test_restore_fixes_the_article_for_the_term() -> None:
    matcher = TermMatcher([concept("electronics", zh="逆变器", en="inverter")], "zh", "en")
    masked, _ = mask_sentence("逆变器", matcher, TERM)
    expected = "It is an inverter. An inverter again"
    assert restore("It is a TERM0. A TERM0 again", masked, TERM, "en") == expected


def test_restore_into_a_language_without_spaces() -> None:
    matcher = TermMatcher([concept("machinery", en="bearing", zh="轴承")], "en", "zh")
    masked, _ = mask_sentence("the bearing is broken", matcher, TERM)
    assert restore("这个 TERM0 坏了", masked, TERM, "zh") == "这个轴承坏了"


def test_pluralize() -> None:
    assert [pluralize(w) for w in ["bearing", "gear reducer", "fuse", "switch", "battery", "key", "PCB"]] == [
        "bearings", "gear reducers", "fuses", "switches", "batteries", "keys", "PCBs"]


def test_adherence_reports_missing_terms() -> None:
    matcher = TermMatcher(CONCEPTS, "zh", "en")
    _, terms = mask_sentence("电容和主板", matcher, TERM)
    report = applied_terms(terms, "The capacitors are fine, the main board is not.", "en")
    assert [(t.target, t.present) for t in report] == [("capacitor", True), ("motherboard", False)]
    assert term_present("ＢＥＡＲＩＮＧＳ", "bearing", "en") and fold("ＡＢ") == "ab"


# --- placeholders that a real model mangles ----------------------------------------------------

@pytest.fixture(scope="module")
def spm_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_tiny_spm(tmp_path_factory.mktemp("spm") / "tiny")


def _service(root: Path, token_map: dict[str, str], spm_model: Path) -> TranslationService:
    build_tiny_model(root, "zh", "en", token_map=token_map, spm_model=spm_model)
    glossary = Glossary(name="seed", path="seed.csv", languages=["zh", "en"], concepts=CONCEPTS, version="v1")
    return TranslationService(ModelCatalog.scan(root), GlossarySet([glossary]), NoMemory())


def test_second_placeholder_style_when_the_first_is_mangled(tmp_path: Path, spm_model: Path) -> None:
    # The model turns every "M" into "W": "TERM0" comes back as "TERW0"; "ZZ0Z" survives.
    service = _service(tmp_path, {"M": "W"}, spm_model)
    result = service.translate(TranslateRequest(text="请检查电容和订单SF123456789", source="zh", target="en",
                                                industry="electronics"))
    assert result.text == "请检查capacitor和订单SF123456789"
    assert "around" not in result.detail


def test_translating_around_the_term_when_every_placeholder_is_mangled(tmp_path: Path,
                                                                       spm_model: Path) -> None:
    service = _service(tmp_path, {"M": "W", "Z": "Y"}, spm_model)
    text = "请检查电容，订单SF123456789明天发货。"
    result = service.translate(TranslateRequest(text=text, source="zh", target="en", industry="electronics"))
    assert result.state == TranslationState.TRANSLATED
    assert "capacitor" in (result.text or "") and "SF123456789" in (result.text or "")
    # Pieces between the slots went through the (copy) model one by one and were rejoined.
    assert result.text == "请检查 capacitor ，订单 SF123456789 明天发货。"
    assert "1 sentences translated around their terms" in result.detail
    assert [(t.target, t.present) for t in result.applied_terms] == [("capacitor", True)]


def test_protected_span_the_model_changes_is_retranslated_behind_a_placeholder(tmp_path: Path,
                                                                             spm_model: Path) -> None:
    # The model turns every "9" into "8": sent as written, "SF123456789" would come back wrong, so
    # the sentence is translated again with the span behind a placeholder.
    service = _service(tmp_path, {"9": "8"}, spm_model)
    result = service.translate(TranslateRequest(text="订单SF123456789发货了，一共9个。", source="zh",
                                                target="en"))
    assert result.text == "订单SF123456789发货了，一共8个。"


def test_restore_separates_words_the_model_glued_to_a_placeholder() -> None:
    masked, _ = mask_sentence("减速机漏油", TermMatcher(CONCEPTS, "zh", "en"), TERM)
    assert restore("TERM0oil leak", masked, TERM, "en") == "Gear reducer oil leak"
    assert restore("The TERM0's oil", masked, TERM, "en") == "The gear reducer's oil"
