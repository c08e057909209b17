"""How channels reach tickets: start one, or add a customer message to a running one.

Both calls are idempotent: the workflow id is `ticket-<ticket_id>` with REJECT_DUPLICATE, and the
workflow drops a `customer_message` whose `message_id` it has seen. The task queue is a
parameter only so tests can run an isolated worker; production uses `tickets`.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol

from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain.actions import CustomerMessage
from domain.ids import TICKET_WORKFLOW, TICKETS_TASK_QUEUE, ticket_workflow_id
from domain.ticket import TicketInput

CUSTOMER_MESSAGE_SIGNAL = "customer_message"


class TicketNotRunning(Exception):
    """The ticket's workflow is finished or unknown; a follow-up has to start a new ticket."""


class TicketGateway(Protocol):
    async def start(self, ticket: TicketInput) -> tuple[str, bool]: ...

    async def add_message(self, ticket_id: str, message: CustomerMessage) -> None: ...


class TemporalTickets:
    def __init__(self, client: Client, task_queue: str = TICKETS_TASK_QUEUE) -> None:
        self.client = client
        self.task_queue = task_queue

    async def start(self, ticket: TicketInput) -> tuple[str, bool]:
        """(ticket_id, created); the same ticket id never starts twice (as runtime.tickets.start_ticket)."""
        try:
            await self.client.start_workflow(
                TICKET_WORKFLOW,
                ticket,
                id=ticket_workflow_id(ticket.ticket_id),
                task_queue=self.task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            )
        except WorkflowAlreadyStartedError:
            return ticket.ticket_id, False
        return ticket.ticket_id, True

    async def add_message(self, ticket_id: str, message: CustomerMessage) -> None:
        handle = self.client.get_workflow_handle(ticket_workflow_id(ticket_id))
        try:
            await handle.signal(CUSTOMER_MESSAGE_SIGNAL, message)
        except RPCError as exc:
            if exc.status is RPCStatusCode.NOT_FOUND:
                raise TicketNotRunning(ticket_id) from exc
            raise


class LazyTemporalTickets:
    """A gateway that connects on first use and reconnects after a failed connect.

    Long-running channel processes (`lingodesk mail`, `lingodesk web`) start while Temporal may
    still be down; until it is up, calls fail (the SMTP receiver answers 451, the form says "try
    again") instead of the process refusing to start.
    """

    def __init__(
        self, connect: Callable[[], Awaitable[Client]], task_queue: str = TICKETS_TASK_QUEUE
    ) -> None:
        self._connect = connect
        self._task_queue = task_queue
        self._tickets: TemporalTickets | None = None
        self._lock: asyncio.Lock | None = None

    async def _get(self) -> TemporalTickets:
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if self._tickets is None:
                self._tickets = TemporalTickets(await self._connect(), self._task_queue)
        return self._tickets

    async def start(self, ticket: TicketInput) -> tuple[str, bool]:
        return await (await self._get()).start(ticket)

    async def add_message(self, ticket_id: str, message: CustomerMessage) -> None:
        await (await self._get()).add_message(ticket_id, message)
