"""Rejected deadline changes, on the real dev server (a rejected update would lock the
time-skipping server): past, naive, too far, unchanged, no reason, and a closed task."""

from datetime import UTC, datetime, timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from domain.actions import ActionResult, ResolveRequest
from domain.collaboration_actions import ChangeDeadlineRequest, CollaborationRequest
from runtime.collaboration import TaskActionRejected, request_collaboration, send_task_update
from tests.helpers.collaboration_flow import AGENT, assigned_ticket, snapshot, task_state, wait_for
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.collaboration import CollaborationWorkflow
from workflows.ticket import TicketWorkflow

WORKFLOWS = [TicketWorkflow, CollaborationWorkflow]


async def test_invalid_deadline_changes_are_rejected_and_change_nothing(dev_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(dev_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(dev_env, queue)
        ticket_id = (await snapshot(ticket)).ticket_id
        opened = await request_collaboration(dev_env.client, ticket_id, CollaborationRequest(
            department="logistics", by=AGENT, question="请核实集装箱状态"))
        now = datetime.now(UTC)

        async def change(**kw: object) -> None:
            req = ChangeDeadlineRequest.model_validate({"by": "chen.jie", "reason": "船期推迟", **kw})
            await send_task_update(dev_env.client, opened.task_id, req)

        with pytest.raises(TaskActionRejected, match=r"is not in the future .*nothing was changed"):
            await change(deadline=now - timedelta(hours=1))
        with pytest.raises(TaskActionRejected, match="more than 90 days away"):
            await change(deadline=now + timedelta(days=91))
        with pytest.raises(TaskActionRejected, match="needs a time zone"):
            await change(deadline=(now + timedelta(days=1)).replace(tzinfo=None))
        with pytest.raises(TaskActionRejected, match="a reason for the new deadline is required"):
            await change(deadline=now + timedelta(days=1), reason="  ")
        with pytest.raises(TaskActionRejected, match=f"task {opened.task_id} is already due at"):
            await change(deadline=opened.deadline)
        task = await task_state(dev_env.client, opened.task_id)
        assert task.deadline == opened.deadline
        assert not any(e.kind == "deadline_changed" for e in task.events)

        # Closed task: the ticket was resolved, which cancelled the task.
        await ticket.execute_update("resolve", ResolveRequest(by=AGENT), result_type=ActionResult)

        async def cancelled() -> bool:
            return str((await task_state(dev_env.client, opened.task_id)).status) == "cancelled"

        await wait_for(dev_env, cancelled, "task cancelled by the resolve")
        with pytest.raises(TaskActionRejected) as rejected:
            await change(deadline=now + timedelta(days=1))
        assert str(rejected.value) == (f"cannot change the deadline of task {opened.task_id}: it is already "
                                       f"cancelled (ticket {ticket_id} was resolved); nothing was recorded")
        # The same rejection straight from the workflow's update (what the console's gateway gets).
        child = dev_env.client.get_workflow_handle(opened.task_id)
        with pytest.raises(WorkflowUpdateFailedError) as failed:
            await child.execute_update(CollaborationWorkflow.change_deadline, ChangeDeadlineRequest(
                by="chen.jie", deadline=now + timedelta(days=1), reason="x"))
        cause = failed.value.cause
        assert isinstance(cause, ApplicationError) and cause.type == "InvalidTaskAction"
        assert cause.message == str(rejected.value)
        await ticket.terminate()
        await child.terminate()
