"""The console's one way to act: Temporal updates, through one client on one background loop.

The Temporal client is not thread-safe and Streamlit runs every browser session on its own
thread, so the gateway owns a private event loop thread; callers hand it coroutines with
`asyncio.run_coroutine_threadsafe` and block on the result with a timeout. Every failure comes
back as an `ActionOutcome` a page can show (never an exception): a workflow's validation error
("InvalidAction") keeps its own message, an unreachable server says so.
"""

import asyncio
import concurrent.futures
import threading
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel
from temporalio.client import Client, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from domain.ids import ticket_workflow_id
from runtime.settings import Settings, get_settings


class OutcomeKind(StrEnum):
    OK = "ok"
    INVALID = "invalid"  # the workflow's validator rejected the input (ApplicationError "InvalidAction")
    NOT_FOUND = "not_found"  # no workflow with that id (e.g. demo projection data)
    UNAVAILABLE = "unavailable"  # Temporal down or not answering in time
    FAILED = "failed"  # anything else; the message says what


class ActionOutcome(BaseModel):
    kind: OutcomeKind
    message: str = ""
    status: str | None = None  # the ticket's (or task's) status after the action
    seq: int | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.kind is OutcomeKind.OK


class Gateway(Protocol):
    def ticket_update(self, ticket_id: str, update: str, arg: BaseModel) -> ActionOutcome: ...

    def task_update(self, task_id: str, arg: BaseModel) -> ActionOutcome: ...


def _from_result(result: Any) -> ActionOutcome:
    data = result.model_dump(mode="json") if isinstance(result, BaseModel) else dict(result or {})
    seq = data.get("seq", data.get("task_no"))
    return ActionOutcome(
        kind=OutcomeKind.OK,
        status=data.get("status"),
        detail=str(data.get("detail", "")),
        seq=seq if isinstance(seq, int) else None,
    )


def outcome_from_error(exc: BaseException) -> ActionOutcome:
    """Map what the SDK raises to something a person can act on."""
    if isinstance(exc, WorkflowUpdateFailedError):
        cause = exc.cause
        if isinstance(cause, ApplicationError):
            kind = OutcomeKind.INVALID if cause.type == "InvalidAction" else OutcomeKind.FAILED
            return ActionOutcome(kind=kind, message=cause.message)
        return ActionOutcome(kind=OutcomeKind.FAILED, message=str(cause or exc))
    if type(exc).__name__ == "TaskActionRejected":  # runtime.collaboration's rejection, message as-is
        return ActionOutcome(kind=OutcomeKind.INVALID, message=str(exc))
    if isinstance(exc, RPCError):
        if exc.status is RPCStatusCode.NOT_FOUND:
            return ActionOutcome(kind=OutcomeKind.NOT_FOUND, message=exc.message)
        if exc.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
            return ActionOutcome(kind=OutcomeKind.UNAVAILABLE, message=exc.message)
        return ActionOutcome(kind=OutcomeKind.FAILED, message=exc.message)
    if isinstance(
        exc, WorkflowUpdateRPCTimeoutOrCancelledError | TimeoutError | concurrent.futures.TimeoutError
    ):
        return ActionOutcome(
            kind=OutcomeKind.UNAVAILABLE,
            message="Temporal did not answer in time; "
            "the action may still be applied - check the timeline before retrying",
        )
    if isinstance(exc, RuntimeError | ConnectionError | OSError):
        return ActionOutcome(kind=OutcomeKind.UNAVAILABLE, message=str(exc))
    return ActionOutcome(kind=OutcomeKind.FAILED, message=f"{type(exc).__name__}: {exc}")


ConnectFn = Callable[[Settings], Awaitable[Client]]


async def _default_connect(settings: Settings) -> Client:
    from runtime.client import connect

    return await connect(settings)


class TemporalGateway:
    def __init__(
        self, settings: Settings | None = None, connect: ConnectFn = _default_connect, timeout_s: float = 20.0
    ) -> None:
        self._settings = settings or get_settings()
        self._connect = connect
        self._timeout_s = timeout_s
        self._client: Client | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="temporal-gateway", daemon=True)
        self._thread.start()
        self._connect_lock: asyncio.Lock | None = None

    async def _get_client(self) -> Client:
        # Runs on the gateway loop only, so the lock and the client never cross threads.
        if self._connect_lock is None:
            self._connect_lock = asyncio.Lock()
        async with self._connect_lock:
            if self._client is None:
                self._client = await asyncio.wait_for(self._connect(self._settings), timeout=self._timeout_s)
            return self._client

    def call(self, action: Callable[[Client], Awaitable[Any]]) -> ActionOutcome:
        async def run() -> Any:
            return await action(await self._get_client())

        future = asyncio.run_coroutine_threadsafe(run(), self._loop)
        try:
            return _from_result(future.result(timeout=self._timeout_s))
        except BaseException as exc:  # every failure becomes an outcome the page shows
            future.cancel()
            outcome = outcome_from_error(exc)
            if outcome.kind is OutcomeKind.UNAVAILABLE:
                self._client = None  # reconnect next time; the server may be back
            return outcome

    def ticket_update(self, ticket_id: str, update: str, arg: BaseModel) -> ActionOutcome:
        async def action(client: Client) -> Any:
            handle = client.get_workflow_handle(ticket_workflow_id(ticket_id))
            return await handle.execute_update(update, arg)

        return self.call(action)

    def task_update(self, task_id: str, arg: BaseModel) -> ActionOutcome:
        async def action(client: Client) -> Any:
            from runtime.collaboration import send_task_update

            return await send_task_update(client, task_id, arg)  # type: ignore[arg-type]

        return self.call(action)

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


_lock = threading.Lock()
_gateway: Gateway | None = None


def get_gateway() -> Gateway:
    """The process-wide gateway (one Temporal client for every browser session)."""
    global _gateway
    with _lock:
        if _gateway is None:
            _gateway = TemporalGateway()
        return _gateway


def set_gateway(gateway: Gateway | None) -> None:
    """Install a gateway (tests install a fake; None rebuilds from settings on next use)."""
    global _gateway
    with _lock:
        _gateway = gateway
