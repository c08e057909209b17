"""How the web app hands a survey answer to the ticket: the `submit_csat` Temporal update.

The workflow's validator is the single judge (score range, resolved, round, already rated,
comment size); its refusal comes back as `CsatRefused` with the reason. A workflow that has
already finished (the survey window is over) is `SurveyClosed`.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from domain.actions import ActionResult
from domain.csat import SUBMIT_CSAT_UPDATE, CsatSubmission
from domain.ids import ticket_workflow_id


class CsatRefused(Exception):
    """The workflow's validator refused the answer (message says why)."""


class SurveyClosed(Exception):
    """The ticket's workflow is no longer running: the survey window is over."""


class CsatGateway(Protocol):
    async def submit(self, ticket_id: str, answer: CsatSubmission) -> ActionResult: ...


class TemporalCsat:
    def __init__(self, client: Client) -> None:
        self.client = client

    async def submit(self, ticket_id: str, answer: CsatSubmission) -> ActionResult:
        handle = self.client.get_workflow_handle(ticket_workflow_id(ticket_id))
        try:
            return await handle.execute_update(SUBMIT_CSAT_UPDATE, answer, result_type=ActionResult)
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            raise CsatRefused(str(getattr(cause, "message", None) or cause or exc)) from exc
        except RPCError as exc:
            if exc.status is RPCStatusCode.NOT_FOUND or "already completed" in str(exc).lower():
                raise SurveyClosed(ticket_id) from exc
            raise


class LazyTemporalCsat:
    """Connects on first use (the web app starts while Temporal may still be down)."""

    def __init__(self, connect: Callable[[], Awaitable[Client]]) -> None:
        self._connect = connect
        self._csat: TemporalCsat | None = None
        self._lock: asyncio.Lock | None = None

    async def submit(self, ticket_id: str, answer: CsatSubmission) -> ActionResult:
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if self._csat is None:
                self._csat = TemporalCsat(await self._connect())
        return await self._csat.submit(ticket_id, answer)
