"""Acting on collaboration tasks through Temporal (console gateway, e-mail intake, CLI share this).

Every function takes a connected `Client`, so a gateway that owns one client on one event loop
can call them as they are. Rejections come back as `TaskActionRejected` with the workflow's own
message, including for a task whose workflow has already ended.
"""

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from domain.collaboration_actions import (
    CancelTaskRequest,
    ChangeDeadlineRequest,
    CollaborationOpened,
    CollaborationRequest,
    CollaborationTask,
    CompleteTaskRequest,
    ReassignTaskRequest,
    TaskActionResult,
    TaskCommentRequest,
)
from domain.ids import ticket_workflow_id

TaskUpdate = (CompleteTaskRequest | TaskCommentRequest | ReassignTaskRequest | CancelTaskRequest
              | ChangeDeadlineRequest)

UPDATE_NAMES: dict[type[TaskUpdate], str] = {
    CompleteTaskRequest: "complete_task",
    TaskCommentRequest: "comment",
    ReassignTaskRequest: "reassign_task",
    CancelTaskRequest: "cancel_task",
    ChangeDeadlineRequest: "change_deadline",
}


class TaskActionRejected(Exception):
    """The ticket or task refused the action; `str()` is a message to show the person as it is."""


def _reason(err: WorkflowUpdateFailedError) -> str:
    cause = err.cause
    return cause.message if isinstance(cause, ApplicationError) else str(cause or err)


async def request_collaboration(client: Client, ticket_id: str, req: CollaborationRequest
                                ) -> CollaborationOpened:
    """Open a task on a ticket (the agent's action)."""
    handle = client.get_workflow_handle(ticket_workflow_id(ticket_id))
    try:
        opened: CollaborationOpened = await handle.execute_update(
            "request_collaboration", req, result_type=CollaborationOpened)
    except WorkflowUpdateFailedError as err:
        raise TaskActionRejected(_reason(err)) from err
    return opened


async def get_task_state(client: Client, task_id: str) -> CollaborationTask:
    """The task as its workflow knows it (works for ended workflows too, within retention)."""
    task: CollaborationTask = await client.get_workflow_handle(task_id).query(
        "get_task", result_type=CollaborationTask)
    return task


async def send_task_update(client: Client, task_id: str, update: TaskUpdate) -> TaskActionResult:
    """Complete, comment on, reassign or cancel a task, or move its deadline (`ChangeDeadlineRequest`)."""
    handle = client.get_workflow_handle(task_id)
    try:
        result: TaskActionResult = await handle.execute_update(
            UPDATE_NAMES[type(update)], update, result_type=TaskActionResult)
    except WorkflowUpdateFailedError as err:
        raise TaskActionRejected(_reason(err)) from err
    except RPCError as err:
        if err.status is not RPCStatusCode.NOT_FOUND:
            raise
        raise TaskActionRejected(await _ended_reason(client, task_id)) from err
    return result


async def _ended_reason(client: Client, task_id: str) -> str:
    """Why an update found no running workflow: the task ended (say how) or never existed."""
    try:
        task = await get_task_state(client, task_id)
    except RPCError:
        return f"task {task_id} does not exist"
    why = f" ({task.close_reason})" if task.close_reason else ""
    return f"task {task_id} is already {task.status}{why}; nothing was recorded"
