"""`lingodesk translate` and `lingodesk models` on tiny real models."""

import argparse
import io
import json
import shutil
from pathlib import Path

import pytest

from cli.commands import models as models_cmd
from cli.commands import translate as translate_cmd
from tests.helpers.tiny_ct2 import build_tiny_model, train_tiny_spm


def run_cli(argv: list[str]) -> int:
    # Only this commands: cli.main imports every command module, some owned elsewhere.
    parser = argparse.ArgumentParser(prog="lingodesk")
    sub = parser.add_subparsers(dest="command", required=True)
    translate_cmd.register(sub)
    models_cmd.register(sub)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_models_command_is_registered() -> None:
    from cli.main import COMMAND_MODULES

    assert "cli.commands.models" in COMMAND_MODULES and "cli.commands.translate" in COMMAND_MODULES


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("models")
    spm_model = train_tiny_spm(tmp_path_factory.mktemp("spm") / "tiny")
    build_tiny_model(root, "zh", "en", spm_model=spm_model, token_map={"▁您好": "▁hello"})
    return root


def test_translate_one_line_per_line_in_order(models_dir: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    glossary = tmp_path / "g.csv"
    glossary.write_text("domain,zh,en\nmachinery,轴承,bearing\n", encoding="utf-8")
    lines = [f"您好，第{i}个轴承坏了" for i in range(40)] + ["", "订单SF123456789"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    code = run_cli(["translate", "--source", "zh", "--target", "en", "--glossary", str(glossary),
                    "--domain", "machinery", "--models-dir", str(models_dir), "--memory", "memory"])
    assert code == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"hello，第{i}个bearing坏了" for i in range(40)] + ["", "订单SF123456789"]


def test_translate_json_reports_terms(models_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    glossary = tmp_path / "g.csv"
    glossary.write_text("domain,zh,en\ngeneral,轴承,bearing\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("轴承\n"))
    assert run_cli(["translate", "--source", "zh", "--target", "en", "--glossary", str(glossary), "--json",
                    "--models-dir", str(models_dir), "--memory", "off"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["state"] == "translated" and result["applied_terms"][0]["present"] is True


def test_translate_without_a_path_fails_loudly(models_dir: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Hallo\n"))
    assert run_cli(["translate", "--source", "de", "--target", "zh", "--models-dir", str(models_dir),
                    "--memory", "off"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "no translation model for de->zh" in captured.err


def test_models_list_and_install(models_dir: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "installed"
    source = tmp_path / "src" / "tiny-zh_en"
    shutil.copytree(models_dir / "tiny-zh_en", source)
    assert run_cli(["models", "--models-dir", str(target), "install", str(source)]) == 0
    assert "installed tiny-zh_en (zh->en)" in capsys.readouterr().out
    assert run_cli(["models", "--models-dir", str(target), "install", str(source)]) == 1
    assert "already exists" in capsys.readouterr().err
    build_tiny_model(target, "en", "de", layout="argos")
    assert run_cli(["models", "--models-dir", str(target), "list", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert sorted(m["name"] for m in listing["models"]) == ["tiny-en_de", "tiny-zh_en"]
    assert listing["pivot_pairs"] == ["zh-de"]
    assert run_cli(["models", "--models-dir", str(target), "list"]) == 0
    text = capsys.readouterr().out
    assert "tiny-zh_en" in text and "via en: zh->de" in text
