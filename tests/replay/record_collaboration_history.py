"""Record `histories/collaboration_deadline_change.json`: a CollaborationWorkflow whose deadline moves.

Run only after an intentional, compatible change to that path (never to hide non-determinism):
    .venv/bin/python -m tests.replay.record_collaboration_history
The scenario (the task's own history; its ticket is only the signal target): a task opens,
the department comments by e-mail (attachment, request id, delivered twice), the deadline is
moved later, the "due soon" reminder fires before the new deadline, the task is completed by
e-mail, lingers and ends.
"""

import asyncio
import shutil
import sys
from datetime import timedelta
from pathlib import Path

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from domain.collaboration_actions import (
    ChangeDeadlineRequest,
    CollaborationOutcome,
    CollaborationRequest,
    CompleteTaskRequest,
    TaskCommentRequest,
)
from domain.ticket import AttachmentMeta
from runtime.collaboration import send_task_update
from runtime.devserver import register_search_attributes
from tests.helpers.collaboration_flow import AGENT, FAST, ask, assigned_ticket
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.collaboration import CollaborationWorkflow
from workflows.ticket import TicketWorkflow

PATH = Path(__file__).resolve().parent / "histories" / "collaboration_deadline_change.json"


async def main() -> None:
    server = shutil.which("temporal-test-server", path=str(Path(sys.executable).parent))
    env = await WorkflowEnvironment.start_time_skipping(data_converter=pydantic_data_converter,
                                                        test_server_existing_path=server)
    try:
        await register_search_attributes(env.client)
        async with fake_workers(env.client, FakeBackend(),
                                workflows=[TicketWorkflow, CollaborationWorkflow]) as queue:
            ticket = await assigned_ticket(env, queue)
            opened = await ask(env, ticket, CollaborationRequest(
                department="logistics", by=AGENT, deadline_s=3600, reminders=FAST,
                question="请核实集装箱状态"))
            comment = TaskCommentRequest(by="zhou.bo@example.cn", text="已联系船公司",
                                         request_id="<c1@example.cn>",
                                         attachments=[AttachmentMeta(filename="booking.pdf", size=10)])
            await send_task_update(env.client, opened.task_id, comment)
            await send_task_update(env.client, opened.task_id, comment)  # the same mail again
            await env.sleep(300)
            await send_task_update(env.client, opened.task_id, ChangeDeadlineRequest(
                by="chen.jie", deadline=opened.deadline + timedelta(hours=2), reason="船期推迟"))
            await env.sleep(timedelta(seconds=3600 + 7200 - 300 - 550))  # past the new "due soon" reminder
            await send_task_update(env.client, opened.task_id, CompleteTaskRequest(
                by="wang.lei", result="集装箱已放行", request_id="<d1@example.cn>"))
            task = env.client.get_workflow_handle(opened.task_id, result_type=CollaborationOutcome)
            await env.sleep(FAST.linger_s + 5)
            await task.result()
            PATH.write_text((await task.fetch_history()).to_json(), encoding="utf-8")
            await ticket.terminate()
        print("recorded", PATH)
    finally:
        await env.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
