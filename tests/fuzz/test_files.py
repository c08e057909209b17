"""Glossary and template files: huge ones load, malformed ones fail with an error naming the file."""

import csv
import io
from pathlib import Path

import pytest

from nlp.glossary.loader import GlossaryFormatError, load_glossary_csv
from nlp.glossary.validate import validate_glossary_file
from templates.loader import CatalogError, load_catalog
from tests.chaos import figures

TERMS = 10_000


def test_ten_thousand_glossary_terms_load_and_validate(tmp_path: Path) -> None:
    figures.add("bad inputs")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["domain", "zh", "en", "de"])
    for i in range(TERMS):
        writer.writerow(["general", f"术语{i}", f"term {i}", f"Begriff {i}"])
    path = tmp_path / "big.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    glossary = load_glossary_csv(path)
    assert len(glossary.concepts) == TERMS
    report = validate_glossary_file(path)
    assert report is not None


MALFORMED_GLOSSARIES = {
    "empty.csv": b"",
    "latin1.csv": "domain,de\ngeneral,Gr\xfc\xdfe\n".encode("latin-1"),
    "no_domain.csv": b"zh,en\n\xe8\xae\xa2\xe5\x8d\x95,order\n",
    "binary.csv": bytes(range(256)),
}


@pytest.mark.parametrize("name", sorted(MALFORMED_GLOSSARIES))
def test_malformed_glossary_names_the_file(name: str, tmp_path: Path) -> None:
    figures.add("bad inputs")
    path = tmp_path / name
    path.write_bytes(MALFORMED_GLOSSARIES[name])
    with pytest.raises(GlossaryFormatError, match=name):
        load_glossary_csv(path)


MALFORMED_TEMPLATES = {
    "not_yaml.yaml": "name: [unclosed\n  text: {{",
    "a_list.yaml": "- just\n- a list\n",
    "no_text.yaml": "name: greeting\n",
    "bad_placeholder.yaml": "name: x\nsource_language: zh\ntext: 'Hallo {{ name'\n",
    "binary.yaml": "\x00\x01\x02",
}


@pytest.mark.parametrize("name", sorted(MALFORMED_TEMPLATES))
def test_malformed_template_is_reported(name: str, tmp_path: Path) -> None:
    figures.add("bad inputs")
    (tmp_path / name).write_text(MALFORMED_TEMPLATES[name], encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path)
    assert name in str(info.value)
