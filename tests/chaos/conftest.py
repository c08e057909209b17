"""Chaos suite fixtures (models both ways, an SMTP sink) and the reliability figures in the summary."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from runtime.devserver import free_port
from tests.channels.conftest import SmtpSink
from tests.chaos import figures


def pytest_terminal_summary(terminalreporter: Any) -> None:
    figures.report(terminalreporter)


@pytest.fixture(scope="session")
def chaos_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tiny real CTranslate2 models both ways (de->zh in, zh->de out), so replies are translated and sent."""
    from tests.helpers.tiny_ct2 import build_tiny_model

    root = tmp_path_factory.mktemp("chaos-models")
    build_tiny_model(root, "de", "zh")
    build_tiny_model(root, "zh", "de")
    return root


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A loopback SMTP server counting what the worker really mails."""
    sink = SmtpSink("127.0.0.1", free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def smtp_env(sink: SmtpSink) -> dict[str, str]:
    return {
        "LINGODESK_SMTP_HOST": sink.host,
        "LINGODESK_SMTP_PORT": str(sink.port),
        "LINGODESK_SMTP_SECURITY": "none",
        "LINGODESK_MAIL_DOMAIN": "lingodesk.test",
    }
