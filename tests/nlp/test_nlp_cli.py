"""`lingodesk detect` and `lingodesk classifier train`."""

import io
import json
from pathlib import Path

import pytest

from cli.main import main
from nlp import factory
from runtime import settings as runtime_settings


@pytest.fixture
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LINGODESK_DATA_DIR", str(tmp_path))
    runtime_settings.get_settings.cache_clear()
    factory.reset()
    yield tmp_path
    runtime_settings.get_settings.cache_clear()
    factory.reset()


def test_detect_prints_language_and_confidence_per_stdin_line(
        isolated_settings: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("退款\n환불\nDanke!\n\n12345\nWhere is my parcel?\n"))
    assert main(["detect"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [lang for lang, _ in rows] == ["zh", "ko", "de", "und", "und", "en"]
    assert all(0.0 <= float(conf) <= 1.0 for _, conf in rows)
    assert rows[3][1] == "0.000"


def test_detect_takes_texts_and_a_prior_and_can_print_json(
        isolated_settings: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["detect", "--json", "--prior", "ja,ja", "返金"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["language"], result["reliable"], result["script"]) == ("ja", True, "Hani")


def test_classifier_train_writes_the_model_with_corrections(
        isolated_settings: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corrections = isolated_settings / "corrections.jsonl"
    corrections.write_text('{"text": "der Flux-Kompensator brummt", "domain": "technical_support", '
                           '"language": "de"}\n', encoding="utf-8")
    assert main(["classifier", "train", "--corrections", str(corrections)]) == 0
    assert "and 1 corrected tickets" in capsys.readouterr().out
    assert (isolated_settings / "models" / "request_domain.bin").exists()
    languages = json.loads((isolated_settings / "models" / "request_domain.languages.json").read_text())
    assert languages["de"] >= 3


def test_classifier_train_rejects_a_bad_corrections_file(
        isolated_settings: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = isolated_settings / "bad.csv"
    bad.write_text("text,domain\nhello,refunds\n", encoding="utf-8")
    assert main(["classifier", "train", "--corrections", str(bad)]) == 2
    assert "bad.csv:2" in capsys.readouterr().err
    assert not (isolated_settings / "models" / "request_domain.bin").exists()
