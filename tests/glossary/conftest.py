"""Glossary fixtures: the shipped term bases and a helper that writes CSV bytes to a temp file."""

from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
GLOSSARIES_DIR = REPO_ROOT / "glossaries"
SEED_FILES = sorted(GLOSSARIES_DIR.glob("*.csv"))
HEADER = "domain,zh,en,ja,note,dnt\n"


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[[str | bytes, str], Path]:
    def write(content: str | bytes, name: str = "test.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return write
