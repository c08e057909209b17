"""Routing actions from outside the workflow: nudge pending tickets to retry assignment now.

Tickets in `pending_assignment` ask the router again every `SlaPolicy.assign_retry_s` (300 s by
default) and at once on the signal `retry_assignment`. The signal is sent from every place where
capacity appears:

- an agent comes online or an admin raises capacity (console admin page, `lingodesk agents
  presence`): `nudge_for_agent`;
- an agent loses an open ticket (resolved, reassigned away): the `record_ticket` projection
  activity calls a `CapacityNudger` (worker.py).

Only tickets the agent could serve are signalled (`store.agents.pending_tickets_for`, from the
projection). A missed nudge (projection lagging, Temporal down) only delays: the timer remains.
"""

import asyncio
import concurrent.futures
import logging
from collections.abc import Iterable

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.service import RPCError

from domain.ids import ticket_workflow_id
from store.agents import pending_tickets_for

log = logging.getLogger("lingodesk.assignment")

RETRY_SIGNAL = "retry_assignment"


async def signal_retry(client: Client, ticket_ids: Iterable[str]) -> int:
    """Send `retry_assignment` to each ticket's workflow; returns how many were signalled."""
    nudged = 0
    for ticket_id in ticket_ids:
        try:
            await client.get_workflow_handle(ticket_workflow_id(ticket_id)).signal(RETRY_SIGNAL)
        except RPCError:
            continue  # finished meanwhile, or never started (demo projection rows)
        nudged += 1
    return nudged


def _pending_for(sessions: sessionmaker[Session], agent_id: str) -> list[str]:
    with sessions() as session:
        return pending_tickets_for(session, agent_id)


async def nudge_for_agent(client: Client, sessions: sessionmaker[Session], agent_id: str) -> int:
    """Signal the pending tickets `agent_id` could take now (after presence/capacity changes)."""
    ticket_ids = await asyncio.to_thread(_pending_for, sessions, agent_id)
    return await signal_retry(client, ticket_ids)


class CapacityNudger:
    """Called from sync activities (worker threads) when an agent's capacity frees up.

    The Temporal client lives on the worker's event loop, so the nudge is scheduled there and
    not awaited: the projection write never waits for, or fails because of, a nudge.
    """

    def __init__(
        self, client: Client, sessions: sessionmaker[Session], loop: asyncio.AbstractEventLoop
    ) -> None:
        self._client = client
        self._sessions = sessions
        self._loop = loop

    @classmethod
    def on_running_loop(cls, client: Client, sessions: sessionmaker[Session]) -> "CapacityNudger | None":
        """A nudger for the current event loop; None when built outside one (then only the timer retries)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None
        return cls(client, sessions, loop)

    def __call__(self, agent_id: str) -> None:
        coro = nudge_for_agent(self._client, self._sessions, agent_id)
        try:
            future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        except RuntimeError:  # the worker's loop is closed (shutting down); the timer covers it
            coro.close()
            return
        future.add_done_callback(lambda f: self._done(agent_id, f))

    @staticmethod
    def _done(agent_id: str, future: "concurrent.futures.Future[int]") -> None:
        try:
            nudged = future.result()
        except Exception as exc:  # a failed nudge only delays; the periodic retry remains
            log.warning("nudging pending tickets for %s failed: %s", agent_id, exc)
            return
        if nudged:
            log.info("capacity freed for %s: nudged %d pending tickets", agent_id, nudged)
