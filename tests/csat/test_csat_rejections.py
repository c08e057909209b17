"""`submit_csat` validator rejections on the dev server (rejected updates leave no trace in history)."""

import asyncio
import uuid
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from domain.actions import AssignRequest, ResolveRequest
from domain.csat import MAX_COMMENT_CHARS, CsatSubmission
from domain.sla import SlaPolicy
from domain.ticket import Channel, Customer, TicketInput, TicketState
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.ticket import TicketWorkflow


async def refused(handle: WorkflowHandle[Any, Any], answer: CsatSubmission) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as info:
        await handle.execute_update("submit_csat", answer)
    return str(info.value.cause)


async def test_validator_refuses_bad_scores_rounds_sizes_and_a_second_rating(
    dev_env: WorkflowEnvironment,
) -> None:
    backend = FakeBackend()
    async with fake_workers(dev_env.client, backend) as queue:
        inp = TicketInput(
            ticket_id=f"r-{uuid.uuid4().hex[:8]}",
            channel=Channel.EMAIL,
            customer=Customer(email="a@example.de"),
            body="Der Akku ist kaputt.",
            sla=SlaPolicy(close_grace_s=600),
        )
        handle = await dev_env.client.start_workflow(
            TicketWorkflow.run, inp, id=f"ticket-{inp.ticket_id}", task_queue=queue
        )
        for _ in range(300):
            state: TicketState = await handle.query("get_snapshot", result_type=TicketState)
            if state.accepting_actions:
                break
            await asyncio.sleep(0.05)
        await handle.execute_update("assign", AssignRequest(agent_id="lukas.meyer", by="zhang.min"))
        assert "not resolved" in await refused(handle, CsatSubmission(score=4))

        await handle.execute_update("resolve", ResolveRequest(by="lukas.meyer"))
        assert "between 1 and 5" in await refused(handle, CsatSubmission(score=0))
        assert "between 1 and 5" in await refused(handle, CsatSubmission(score=6))
        assert "longer than" in await refused(
            handle, CsatSubmission(score=3, comment="x" * (MAX_COMMENT_CHARS + 1))
        )
        assert "current resolution" in await refused(handle, CsatSubmission(score=3, round=1))
        await handle.execute_update("submit_csat", CsatSubmission(score=3, comment="ok"))
        assert "already rated" in await refused(handle, CsatSubmission(score=5))

        state = await handle.query("get_snapshot", result_type=TicketState)
        assert [(a.round, a.score) for a in state.csat.answers] == [(0, 3)]
        history = await handle.fetch_history()
        accepted = [
            e for e in history.events if e.HasField("workflow_execution_update_accepted_event_attributes")
        ]
        names = [
            e.workflow_execution_update_accepted_event_attributes.accepted_request.input.name
            for e in accepted
        ]
        assert names.count("submit_csat") == 1  # the refused ones never reached the history
        await handle.terminate("test done")
