"""Record `histories/ticket_routing_business_sla.json`: the routing + business-time SLA path.

Run only after an intentional, compatible change to that path (never to hide non-determinism):
    .venv/bin/python -m tests.replay.record_routing_history
The scenario: a Thai ticket arrives while its calendar is closed (after-hours acknowledgement),
nobody who speaks Thai is online (assignment pending, `assign` breach, supervisor then manager),
an agent comes online (signal `retry_assignment`), replies (resolution clock paused), the customer
writes (resumed in business time), resolved, closed.
"""

import asyncio
import shutil
import sys
import uuid
from datetime import timedelta
from pathlib import Path

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from domain.actions import CustomerMessage, ReplyRequest, ResolveRequest
from domain.calendar import BusinessCalendar
from domain.nlp import RequestDomain
from domain.sla import EscalationRole, EscalationStep, SlaPolicy, SlaTarget
from domain.ticket import Channel, Customer, TicketInput
from runtime.devserver import register_search_attributes
from tests.helpers.fake_activities import FakeBackend, fake_workers
from tests.routing.demo_profiles import demo_agents, demo_teams
from workflows.ticket import TicketWorkflow

PATH = Path(__file__).resolve().parent / "histories" / "ticket_routing_business_sla.json"


async def main() -> None:
    server = shutil.which("temporal-test-server", path=str(Path(sys.executable).parent))
    env = await WorkflowEnvironment.start_time_skipping(data_converter=pydantic_data_converter,
                                                        test_server_existing_path=server)
    try:
        await register_search_attributes(env.client)
        today = (await env.get_current_time()).weekday()
        # Open every day but today: the ticket arrives after hours whatever day this runs.
        calendar = BusinessCalendar(calendar_id="replay", timezone="UTC",
                                    hours={d: [("00:00", "24:00")] for d in range(7) if d != today})
        policy = SlaPolicy(close_grace_s=60, calendar=calendar, assign_retry_s=6 * 3600, target_chains={
            SlaTarget.ASSIGN: [EscalationStep(role=EscalationRole.SUPERVISOR),
                               EscalationStep(role=EscalationRole.MANAGER, after_breach_s=600)]})
        backend = FakeBackend(language="th", domain=RequestDomain.AFTER_SALES)
        backend.routing.agents = demo_agents(presence="offline")
        backend.routing.teams = demo_teams()
        async with fake_workers(env.client, backend) as queue:
            inp = TicketInput(ticket_id=f"replay-routing-{uuid.uuid4().hex[:6]}", channel=Channel.EMAIL,
                              customer=Customer(email="k.somsak@example.co.th", timezone="Asia/Bangkok"),
                              subject="เครื่องเสีย", body="เครื่องที่ส่งซ่อมกลับมาแล้วยังเปิดไม่ติดครับ", sla=policy)
            handle = await env.client.start_workflow(TicketWorkflow.run, inp, id=f"ticket-{inp.ticket_id}",
                                                     task_queue=queue)
            await env.sleep(timedelta(days=1, minutes=45))
            backend.routing.agent("somchai.k").presence = "online"
            await handle.signal(TicketWorkflow.retry_assignment)
            await env.sleep(2)
            await handle.execute_update("reply", ReplyRequest(agent_id="somchai.k", text="请重启设备。"))
            await env.sleep(timedelta(hours=3))
            await handle.signal(TicketWorkflow.customer_message,
                                CustomerMessage(text="ยังไม่ได้ครับ", message_id="<m2@example.co.th>"))
            await env.sleep(2)
            await handle.execute_update("resolve", ResolveRequest(by="somchai.k", resolution="swap"))
            await env.sleep(120)
            await handle.result()
            history = await handle.fetch_history()
        PATH.write_text(history.to_json(), encoding="utf-8")
        print("recorded", PATH, len(history.events), "events")
    finally:
        await env.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
