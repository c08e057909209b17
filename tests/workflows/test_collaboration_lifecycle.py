"""Tasks ended from outside: an operator cancels the task workflow, or the ticket's workflow is gone."""

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import CancelledError
from temporalio.testing import WorkflowEnvironment

from domain.collaboration import CollaborationStatus
from domain.collaboration_actions import CollaborationRequest, TaskCommentRequest
from domain.status import TicketStatus
from tests.helpers.collaboration_flow import (
    FAST,
    ask,
    assigned_ticket,
    ended,
    task_state,
    wait_for,
    wait_ticket_status,
)
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.collaboration import CollaborationWorkflow
from workflows.ticket import TicketWorkflow

WORKFLOWS = [TicketWorkflow, CollaborationWorkflow]


async def test_operator_cancelling_the_task_workflow_closes_the_loop(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(ts_env, queue)
        opened = await ask(ts_env, ticket, CollaborationRequest(
            department="warehouse", by="lukas.meyer", question="请确认库存", reminders=FAST))
        child = ts_env.client.get_workflow_handle(opened.task_id)
        await child.cancel()  # e.g. `temporal workflow cancel` by an operator
        await ended(ts_env, child)
        with pytest.raises(WorkflowFailureError) as err:
            await child.result()
        assert isinstance(err.value.cause, CancelledError)
        state = await wait_ticket_status(ts_env, ticket, TicketStatus.PROCESSING)
        assert state.collaboration.tasks[0].status is CollaborationStatus.CANCELLED
        final = [p.task for p in backend.task_projections if p.task.task_id == opened.task_id][-1]
        assert final.status is CollaborationStatus.CANCELLED and final.closed_by == "temporal"
        await ticket.terminate()


async def test_a_task_whose_ticket_is_gone_cancels_itself(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(ts_env, queue)
        ticket_id = ticket.id.removeprefix("ticket-")
        opened = await ask(ts_env, ticket, CollaborationRequest(
            department="finance", by="lukas.meyer", question="付款状态？", reminders=FAST))
        await ticket.terminate()  # no resolve: nobody told the task
        child = ts_env.client.get_workflow_handle(opened.task_id)
        await child.execute_update(CollaborationWorkflow.comment,
                                   TaskCommentRequest(by="zhou.yan", text="在查"))

        async def cancelled() -> bool:
            return (await task_state(ts_env.client, opened.task_id)).status is CollaborationStatus.CANCELLED

        await wait_for(ts_env, cancelled, "task noticed its ticket is gone")
        task = await task_state(ts_env.client, opened.task_id)
        assert task.close_reason == f"ticket {ticket_id} is no longer running"

        async def assignee_told() -> bool:
            return ("collaboration_cancelled", ["zhou.yan"]) in [(n.kind, n.recipients)
                                                                 for n in backend.notifications]

        await wait_for(ts_env, assignee_told, "assignee told the task ended")
        await child.terminate()
