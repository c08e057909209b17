"""`lingodesk agents ...` against a SQLite store."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.main import main
from runtime.settings import get_settings
from store.db import make_engine, make_session_factory
from store.seed import seed_demo
from store.tables import Base

YAML = """
agents:
  - agent_id: ploy.c
    name: Ploy C.
    team_id: manila
    languages: "th:5;zh:4"
    domains: [after_sales]
    timezone: Asia/Bangkok
    working_hours: "mon-fri 08:30-17:30"
    capacity: 4
"""


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    seed_demo(make_session_factory(engine))
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_import_list_presence_accuracy(store_url: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "agents.yaml"
    good.write_text(YAML, encoding="utf-8")
    assert main(["agents", "import", str(good), "--dry-run"]) == 0
    assert "dry run" in capsys.readouterr().out
    assert main(["agents", "import", str(good)]) == 0
    assert "imported 0 teams, 1 agents" in capsys.readouterr().out

    assert main(["agents", "list", "--team", "manila"]) == 0
    lines = capsys.readouterr().out.splitlines()
    ploy = next(line for line in lines if line.startswith("ploy.c"))
    assert "offline" in ploy and "0/4" in ploy and "th:5" in ploy

    assert main(["agents", "presence", "ploy.c", "online", "--no-nudge"]) == 0
    assert "ploy.c is online" in capsys.readouterr().out
    assert main(["agents", "presence", "nobody", "away"]) == 1

    assert main(["agents", "accuracy", "--days", "7"]) == 0
    assert "n/a (0 of 0" in capsys.readouterr().out

    orphan = tmp_path / "orphan.yaml"
    orphan.write_text("agents:\n  - agent_id: z\n    team_id: atlantis\n", encoding="utf-8")
    assert main(["agents", "import", str(orphan)]) == 2
    assert "unknown team(s) atlantis" in capsys.readouterr().err

    bad = tmp_path / "bad.csv"
    bad.write_text("agent_id,languages,working_hours\nx,de:7,mon-fri 9-5\n", encoding="utf-8")
    assert main(["agents", "import", str(bad)]) == 2
    assert "agent 1 (x)" in capsys.readouterr().err
