"""`lingodesk report ...`: rollup on demand and reports as CSV on stdout."""

import csv
import io

import pytest

from cli.main import main
from runtime.settings import get_settings
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from tests.reports.dataset import seed


def test_rollup_then_csv(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    upgrade(sqlite_url)
    with make_session_factory(make_engine(sqlite_url)).begin() as session:
        seed(session)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    try:
        assert main(["report", "rollup"]) == 0
        assert capsys.readouterr().out.startswith("6 tickets, 3 days")
        two_days = ["--start", "2026-03-02", "--end", "2026-03-03"]
        assert main(["report", "agents", "--language", "en", *two_days]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    finally:
        get_settings.cache_clear()
    assert [(r["key"], r["tickets"], float(r["handled_per_day"])) for r in rows] == [("amy", "2", 1.0)]
