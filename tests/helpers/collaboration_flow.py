"""Shared steps for the collaboration workflow tests (a ticket with an assigned agent, polling)."""

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from domain.collaboration import ReminderPolicy
from domain.collaboration_actions import CollaborationOpened, CollaborationRequest, CollaborationTask
from domain.nlp import TranslationState
from domain.sla import SlaPolicy, SlaTarget
from domain.status import TicketStatus
from domain.ticket import Channel, Customer, Direction, TicketInput, TicketMessage, TicketResult, TicketState
from runtime.collaboration import request_collaboration
from workflows.sla_clock import SlaClocks
from workflows.ticket import TicketWorkflow

AGENT = "lukas.meyer"
# Small, distinct numbers so every reminder lands at a recognisable offset from the deadline.
FAST = ReminderPolicy(remind_before_s=600, repeat_after_s=600, backoff=2.0, max_repeat_s=3600,
                      escalate_after_misses=3, linger_s=60)


def ticket_input(**kw: Any) -> TicketInput:
    base: dict[str, Any] = {
        "ticket_id": f"c-{uuid.uuid4().hex[:8]}",
        "channel": Channel.EMAIL,
        "customer": Customer(email="k.weber@example.de", name="Klaus Weber", country="DE",
                             timezone="Europe/Berlin"),
        "subject": "Lieferung verspätet",
        "body": "Guten Tag, mein Container MSKU1234567 ist seit zwei Wochen überfällig.",
        "sla": SlaPolicy(close_grace_s=60),
    }
    base.update(kw)
    return TicketInput.model_validate(base)


async def snapshot(handle: WorkflowHandle[Any, Any]) -> TicketState:
    state: TicketState = await handle.query("get_snapshot", result_type=TicketState)
    return state


async def task_state(client: Client, task_id: str) -> CollaborationTask:
    task: CollaborationTask = await client.get_workflow_handle(task_id).query(
        "get_task", result_type=CollaborationTask)
    return task


async def wait_for(env: WorkflowEnvironment, probe: Callable[[], Any], what: str, tries: int = 200) -> Any:
    """Poll `probe` (async, returns a truthy value when done); skipped time is tiny per try."""
    for _ in range(tries):
        value = await probe()
        if value:
            return value
        await env.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


async def ended(env: WorkflowEnvironment, handle: WorkflowHandle[Any, Any]) -> None:
    """Wait until a workflow has closed. (On the time-skipping server a long-polled `result()` of a
    workflow the test did not start itself does not wake up, so poll `describe` first.)"""
    async def closed() -> bool:
        return (await handle.describe()).status is not WorkflowExecutionStatus.RUNNING

    await wait_for(env, closed, f"{handle.id} closed")


def assigned_state(inp: TicketInput, now: datetime) -> TicketState:
    """A German ticket already received, translated and assigned to AGENT (status processing).

    Time-skipping tests start from it through `carried_state` (the continue-as-new path), so they
    do not depend on intake and routing details and never send `assign` before intake is done
    (a rejected update would lock the time-skipping server). The dev-server tests go through intake.
    """
    policy = inp.sla or SlaPolicy()
    first = TicketMessage(seq=1, direction=Direction.INBOUND, author=inp.customer.email,
                          original_text=inp.body, language="de", translated_text=f"[zh] {inp.body}",
                          translation_language="zh", translation_state=TranslationState.TRANSLATED,
                          created_at=now)
    state = TicketState(ticket_id=inp.ticket_id, status=TicketStatus.PROCESSING, channel=inp.channel,
                        customer=inp.customer, subject=inp.subject, subject_translated=f"[zh] {inp.subject}",
                        language="de", assignee=AGENT, assignment_count=1, messages=[first],
                        sla_policy=policy, created_at=now, updated_at=now)
    clocks = SlaClocks(state.sla, policy)
    clocks.start(SlaTarget.FIRST_REPLY, now)
    clocks.start(SlaTarget.RESOLUTION, now)
    return state


async def assigned_ticket(env: WorkflowEnvironment, queue: str, **kw: Any
                          ) -> WorkflowHandle[TicketWorkflow, TicketResult]:
    inp = ticket_input(**kw)
    inp.carried_state = assigned_state(inp, await env.get_current_time())
    handle = await env.client.start_workflow(TicketWorkflow.run, inp, id=f"ticket-{inp.ticket_id}",
                                             task_queue=queue)

    async def resumed() -> bool:
        # An update delivered with the very first workflow task would meet a ticket not yet resumed.
        return (await snapshot(handle)).ticket_id == inp.ticket_id

    await wait_for(env, resumed, "ticket resumed")
    return handle


async def ask(env: WorkflowEnvironment, ticket: WorkflowHandle[Any, Any], req: CollaborationRequest
              ) -> CollaborationOpened:
    """Open a task through the gateway function the console uses."""
    return await request_collaboration(env.client, ticket.id.removeprefix("ticket-"), req)


async def wait_ticket_status(env: WorkflowEnvironment, handle: WorkflowHandle[Any, Any],
                             status: TicketStatus) -> TicketState:
    async def probe() -> TicketState | None:
        state = await snapshot(handle)
        return state if state.status is status else None

    result: TicketState = await wait_for(env, probe, f"ticket {status}")
    return result
