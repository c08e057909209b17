"""`lingodesk template ...`: the demo works with the shipped catalog and no translation model."""

import argparse
from pathlib import Path

import pytest

from cli.commands import template as template_cmd
from runtime.settings import get_settings


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="lingodesk")
    template_cmd.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    # A database without the template_variants table and no models: the bare demo machine.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'lingodesk.db'}")
    monkeypatch.setenv("LINGODESK_MODELS_DIR", str(tmp_path / "no-models"))
    monkeypatch.setenv("LINGODESK_TRANSLATION_MEMORY", "off")
    get_settings.cache_clear()
    from nlp import factory

    factory.reset()
    yield
    factory.reset()
    get_settings.cache_clear()


def test_command_is_registered() -> None:
    from cli.main import COMMAND_MODULES

    assert "cli.commands.template" in COMMAND_MODULES


def test_render_prints_the_approved_german_text(capsys: pytest.CaptureFixture[str]) -> None:
    code = run_cli(["template", "render", "--name", "order_status", "--lang", "de",
                    "--var", "order_id=A123", "--var", "tracking_number=SF123456789"])
    captured = capsys.readouterr()
    assert code == 0 and captured.err == ""
    assert captured.out.startswith("Guten Tag,\n\nIhre Bestellung A123 wurde versandt. "
                                   "Die Sendungsnummer lautet SF123456789.")


def test_render_both_shows_the_chinese_preview(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["template", "render", "--name", "order_status", "--lang", "ko", "--both",
                    "--var", "order_id=A123", "--var", "tracking_number=SF123456789"]) == 0
    out = capsys.readouterr().out
    assert out.index("您的订单 A123 已经发货") < out.index("주문 번호: A123")


def test_no_translation_path_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = run_cli(["template", "render", "--name", "order_status", "--lang", "nl",
                    "--var", "order_id=A123", "--var", "tracking_number=SF123456789"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "no approved variant and no translation path" in captured.err
    assert "zh->nl" in captured.err


def test_missing_and_unknown_variables(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["template", "render", "--name", "order_status", "--lang", "de",
                    "--var", "order_id=A1"]) == 2
    assert "missing value for tracking_number (物流单号)" in capsys.readouterr().err
    assert run_cli(["template", "render", "--name", "order_status", "--lang", "de",
                    "--var", "order-id=A1", "--var", "tracking_number=SF1"]) == 2
    assert "unknown variable(s) ['order-id']" in capsys.readouterr().err


def test_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["template", "list", "--domain", "billing", "--lang", "th"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("refund_status\tapproved\t")
    assert run_cli(["template", "show", "presales_spec", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "{{ moq }}" in out and "fr\tapproved\tcatalog" in out


def test_approve_needs_the_variant_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = tmp_path / "nl.txt"
    text.write_text("Bestelling {{ order_id }}, trackingnummer {{ tracking_number }}.", encoding="utf-8")
    assert run_cli(["template", "approve", "--name", "order_status", "--lang", "nl", "--by", "zhang.min",
                    "--text-file", str(text)]) == 2
    assert "lingodesk db upgrade" in capsys.readouterr().err


def test_approve_then_render_reuses_the_approved_text(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    from store.db import make_engine
    from store.tables import TemplateVariantRow

    engine = make_engine(get_settings().database_url)
    TemplateVariantRow.__table__.create(engine)  # type: ignore[attr-defined]
    engine.dispose()
    text = tmp_path / "nl.txt"
    text.write_text("Goedendag,\n\nBestelling {{ order_id }} is verzonden, "
                    "trackingnummer {{ tracking_number }}.", encoding="utf-8")
    assert run_cli(["template", "approve", "--name", "order_status", "--lang", "nl", "--by", "zhang.min",
                    "--text-file", str(text)]) == 0
    assert "approved by zhang.min (revision 1)" in capsys.readouterr().out
    assert run_cli(["template", "render", "--name", "order_status", "--lang", "nl",
                    "--var", "order_id=A123", "--var", "tracking_number=SF123456789"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "Goedendag,\n\nBestelling A123 is verzonden, trackingnummer SF123456789.\n"
    assert captured.err == ""
