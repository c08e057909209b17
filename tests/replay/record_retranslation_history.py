"""Record `histories/ticket_retranslation.json`: a model missing, then back (issue #11, model outage).

Run only after an intentional, compatible change to that path (never to hide non-determinism):
    .venv/bin/python -m tests.replay.record_retranslation_history
The scenario: a German ticket arrives while no de->zh model exists (untranslated, retry timer
set), the agent's reply is held because zh->de is missing too, both models come back, the
ten-minute retry translates the customer's message, the held reply is translated and sent,
resolved, closed.
"""

import asyncio
import shutil
import sys
import uuid
from datetime import timedelta
from pathlib import Path

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from domain.actions import AssignRequest, ReplyRequest, ResolveRequest
from domain.sla import SlaPolicy
from domain.ticket import Channel, Customer, TicketInput
from runtime.devserver import register_search_attributes
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.ticket import TicketWorkflow
from workflows.ticket_conversation import RETRANSLATE_EVERY

PATH = Path(__file__).resolve().parent / "histories" / "ticket_retranslation.json"


async def main() -> None:
    server = shutil.which("temporal-test-server", path=str(Path(sys.executable).parent))
    env = await WorkflowEnvironment.start_time_skipping(data_converter=pydantic_data_converter,
                                                        test_server_existing_path=server)
    try:
        await register_search_attributes(env.client)
        backend = FakeBackend()
        models = set(backend.translatable)
        backend.translatable -= {("de", "zh"), ("zh", "de")}  # the model is missing at first
        async with fake_workers(env.client, backend) as queue:
            inp = TicketInput(ticket_id=f"replay-retranslate-{uuid.uuid4().hex[:6]}", channel=Channel.EMAIL,
                              customer=Customer(email="k.weber@example.de", name="Klaus Weber"),
                              subject="Gerät startet nicht",
                              body="Das Gerät startet nach dem Update nicht mehr.",
                              message_id="<first@example.de>", sla=SlaPolicy(close_grace_s=60))
            handle = await env.client.start_workflow(TicketWorkflow.run, inp, id=f"ticket-{inp.ticket_id}",
                                                     task_queue=queue)
            await env.sleep(2)
            await handle.execute_update("assign", AssignRequest(agent_id="lukas.meyer", by="zhang.min"))
            await handle.execute_update("reply", ReplyRequest(agent_id="lukas.meyer", text="请重启设备。"))
            await env.sleep(2)
            backend.translatable |= models  # the models are installed again
            await env.sleep(RETRANSLATE_EVERY + timedelta(minutes=1))
            await handle.execute_update("resolve", ResolveRequest(by="lukas.meyer", resolution="restart"))
            await env.sleep(120)
            await handle.result()
            history = await handle.fetch_history()
        PATH.write_text(history.to_json(), encoding="utf-8")
        print("recorded", PATH, len(history.events), "events")
        print("translations tried:", len(backend.translations), "replies sent:", len(backend.sent))
    finally:
        await env.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
