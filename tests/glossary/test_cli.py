"""`lingodesk glossary validate|import|export|status` end to end on temporary files."""

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.commands import glossary as glossary_cmd
from runtime.settings import get_settings
from tests.glossary.conftest import HEADER, SEED_FILES


def run_cli(argv: list[str]) -> int:
    # Only this command: cli.main imports every command module, some owned elsewhere.
    parser = argparse.ArgumentParser(prog="lingodesk")
    glossary_cmd.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


@pytest.fixture
def settings_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    gdir = tmp_path / "glossaries"
    gdir.mkdir()
    monkeypatch.setenv("LINGODESK_GLOSSARIES_DIR", str(gdir))
    monkeypatch.setenv("LINGODESK_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield gdir
    get_settings.cache_clear()


def test_command_is_registered() -> None:
    from cli.main import COMMAND_MODULES

    assert "cli.commands.glossary" in COMMAND_MODULES


def test_validate_reports_and_fails_on_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    rows = "general,订单号,order number,注文番号,,\ngeneral,订单编号,order number,注文No,,\n"
    bad.write_text(HEADER + rows, encoding="utf-8")
    assert run_cli(["glossary", "validate", str(SEED_FILES[0]), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{SEED_FILES[0]}: ok" in out
    assert f"{bad}:3:3: error: duplicate-term [en]" in out
    assert f"{bad}: REJECTED (1 errors)" in out


def test_validate_defaults_to_the_glossaries_directory(settings_env: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = settings_env / "general.csv"
    path.write_text(HEADER + "general,运费,shipping cost,送料,,\n", encoding="utf-8")
    assert run_cli(["glossary", "validate"]) == 0
    assert "general.csv: ok, 1 concepts" in capsys.readouterr().out


def test_export_then_import_gives_the_same_csv(tmp_path: Path) -> None:
    source = next(p for p in SEED_FILES if p.stem == "machinery")
    tbx, back = tmp_path / "machinery.tbx", tmp_path / "out" / "machinery.csv"
    assert run_cli(["glossary", "export", str(source), "-o", str(tbx), "--tbx-version", "3"]) == 0
    assert b"<conceptEntry" in tbx.read_bytes()
    assert run_cli(["glossary", "import", str(tbx), "-o", str(back)]) == 0
    assert back.read_bytes() == source.read_bytes()


def test_import_refuses_a_tbx_that_would_make_a_broken_glossary(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    tbx = tmp_path / "dup.tbx"
    entry = '<termEntry><langSet xml:lang="en"><tig><term>chip</term></tig></langSet></termEntry>'
    body = f"<text><body>{entry}{entry}</body></text>"
    tbx.write_text(f'<martif type="TBX-Basic">{body}</martif>', encoding="utf-8")
    out = tmp_path / "dup.csv"
    assert run_cli(["glossary", "import", str(tbx), "-o", str(out)]) == 1
    assert "duplicate-term" in capsys.readouterr().err
    assert not out.exists()


def test_export_refuses_a_broken_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("domain,zh,klingon\ngeneral,订单,x\n", encoding="utf-8")
    assert run_cli(["glossary", "export", str(bad), "-o", str(tmp_path / "bad.tbx")]) == 1
    assert "unknown-language" in capsys.readouterr().err
    assert not (tmp_path / "bad.tbx").exists()


def test_status_shows_the_version_in_force(settings_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = settings_env / "general.csv"
    path.write_text(HEADER + "general,运费,shipping cost,送料,,\n", encoding="utf-8")
    assert run_cli(["glossary", "status"]) == 0  # records the last good copy under the data dir
    path.write_text(HEADER + "general,运费,shipping cost,送料,,maybe\n", encoding="utf-8")
    assert run_cli(["glossary", "status"]) == 0
    out = capsys.readouterr().out.splitlines()
    rejected = next(line for line in out if line.startswith("general\trejected"))
    assert "in force -" not in rejected  # the cached good version is still in force
    assert any("bad-flag" in line for line in out)
