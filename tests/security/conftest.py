"""Security fixtures: a dev server whose clients encrypt payloads, and the real workers on it.

The server is this package's own (not the session `dev_env`): its histories are ciphertext that
other suites' plain workers could not read, and its tickets must not wait on their task queues.
"""

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

import worker
from domain.status import TicketStatus
from domain.ticket import TicketState
from nlp import factory
from runtime.client import encrypted_converter
from runtime.settings import Settings
from runtime.tickets import get_snapshot
from security.keys import Keyring, build_keyring, new_key
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from tests.conftest import SEARCH_ATTRIBUTES, _binary

# Test-run throwaway keys (never a real secret): k1 is an older key still in the ring, k2 active.
KEYS_TEXT = f"k1:{new_key()}\nk2:{new_key()}"


@pytest.fixture(scope="session")
def keyring() -> Keyring:
    ring = build_keyring(KEYS_TEXT, None, None)
    assert ring is not None and ring.active_id == "k2"
    return ring


@pytest.fixture(scope="session")
async def secure_env(keyring: Keyring) -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        data_converter=encrypted_converter(keyring),
        dev_server_existing_path=_binary("temporal"),
        search_attributes=SEARCH_ATTRIBUTES,
        dev_server_log_level="warn",
    )
    yield env
    await env.shutdown()


@dataclass
class SecureStack:
    env: WorkflowEnvironment
    settings: Settings
    target: str

    @property
    def client(self) -> Client:
        return self.env.client

    def sessions(self):  # type: ignore[no-untyped-def]
        return make_session_factory(make_engine(self.settings.database_url))

    async def plain_client(self) -> Client:
        """A client without the keys: what anyone reading the server directly gets."""
        return await Client.connect(self.target, namespace="default")


@pytest.fixture
async def secure_stack(
    secure_env: WorkflowEnvironment, tiny_models_dir: Path, tmp_path: Path
) -> AsyncIterator[SecureStack]:
    """The production workers from worker.py, on the encrypting client, over a fresh SQLite store."""
    settings = Settings.model_validate(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
            "LINGODESK_MODELS_DIR": str(tiny_models_dir),
            "LINGODESK_DATA_DIR": str(tmp_path),
            "LINGODESK_PAYLOAD_KEYS": KEYS_TEXT,
        }
    )
    upgrade(settings.database_url)
    factory.reset()
    target = secure_env.client.service_client.config.target_host
    with ThreadPoolExecutor(max_workers=8) as executor:
        tickets = worker.build_ticket_worker(secure_env.client, settings, executor)
        nlp = worker.build_nlp_worker(secure_env.client, settings, executor)
        async with tickets, nlp:
            yield SecureStack(secure_env, settings, target)
        await asyncio.sleep(0)
    factory.reset()


async def wait_for_status(client: Client, ticket_id: str, status: TicketStatus) -> TicketState:
    for _ in range(600):
        state = await get_snapshot(client, ticket_id)
        if state.status is status and state.accepting_actions:
            return state
        await asyncio.sleep(0.1)
    raise AssertionError(f"{ticket_id} never reached {status}")
