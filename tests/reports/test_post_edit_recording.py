"""The machine translation an agent edited is recorded next to what was sent (post-edit rate).

TicketWorkflow on the time-skipping server with the same-named fake activities, started already
assigned like the template reply tests.
"""

from typing import cast

from temporalio.testing import WorkflowEnvironment

from domain.actions import ActionResult, ReplyRequest
from domain.ticket import DeliveryState, TicketState
from store.projection import message_values
from store.reports.editdistance import post_edit_distance
from tests.helpers.collaboration_flow import AGENT, assigned_ticket, snapshot
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.ticket import TicketWorkflow

MACHINE = "Ihre Bestellung ist versandt."
SENT = "Ihre Bestellung wurde versandt."


async def test_edited_reply_keeps_the_machine_version(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend(language="de")
    async with fake_workers(ts_env.client, backend) as queue:
        # Waits until the carried-over ticket is resumed (an earlier update is refused).
        handle = await assigned_ticket(ts_env, queue)
        edited = ReplyRequest(agent_id=AGENT, text="您的订单已发货。", customer_text=SENT,
                              machine_text=MACHINE)
        plain = ReplyRequest(agent_id=AGENT, text="请耐心等待。", machine_text="dropped: no customer_text")
        first = cast(ActionResult, await handle.execute_update(TicketWorkflow.reply, edited))
        second = cast(ActionResult, await handle.execute_update(TicketWorkflow.reply, plain))
        state: TicketState | None = None
        for _ in range(200):
            state = await snapshot(handle)
            ours = [m for m in state.messages if m.seq in (first.seq, second.seq)]
            if len(ours) == 2 and all(m.delivery is DeliveryState.SENT for m in ours):
                break
            await ts_env.sleep(0.05)
        await handle.terminate()
    assert state is not None
    by_seq = {m.seq: m for m in state.messages}
    reply = by_seq[first.seq or -1]
    assert (reply.translated_text, reply.machine_text) == (SENT, MACHINE)
    assert backend.sent[0].text == SENT
    # A reply machine-translated at send time was not edited by anyone: nothing to measure.
    assert by_seq[second.seq or -1].machine_text is None
    row = message_values(state.ticket_id, reply)
    assert row["machine_text"] == MACHINE
    # "ist" -> "wurde": 3 substitutions + 2 insertions over the 31 characters sent.
    assert post_edit_distance(row["machine_text"], row["translated_text"]) == 5 / 31
