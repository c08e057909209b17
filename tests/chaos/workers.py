"""The real worker as a child process (so it can be SIGKILLed) and waits on ticket state."""

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.status import TicketStatus
from domain.ticket import TicketState
from runtime.tickets import get_snapshot

ROOT = Path(__file__).resolve().parents[2]


def address_of(target: WorkflowEnvironment | Client | str) -> str:
    if isinstance(target, str):
        return target
    client = target.client if isinstance(target, WorkflowEnvironment) else target
    return client.service_client.config.target_host


def spawn_worker(
    target: WorkflowEnvironment | Client | str,
    db_url: str,
    models: Path,
    data: Path,
    extra_env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """`python worker.py` (both task queues) against the server at `target`."""
    environ = {
        **os.environ,
        "TEMPORAL_ADDRESS": address_of(target),
        "DATABASE_URL": db_url,
        "LINGODESK_MODELS_DIR": str(models),
        "LINGODESK_DATA_DIR": str(data),
        **(extra_env or {}),
    }
    return subprocess.Popen(
        [sys.executable, "worker.py"],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def sigkill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()


async def wait_state(
    client: Client, ticket_id: str, ok: Callable[[TicketState], bool], what: str, tries: int = 1500
) -> TicketState:
    """Poll the ticket's snapshot (0.1 s apart) until `ok(state)`; fail naming `what`."""
    state: TicketState | None = None
    for _ in range(tries):
        try:
            state = await get_snapshot(client, ticket_id)
        except Exception:  # no worker to answer the query right now (it is being killed)
            state = None
        if state is not None and ok(state):
            return state
        await asyncio.sleep(0.1)
    raise AssertionError(f"{ticket_id}: {what} not reached (last status {state and state.status})")


async def wait_status(
    env: WorkflowEnvironment | Client, ticket_id: str, status: TicketStatus, tries: int = 1500
) -> TicketState:
    client = env.client if isinstance(env, WorkflowEnvironment) else env
    return await wait_state(
        client,
        ticket_id,
        lambda s: s.status is status and s.accepting_actions,
        f"status {status}",
        tries,
    )
