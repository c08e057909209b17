"""The console's Temporal gateway: error mapping, an unreachable server, and real updates against
the Temporal dev server (TicketWorkflow with same-named fake activities)."""

import asyncio
import uuid

from pydantic import BaseModel
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from console.gateway import ActionOutcome, OutcomeKind, TemporalGateway, outcome_from_error
from domain.actions import AssignRequest, NoteRequest, ReopenRequest, ResolveRequest
from domain.ticket import Channel, Customer, TicketInput
from runtime.settings import Settings
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.ticket import TicketWorkflow


def test_validation_errors_keep_the_workflows_message() -> None:
    invalid = WorkflowUpdateFailedError(ApplicationError("ticket t-1 is closed", type="InvalidAction"))
    outcome = outcome_from_error(invalid)
    assert (outcome.kind, outcome.message) == (OutcomeKind.INVALID, "ticket t-1 is closed")
    other = outcome_from_error(WorkflowUpdateFailedError(ApplicationError("boom", type="Crash")))
    assert other.kind is OutcomeKind.FAILED


def test_rpc_errors_map_to_not_found_and_unavailable() -> None:
    missing = outcome_from_error(RPCError("workflow not found", RPCStatusCode.NOT_FOUND, b""))
    assert missing.kind is OutcomeKind.NOT_FOUND
    down = outcome_from_error(RPCError("connection refused", RPCStatusCode.UNAVAILABLE, b""))
    assert down.kind is OutcomeKind.UNAVAILABLE
    assert outcome_from_error(TimeoutError()).kind is OutcomeKind.UNAVAILABLE


def test_unreachable_server_is_an_outcome_not_an_exception() -> None:
    gateway = TemporalGateway(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), timeout_s=10)
    try:
        outcome = gateway.ticket_update("t-1", "add_note", NoteRequest(author="a", text="x"))
    finally:
        gateway.close()
    assert outcome.kind is OutcomeKind.UNAVAILABLE and not outcome.ok


async def test_updates_through_the_gateway_on_the_dev_server(dev_env: WorkflowEnvironment) -> None:
    target = dev_env.client.service_client.config.target_host

    async def connect(_: Settings) -> Client:
        return await Client.connect(target, namespace="default", data_converter=pydantic_data_converter)

    gateway = TemporalGateway(Settings(), connect=connect, timeout_s=30)
    backend = FakeBackend()
    try:
        async with fake_workers(dev_env.client, backend) as queue:
            ticket_id = f"gw-{uuid.uuid4().hex[:8]}"
            handle = await dev_env.client.start_workflow(
                TicketWorkflow.run,
                TicketInput(
                    ticket_id=ticket_id,
                    channel=Channel.EMAIL,
                    customer=Customer(email="k@example.de"),
                    subject="Gerät defekt",
                    body="Das Gerät startet nicht.",
                ),
                id=f"ticket-{ticket_id}",
                task_queue=queue,
            )

            # The gateway blocks its caller; run it off this loop so the workers keep going.
            def call(update: str, arg: BaseModel) -> ActionOutcome:
                return gateway.ticket_update(ticket_id, update, arg)

            for _ in range(400):  # updates are refused, with a clear message, until intake is done
                assigned = await asyncio.to_thread(
                    call, "assign", AssignRequest(agent_id="lukas.meyer", by="zhang.min")
                )
                if "still being received" not in assigned.message:
                    break
                await asyncio.sleep(0.05)
            assert assigned.kind is OutcomeKind.OK and assigned.status == "processing"
            refused = await asyncio.to_thread(call, "reopen", ReopenRequest(by="zhang.min"))
            assert refused.kind is OutcomeKind.INVALID
            assert "only a closed ticket can be reopened" in refused.message
            empty = await asyncio.to_thread(call, "add_note", NoteRequest(author="lukas.meyer", text="  "))
            assert (empty.kind, empty.message) == (OutcomeKind.INVALID, "note text is empty")
            resolved = await asyncio.to_thread(
                call, "resolve", ResolveRequest(by="lukas.meyer", resolution="ok")
            )
            assert resolved.kind is OutcomeKind.OK and resolved.status == "closed"
            unknown = await asyncio.to_thread(
                gateway.ticket_update, "no-such-ticket", "resolve", ResolveRequest(by="x")
            )
            assert unknown.kind is OutcomeKind.NOT_FOUND
            await handle.terminate("test done")
    finally:
        gateway.close()
