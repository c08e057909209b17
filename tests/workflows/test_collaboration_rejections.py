"""Rejected collaboration actions, on the real dev server.

The time-skipping server stays locked after a rejected update, so every rejection is tested
here. Also here: one ticket that goes through the real intake before it asks a department.
"""

import asyncio

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from domain.actions import ActionResult, AssignRequest, ResolveRequest
from domain.collaboration import CollaborationStatus, ReminderPolicy
from domain.collaboration_actions import (
    CollaborationOutcome,
    CollaborationRequest,
    CompleteTaskRequest,
    ReassignTaskRequest,
    TaskCommentRequest,
)
from domain.status import TicketStatus
from runtime.collaboration import TaskActionRejected, request_collaboration, send_task_update
from tests.helpers.collaboration_flow import (
    AGENT,
    assigned_ticket,
    snapshot,
    task_state,
    ticket_input,
    wait_for,
)
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.collaboration import CollaborationWorkflow
from workflows.ticket import TicketWorkflow

WORKFLOWS = [TicketWorkflow, CollaborationWorkflow]


async def test_completing_a_task_after_the_ticket_is_resolved_is_rejected(dev_env: WorkflowEnvironment
                                                                          ) -> None:
    backend = FakeBackend()
    async with fake_workers(dev_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(dev_env, queue)
        ticket_id = (await snapshot(ticket)).ticket_id
        opened = await request_collaboration(dev_env.client, ticket_id, CollaborationRequest(
            department="warehouse", by=AGENT, question="请确认退货是否已入库"))
        await ticket.execute_update("resolve", ResolveRequest(by=AGENT, resolution="已退款"),
                                    result_type=ActionResult)

        async def cancelled() -> bool:
            return (await task_state(dev_env.client, opened.task_id)).status is CollaborationStatus.CANCELLED

        await wait_for(dev_env, cancelled, "task cancelled by the resolve")
        late = CompleteTaskRequest(by="sun.li", result="已入库")
        child = dev_env.client.get_workflow_handle(opened.task_id)
        with pytest.raises(WorkflowUpdateFailedError) as err:
            await child.execute_update(CollaborationWorkflow.complete_task, late)
        expected = (f"cannot complete task {opened.task_id}: it is already cancelled "
                    f"(ticket {ticket_id} was resolved); nothing was recorded")
        cause = err.value.cause
        assert isinstance(cause, ApplicationError) and cause.type == "InvalidTaskAction"
        assert cause.message == expected
        with pytest.raises(TaskActionRejected) as rejected:  # the same through the gateway function
            await send_task_update(dev_env.client, opened.task_id, late)
        assert str(rejected.value) == expected
        with pytest.raises(TaskActionRejected, match=r"ticket .* is closed"):
            await request_collaboration(dev_env.client, ticket_id, CollaborationRequest(
                department="warehouse", by=AGENT, question="再问一次"))
        task = await task_state(dev_env.client, opened.task_id)
        assert task.result is None and task.status is CollaborationStatus.CANCELLED
        await ticket.terminate()
        await child.terminate()


async def test_late_update_to_an_ended_task_gets_a_clear_error(dev_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(dev_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(dev_env, queue)
        ticket_id = (await snapshot(ticket)).ticket_id
        opened = await request_collaboration(dev_env.client, ticket_id, CollaborationRequest(
            department="finance", by=AGENT, question="发票是否已开具？",
            reminders=ReminderPolicy(linger_s=0)))
        await ticket.execute_update("resolve", ResolveRequest(by=AGENT), result_type=ActionResult)
        child = dev_env.client.get_workflow_handle(opened.task_id, result_type=CollaborationOutcome)
        outcome = await child.result()
        assert outcome.status is CollaborationStatus.CANCELLED  # no linger: the workflow has ended
        with pytest.raises(TaskActionRejected) as rejected:
            await send_task_update(dev_env.client, opened.task_id,
                                   CompleteTaskRequest(by="zhou.yan", result="已开"))
        assert str(rejected.value) == (f"task {opened.task_id} is already cancelled "
                                       f"(ticket {ticket_id} was resolved); nothing was recorded")
        await ticket.terminate()


async def test_invalid_requests_and_task_actions_are_rejected(dev_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(dev_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(dev_env, queue)
        ticket_id = (await snapshot(ticket)).ticket_id
        with pytest.raises(TaskActionRejected, match="unknown department 'legal'"):
            await request_collaboration(dev_env.client, ticket_id, CollaborationRequest(
                department="legal", by=AGENT, question="合同条款？"))
        with pytest.raises(TaskActionRejected, match="question for the department is empty"):
            await request_collaboration(dev_env.client, ticket_id, CollaborationRequest(
                department="legal", by=AGENT, question="  "))
        state = await snapshot(ticket)
        assert state.status is TicketStatus.PROCESSING and state.collaboration.tasks == []

        opened = await request_collaboration(dev_env.client, ticket_id, CollaborationRequest(
            department="engineering", by=AGENT, question="E42 故障？", request_id="req-1"))
        assert opened.task_no == 2  # number 1 was reserved by the failed request
        again = await request_collaboration(dev_env.client, ticket_id, CollaborationRequest(
            department="engineering", by=AGENT, question="E42 故障？", request_id="req-1"))
        assert again.task_id == opened.task_id and again.detail == "duplicate request"
        with pytest.raises(TaskActionRejected, match=r"already assigned to zhao\.gang"):
            await send_task_update(dev_env.client, opened.task_id,
                                   ReassignTaskRequest(by="zhao.gang", assignee="zhao.gang"))
        with pytest.raises(TaskActionRejected, match="result text is empty"):
            await send_task_update(dev_env.client, opened.task_id,
                                   CompleteTaskRequest(by="zhao.gang", result=" "))
        await send_task_update(dev_env.client, opened.task_id,
                               TaskCommentRequest(by=AGENT, text="客户很着急"))
        answer = CompleteTaskRequest(by="zhao.gang", result="更换传感器", request_id="m-1")
        first = await send_task_update(dev_env.client, opened.task_id, answer)
        repeat = await send_task_update(dev_env.client, opened.task_id, answer)  # the e-mail came twice
        assert (first.status, repeat.detail) == (CollaborationStatus.DONE, "duplicate completion")
        with pytest.raises(TaskActionRejected, match=r"cannot comment on task .*: it is already done"):
            await send_task_update(dev_env.client, opened.task_id,
                                   TaskCommentRequest(by=AGENT, text="谢谢"))
        await ticket.terminate()
        await dev_env.client.get_workflow_handle(opened.task_id).terminate()


async def test_through_real_intake_the_department_gets_the_translated_request(dev_env: WorkflowEnvironment
                                                                              ) -> None:
    backend = FakeBackend()
    async with fake_workers(dev_env.client, backend, workflows=WORKFLOWS) as queue:
        inp = ticket_input()
        ticket = await dev_env.client.start_workflow(TicketWorkflow.run, inp, id=f"ticket-{inp.ticket_id}",
                                                     task_queue=queue)
        for _ in range(600):  # rejected while intake runs; harmless on the dev server
            try:
                await ticket.execute_update("assign", AssignRequest(agent_id=AGENT, by="zhang.min"),
                                            result_type=ActionResult)
                break
            except WorkflowUpdateFailedError:
                await asyncio.sleep(0.1)
        opened = await request_collaboration(dev_env.client, inp.ticket_id, CollaborationRequest(
            department="logistics", by=AGENT, question="请核实集装箱状态"))
        task = await task_state(dev_env.client, opened.task_id)
        assert f"[zh] {inp.body}" in task.context and task.agent == AGENT
        assert (await snapshot(ticket)).status is TicketStatus.PENDING_COLLABORATION
        await ticket.terminate()
        await dev_env.client.get_workflow_handle(opened.task_id).terminate()
