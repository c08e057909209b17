"""Fuzz suite hooks: the reliability figures in the terminal summary."""

from typing import Any

from tests.chaos import figures


def pytest_terminal_summary(terminalreporter: Any) -> None:
    figures.report(terminalreporter)
