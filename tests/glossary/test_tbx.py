"""TBX import/export: lossless CSV -> TBX -> CSV, and tolerant import of other tools' files."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.glossary.loader import load_glossary_csv
from nlp.glossary.model import Concept, Glossary
from nlp.glossary.tbx import TbxError, dump_glossary_csv, export_tbx, import_tbx
from nlp.glossary.validate import validate_glossary_bytes
from tests.glossary.conftest import SEED_FILES


@pytest.mark.parametrize("version", ["2", "3"])
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_seed_round_trip_is_byte_identical(path: Path, version: str) -> None:
    glossary = load_glossary_csv(path)
    imported = import_tbx(export_tbx(glossary, version), glossary.name)  # type: ignore[arg-type]
    assert imported.warnings == []
    assert dump_glossary_csv(imported.languages, imported.concepts) == path.read_text(encoding="utf-8")


def test_note_dnt_domain_and_gaps_survive() -> None:
    concepts = [
        Concept(domain="electronics", terms={"zh": "芯片", "en": "chip"}, note="semiconductor, not food",
                line=2),
        Concept(domain="general", terms={"zh": "FOB", "en": "FOB", "de": "FOB"}, note="Incoterms 2020",
                do_not_translate=True, line=3),
        Concept(domain="machinery", terms={"de": "Lager", "en": "bearing"}, line=4),
    ]
    glossary = Glossary(name="mixed", path="mixed.csv", languages=["zh", "en", "de"], concepts=concepts,
                        version="x")
    xml = export_tbx(glossary)
    assert b'<admin type="x-doNotTranslate">true</admin>' in xml
    assert b'<descrip type="subjectField">machinery</descrip>' in xml
    imported = import_tbx(xml, "mixed")
    assert imported.languages == ["zh", "en", "de"]
    assert imported.concepts == concepts


SUPPLIER_TBX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en-US">
  <text><body>
    <termEntry id="t1">
      <descripGrp><descrip type="subjectField">Electronics</descrip></descripGrp>
      <langSet xml:lang="en-US">
        <ntig><termGrp><term>capacitor</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termGrp></ntig>
        <tig><term>condenser</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
      </langSet>
      <langSet xml:lang="de-DE"><tig><term>Kondensator</term></tig><tig><term>Elko</term></tig></langSet>
      <langSet xml:lang="zh-CN"><tig><term>电容器</term></tig></langSet>
    </termEntry>
    <termEntry id="t2"><langSet xml:lang="fr"><tig><term>  </term></tig></langSet></termEntry>
  </body></text>
</martif>"""


def test_import_of_a_cat_tool_tbx_v2() -> None:
    imported = import_tbx(SUPPLIER_TBX.encode(), "supplier", default_domain="general")
    assert imported.languages == ["zh", "en", "de"]  # regional tags folded, customer languages first
    [concept] = imported.concepts
    assert concept.domain == "electronics"
    # The deprecated "condenser" is skipped; the first admitted German term is kept.
    assert concept.terms == {"en": "capacitor", "de": "Kondensator", "zh": "电容器"}
    assert any("Elko" in w for w in imported.warnings)
    assert any("t2" in w for w in imported.warnings)


def test_import_of_tbx_v3_with_namespace() -> None:
    xml = """<?xml version="1.0"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
  <tbxHeader><fileDesc><sourceDesc><p>from a CAT tool</p></sourceDesc></fileDesc></tbxHeader>
  <text><body><conceptEntry id="c9">
    <note>hydraulics</note>
    <langSec xml:lang="en"><termSec><term>hydraulic pump</term></termSec></langSec>
    <langSec xml:lang="ja"><termSec><term>油圧ポンプ</term></termSec></langSec>
  </conceptEntry></body></text>
</tbx>"""
    imported = import_tbx(xml.encode(), "pumps", default_domain="machinery")
    assert imported.concepts[0].model_dump(exclude={"line"}) == {
        "domain": "machinery", "terms": {"en": "hydraulic pump", "ja": "油圧ポンプ"}, "note": "hydraulics",
        "do_not_translate": False}


def test_entity_declarations_and_malformed_xml_are_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><martif>&b;</martif>'
    with pytest.raises(TbxError, match="ENTITY"):
        import_tbx(bomb, "bomb")
    with pytest.raises(TbxError, match="line 1"):
        import_tbx(b"<martif><text>", "broken")
    with pytest.raises(TbxError, match="expected <martif>"):
        import_tbx(b"<html/>", "html")


_TERM = st.text(alphabet=st.characters(categories=["L", "N"], max_codepoint=0x9FFF), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_TERM, _TERM, st.sampled_from(["", "a note", "x, y; z"]), st.booleans()),
                min_size=1, max_size=12, unique_by=(lambda r: r[0].casefold(), lambda r: r[1].casefold())))
def test_property_any_valid_glossary_round_trips(rows) -> None:  # type: ignore[no-untyped-def]
    concepts = [Concept(domain="general", terms={"zh": zh, "en": en}, note=note, do_not_translate=dnt, line=i)
                for i, (zh, en, note, dnt) in enumerate(rows, start=2)]
    csv_text = dump_glossary_csv(["zh", "en"], concepts)
    report = validate_glossary_bytes(csv_text.encode(), "p.csv")
    if report.glossary is None:  # e.g. NFKC folding made two generated terms equal: not a round-trip case
        assert any(i.code == "duplicate-term" for i in report.errors)
        return
    imported = import_tbx(export_tbx(report.glossary), "p")
    assert dump_glossary_csv(imported.languages, imported.concepts) == csv_text
