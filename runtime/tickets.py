"""Starting tickets and acting on them through Temporal (CLI, channels and console share this)."""

import secrets
from datetime import UTC, datetime
from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from domain.ids import TICKET_WORKFLOW, TICKETS_TASK_QUEUE, ticket_workflow_id
from domain.ticket import TicketInput, TicketState


def new_ticket_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%d}-{secrets.token_hex(3).upper()}"


async def start_ticket(client: Client, ticket: TicketInput) -> tuple[str, bool]:
    """Start the ticket's workflow; returns (ticket_id, created). The same id never starts twice."""
    try:
        await client.start_workflow(
            TICKET_WORKFLOW,
            ticket,
            id=ticket_workflow_id(ticket.ticket_id),
            task_queue=TICKETS_TASK_QUEUE,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
        )
    except WorkflowAlreadyStartedError:
        return ticket.ticket_id, False
    return ticket.ticket_id, True


def ticket_handle(client: Client, ticket_id: str) -> WorkflowHandle[Any, Any]:
    return client.get_workflow_handle(ticket_workflow_id(ticket_id))


async def get_snapshot(client: Client, ticket_id: str) -> TicketState:
    state: TicketState = await ticket_handle(client, ticket_id).query("get_snapshot", result_type=TicketState)
    return state
