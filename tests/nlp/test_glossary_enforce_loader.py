"""The shared glossary model and CSV loader (issue #5 builds validation/TBX on top of them)."""

from pathlib import Path

import pytest

from nlp.glossary.loader import GlossaryFormatError, load_glossary_csv, load_glossary_dir


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_csv_rows_become_concepts(tmp_path: Path) -> None:
    path = write(tmp_path / "machinery.csv",
                 "\ufeffdomain,zh,en,ja,note,dnt\n"
                 "machinery,轴承,bearing,ベアリング,,\n"
                 "\n"
                 "# a comment row\n"
                 "general,乐享,,,brand,yes\n"
                 ",电机,motor,,,\n")
    glossary = load_glossary_csv(path)
    assert glossary.name == "machinery" and glossary.languages == ["zh", "en", "ja"]
    assert [(c.domain, c.terms, c.line) for c in glossary.concepts] == [
        ("machinery", {"zh": "轴承", "en": "bearing", "ja": "ベアリング"}, 2),
        ("general", {"zh": "乐享"}, 5),
        ("general", {"zh": "电机", "en": "motor"}, 6),
    ]
    assert glossary.concepts[1].do_not_translate and glossary.concepts[1].note == "brand"
    assert len(glossary.version) == 16


def test_version_follows_the_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", "domain,zh,en\ngeneral,轴承,bearing\n")
    first = load_glossary_csv(path).version
    write(path, "domain,zh,en\ngeneral,轴承,bearings\n")
    assert load_glossary_csv(path).version != first


def test_bad_files_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(GlossaryFormatError, match="first column must be 'domain'"):
        load_glossary_csv(write(tmp_path / "a.csv", "zh,en\n轴承,bearing\n"))
    with pytest.raises(GlossaryFormatError, match="empty file"):
        load_glossary_csv(write(tmp_path / "b.csv", ""))
    with pytest.raises(GlossaryFormatError, match="not UTF-8"):
        load_glossary_csv(write(tmp_path / "c.csv", "domain,zh\ngeneral,轴承\n", encoding="gb18030"))


def test_set_selects_general_plus_industry_or_domain(tmp_path: Path) -> None:
    write(tmp_path / "electronics.csv",
          "domain,zh,en\nelectronics,电容,capacitor\ngeneral,售后,after-sales\n")
    write(tmp_path / "shared.csv", "domain,zh,en\nmachinery,轴承,bearing\nlogistics,快递,courier\n")
    glossaries = load_glossary_dir(tmp_path)
    assert len(glossaries) == 2 and len(glossaries.version) == 16

    def targets(domain: str | None, industry: str | None) -> set[str]:
        return {c.terms["en"] for c in glossaries.select(domain, industry)}

    assert targets(None, None) == {"after-sales"}
    assert targets(None, "electronics") == {"capacitor", "after-sales"}
    assert targets("logistics", "machinery") == {"after-sales", "bearing", "courier"}
    assert load_glossary_dir(tmp_path / "missing").version == ""
