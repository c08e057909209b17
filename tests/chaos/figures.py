"""Counters for the reliability figures: kills, restarts, outages, bad inputs tried, losses.

Tests in tests/chaos and tests/fuzz add to them; `report` prints them in pytest's terminal
summary so every run of the suite states what it survived (README quotes that output).
"""

from collections import Counter
from typing import Any

KINDS = ("worker kills", "server restarts", "database outages", "model outages", "bad inputs", "losses")
_counts: Counter[str] = Counter()
_printed = False


def add(kind: str, n: int = 1) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown figure {kind!r}; one of {KINDS}")
    _counts[kind] += n


def snapshot() -> dict[str, int]:
    return {kind: _counts[kind] for kind in KINDS}


def report(terminalreporter: Any) -> None:
    """Print once per run (both tests/chaos and tests/fuzz conftests call this)."""
    global _printed
    if _printed or not any(_counts.values()):
        return
    _printed = True
    terminalreporter.section("reliability figures")
    for kind, n in snapshot().items():
        terminalreporter.write_line(f"{kind}: {n}")
