"""Record the committed workflow histories that the replay tests check.

Run after an intentional, compatible workflow change, or when adding a scenario:
    .venv/bin/python -m tests.replay.record_histories
Incompatible changes must use `workflow.patched(...)` so that the OLD histories still replay;
never re-record to hide a non-determinism error.
"""

import asyncio
import shutil
import sys
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from temporalio.client import Client, WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from domain.actions import AssignRequest, CustomerMessage, NoteRequest, ReplyRequest, ResolveRequest
from domain.sla import SlaPolicy
from domain.ticket import Channel, Customer, TicketInput
from runtime.devserver import register_search_attributes
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.ticket import TicketWorkflow

HISTORIES = Path(__file__).resolve().parent / "histories"

Scenario = Callable[[WorkflowEnvironment, WorkflowHandle[TicketWorkflow, object]], Awaitable[None]]


def _input(ticket_id: str) -> TicketInput:
    return TicketInput(
        ticket_id=ticket_id,
        channel=Channel.EMAIL,
        customer=Customer(email="k.weber@example.de", name="Klaus Weber"),
        subject="Gerät startet nicht",
        body="Das Gerät startet nach dem Update nicht mehr.",
        message_id="<first@example.de>",
        sla=SlaPolicy(close_grace_s=60),
    )


async def full_path(env: WorkflowEnvironment, handle: WorkflowHandle[TicketWorkflow, object]) -> None:
    _ = await handle.execute_update(
        TicketWorkflow.assign, AssignRequest(agent_id="lukas.meyer", by="zhang.min")
    )
    _ = await handle.execute_update(
        TicketWorkflow.add_note, NoteRequest(author="lukas.meyer", text="固件 2.1")
    )
    _ = await handle.execute_update(
        TicketWorkflow.reply, ReplyRequest(agent_id="lukas.meyer", text="请重启设备。")
    )
    await env.sleep(2)
    await handle.signal(
        TicketWorkflow.customer_message,
        CustomerMessage(text="Danke, geht wieder!", message_id="<second@example.de>"),
    )
    await env.sleep(2)
    _ = await handle.execute_update(
        TicketWorkflow.resolve, ResolveRequest(by="lukas.meyer", resolution="restart")
    )
    await env.sleep(120)


async def sla_escalation(env: WorkflowEnvironment, handle: WorkflowHandle[TicketWorkflow, object]) -> None:
    await env.sleep(timedelta(hours=3))
    _ = await handle.execute_update(
        TicketWorkflow.assign, AssignRequest(agent_id="somchai.k", by="maria.santos")
    )
    _ = await handle.execute_update(TicketWorkflow.resolve, ResolveRequest(by="somchai.k"))
    await env.sleep(120)


SCENARIOS: dict[str, Scenario] = {"ticket_full_path": full_path, "ticket_sla_escalation": sla_escalation}


async def record(client: Client, env: WorkflowEnvironment, name: str, scenario: Scenario) -> Path:
    backend = FakeBackend()
    async with fake_workers(client, backend) as queue:
        inp = _input(f"replay-{name}-{uuid.uuid4().hex[:6]}")
        handle = await client.start_workflow(
            TicketWorkflow.run, inp, id=f"ticket-{inp.ticket_id}", task_queue=queue
        )
        await env.sleep(1)
        await scenario(env, handle)
        await handle.result()
        history = await handle.fetch_history()
    path = HISTORIES / f"{name}.json"
    path.write_text(history.to_json(), encoding="utf-8")
    return path


async def main() -> None:
    server = shutil.which("temporal-test-server", path=str(Path(sys.executable).parent))
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter, test_server_existing_path=server
    )
    try:
        await register_search_attributes(env.client)
        HISTORIES.mkdir(parents=True, exist_ok=True)
        for name, scenario in SCENARIOS.items():
            print("recorded", await record(env.client, env, name, scenario))
    finally:
        await env.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
