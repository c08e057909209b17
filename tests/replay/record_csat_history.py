"""Record `histories/ticket_csat.json`: resolution, survey, a low CSAT answer (issue #10).

Run only after an intentional, compatible change to that path (never to hide non-determinism):
    .venv/bin/python -m tests.replay.record_csat_history
The scenario: a German ticket is assigned, answered and resolved; the survey goes out (patch
csat-survey-v1); the customer rates it 2 with a comment, which is translated and alerts the
supervisor; the ticket closes after its grace period.
"""

import asyncio
import shutil
import sys
import uuid
from pathlib import Path

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from domain.actions import AssignRequest, ReplyRequest, ResolveRequest
from domain.csat import CsatSubmission
from domain.sla import SlaPolicy
from domain.ticket import Channel, Customer, TicketInput
from runtime.devserver import register_search_attributes
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.ticket import TicketWorkflow

PATH = Path(__file__).resolve().parent / "histories" / "ticket_csat.json"


async def main() -> None:
    server = shutil.which("temporal-test-server", path=str(Path(sys.executable).parent))
    env = await WorkflowEnvironment.start_time_skipping(data_converter=pydantic_data_converter,
                                                        test_server_existing_path=server)
    try:
        await register_search_attributes(env.client)
        backend = FakeBackend()
        async with fake_workers(env.client, backend) as queue:
            inp = TicketInput(ticket_id=f"replay-csat-{uuid.uuid4().hex[:6]}", channel=Channel.EMAIL,
                              customer=Customer(email="k.weber@example.de", name="Klaus Weber"),
                              subject="Gerät startet nicht",
                              body="Das Gerät startet nach dem Update nicht mehr.",
                              message_id="<first@example.de>", sla=SlaPolicy(close_grace_s=600))
            handle = await env.client.start_workflow(TicketWorkflow.run, inp, id=f"ticket-{inp.ticket_id}",
                                                     task_queue=queue)
            await env.sleep(2)
            await handle.execute_update("assign", AssignRequest(agent_id="lukas.meyer", by="zhang.min"))
            await handle.execute_update("reply", ReplyRequest(agent_id="lukas.meyer", text="请重启设备。"))
            await env.sleep(2)
            await handle.execute_update("resolve", ResolveRequest(by="lukas.meyer", resolution="restart"))
            await env.sleep(5)
            await handle.execute_update("submit_csat", CsatSubmission(
                score=2, round=0, comment="Hat zu lange gedauert."))
            await env.sleep(700)
            await handle.result()
            history = await handle.fetch_history()
        PATH.write_text(history.to_json(), encoding="utf-8")
        print("recorded", PATH, len(history.events), "events")
        print("surveys:", len(backend.surveys), "answers:", len(backend.csat_records))
    finally:
        await env.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
