"""The real pipeline: dev server, the workers from worker.py, real store, real NLP engines."""

import asyncio
import json
import subprocess
import uuid

from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from domain.actions import AssignRequest, ReplyRequest, ResolveRequest
from domain.status import TicketStatus
from domain.ticket import TicketInput, TicketState
from runtime.settings import Settings
from runtime.tickets import get_snapshot, start_ticket, ticket_handle
from store.db import make_engine, make_session_factory
from store.tables import MessageRow, OutboundRow, TicketRow
from tests.conftest import _binary
from workflows.ticket import TicketWorkflow

ISSUE_JSON = {
    "channel": "email",
    "customer": {"email": "k.weber@example.de", "name": "Klaus Weber"},
    "subject": "Gerät startet nicht",
    "body": "Guten Tag, das Gerät startet nach dem Firmware-Update nicht mehr. Bitte um Hilfe.",
}


async def wait_for(env: WorkflowEnvironment, ticket_id: str, status: TicketStatus) -> TicketState:
    for _ in range(300):
        state = await get_snapshot(env.client, ticket_id)
        if state.status is status and state.accepting_actions:
            return state
        await asyncio.sleep(0.1)
    raise AssertionError(f"{ticket_id} never reached {status}")


async def cli(env: WorkflowEnvironment, *args: str) -> str:
    """Run the `temporal` CLI in a thread: the workers answering it share this event loop."""
    address = env.client.service_client.config.target_host
    out = await asyncio.to_thread(
        subprocess.run,
        [_binary("temporal"), *args, "--address", address],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


async def test_german_ticket_end_to_end(dev_env: WorkflowEnvironment, real_workers: Settings) -> None:
    ticket_id = f"it-{uuid.uuid4().hex[:8]}"
    inp = TicketInput.model_validate(ISSUE_JSON | {"ticket_id": ticket_id})
    assert (await start_ticket(dev_env.client, inp)) == (ticket_id, True)
    assert (await start_ticket(dev_env.client, inp)) == (ticket_id, False)  # same id: no second ticket

    state = await wait_for(dev_env, ticket_id, TicketStatus.PENDING_ASSIGNMENT)
    assert state.language == "de" and state.detection.confidence > 0.5
    first = state.messages[0]
    assert first.translation_state == "translated" and first.model_id
    assert first.translated_text

    handle = ticket_handle(dev_env.client, ticket_id)
    _ = await handle.execute_update(
        TicketWorkflow.assign, AssignRequest(agent_id="lukas.meyer", by="zhang.min")
    )
    _ = await handle.execute_update(
        TicketWorkflow.reply, ReplyRequest(agent_id="lukas.meyer", text="请重启设备。")
    )
    for _ in range(100):
        state = await get_snapshot(dev_env.client, ticket_id)
        if state.messages[-1].delivery == "sent":
            break
        await asyncio.sleep(0.1)
    reply = state.messages[-1]
    # Only de->zh is installed: the reply is held with an explicit reason, never sent untranslated.
    assert reply.delivery == "held" and "zh->de" in reply.delivery_detail

    _ = await handle.execute_update(
        TicketWorkflow.resolve, ResolveRequest(by="lukas.meyer", resolution="ok")
    )
    sessions = make_session_factory(make_engine(real_workers.database_url))
    for _ in range(100):
        with sessions() as session:
            row = session.get(TicketRow, ticket_id)
            if row is not None and row.status == "closed":
                break
        await asyncio.sleep(0.1)
    with sessions() as session:
        row = session.get(TicketRow, ticket_id)
        assert row is not None and row.status == "closed" and row.language == "de"
        messages = session.scalars(select(MessageRow).where(MessageRow.ticket_id == ticket_id)).all()
        assert [m.seq for m in messages] == [1, 2]
        assert messages[0].translation_state == "translated" and messages[0].model_id
        assert session.scalars(select(OutboundRow).where(OutboundRow.ticket_id == ticket_id)).all() == []

    listed = await cli(
        dev_env,
        "workflow",
        "list",
        "--query",
        f'TicketLanguage="de" AND WorkflowId="ticket-{ticket_id}"',
        "--output",
        "json",
    )
    assert f"ticket-{ticket_id}" in listed


async def test_ticket_started_by_the_temporal_cli(
    dev_env: WorkflowEnvironment, real_workers: Settings
) -> None:
    ticket_id = f"cli-{uuid.uuid4().hex[:8]}"
    payload = json.dumps(ISSUE_JSON | {"ticket_id": ticket_id}, ensure_ascii=False)
    await cli(
        dev_env,
        "workflow",
        "start",
        "--type",
        "TicketWorkflow",
        "--task-queue",
        "tickets",
        "--workflow-id",
        f"ticket-{ticket_id}",
        "--input",
        payload,
    )
    await wait_for(dev_env, ticket_id, TicketStatus.PENDING_ASSIGNMENT)
    out = await cli(
        dev_env,
        "workflow",
        "query",
        "--workflow-id",
        f"ticket-{ticket_id}",
        "--type",
        "get_snapshot",
        "--output",
        "json",
    )
    snapshot = json.loads(out)
    result = snapshot.get("queryResult", snapshot)
    state = result[0] if isinstance(result, list) else result
    assert state["language"] == "de"
    assert state["status"] == "pending_assignment"
