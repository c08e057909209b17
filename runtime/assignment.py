"""Routing actions from outside the workflow (CLI, console): nudge pending tickets to retry assignment."""

from temporalio.client import Client
from temporalio.service import RPCError

from domain.ids import TICKET_WORKFLOW
from domain.status import TicketStatus

PENDING_QUERY = f'WorkflowType="{TICKET_WORKFLOW}" AND ExecutionStatus="Running" AND ' \
                f'TicketStatus="{TicketStatus.PENDING_ASSIGNMENT}"'


async def nudge_pending_tickets(client: Client, limit: int = 1000) -> int:
    """Signal `retry_assignment` to running tickets that wait for an agent; returns how many.

    Call after agents come online or capacity frees up; the tickets also retry on their own
    every `SlaPolicy.assign_retry_s`, so a missed nudge only delays.
    """
    nudged = 0
    async for wf in client.list_workflows(PENDING_QUERY, limit=limit):
        try:
            await client.get_workflow_handle(wf.id, run_id=wf.run_id).signal("retry_assignment")
        except RPCError:
            continue  # finished meanwhile
        nudged += 1
    return nudged
