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


# Temporal refuses payloads over 2 MB (and warns from 512 KB); a ticket this large is refused
# here with a message a person can act on, instead of a gRPC error from the server.
MAX_TICKET_INPUT_BYTES = 1024 * 1024


class TicketTooLarge(ValueError):
    """The ticket's text and metadata exceed MAX_TICKET_INPUT_BYTES."""


def check_ticket_size(ticket: TicketInput) -> None:
    size = len(ticket.model_dump_json().encode("utf-8"))
    if size > MAX_TICKET_INPUT_BYTES:
        raise TicketTooLarge(
            f"ticket {ticket.ticket_id[:80]!r} is too large: {size} bytes of text and metadata "
            f"(limit {MAX_TICKET_INPUT_BYTES}); keep long content as an attachment"
        )


async def start_ticket(client: Client, ticket: TicketInput) -> tuple[str, bool]:
    """Start the ticket's workflow; returns (ticket_id, created). The same id never starts twice.

    Raises TicketTooLarge for an input over the size limit.
    """
    check_ticket_size(ticket)
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
