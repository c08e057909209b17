"""A template reply through TicketWorkflow: the approved variant is sent as is, with no MT call.

Time-skipping server with the same-named fake activities. The ticket starts already received and
assigned (the continue-as-new path, as the collaboration tests do), so no update ever meets a
ticket still in intake.
"""

from typing import cast

from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from domain.actions import ActionResult, ReplyRequest
from domain.nlp import Classification, RequestDomain
from domain.ticket import DeliveryState, TicketMessage, TicketState
from templates.model import Availability
from templates.service import TemplateService
from templates.store import MemoryVariantStore
from tests.helpers.collaboration_flow import AGENT, assigned_state, snapshot, ticket_input
from tests.helpers.fake_activities import FakeBackend, fake_workers
from tests.templates.conftest import ORDER_VALUES
from workflows.ticket import TicketWorkflow


async def wait_for(env: WorkflowEnvironment, handle: WorkflowHandle, done) -> TicketState:  # type: ignore[no-untyped-def]
    for _ in range(200):
        state = await snapshot(handle)
        if done(state):
            return state
        await env.sleep(0.05)
    raise AssertionError(f"condition never met; status {state.status}")


def sent(seq: int):  # type: ignore[no-untyped-def]
    return lambda state: any(m.seq == seq and m.delivery is DeliveryState.SENT for m in state.messages)


def message(state: TicketState, seq: int) -> TicketMessage:
    return next(m for m in state.messages if m.seq == seq)


async def test_reply_from_an_approved_template_variant_needs_no_machine_translation(
        ts_env: WorkflowEnvironment, catalog) -> None:  # type: ignore[no-untyped-def]
    backend = FakeBackend(language="de", domain=RequestDomain.LOGISTICS)
    service = TemplateService(catalog, MemoryVariantStore())  # no translator at all: none may be needed
    inp = ticket_input()
    inp.carried_state = assigned_state(inp, await ts_env.get_current_time())
    inp.carried_state.classification = Classification(domain=RequestDomain.LOGISTICS, confidence=0.9)
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await ts_env.client.start_workflow(TicketWorkflow.run, inp, id=f"ticket-{inp.ticket_id}",
                                                    task_queue=queue)
        state = await wait_for(ts_env, handle, lambda s: s.ticket_id == inp.ticket_id)

        # What the console does: templates for the ticket's domain and language, preview, send.
        choices = service.list_templates(str(state.classification.domain), state.language)
        assert (choices[0].name, choices[0].availability) == ("order_status", Availability.APPROVED)
        preview = service.preview("order_status", state.language, ORDER_VALUES)
        request = service.reply_request(preview, AGENT, request_id="tpl-1")
        assert request.customer_text == preview.customer_text
        translations_before = len(backend.translations)

        result = cast(ActionResult, await handle.execute_update(TicketWorkflow.reply, request))
        assert result.seq is not None
        state = await wait_for(ts_env, handle, sent(result.seq))
        reply = message(state, result.seq)
        assert backend.sent[-1].text == preview.customer_text
        assert backend.sent[-1].text.startswith("Guten Tag,\n\nIhre Bestellung A123 wurde versandt.")
        assert (reply.translated_text, reply.engine, reply.template) == (preview.customer_text, "approved",
                                                                         "order_status")
        assert reply.original_text == preview.internal_text  # the Chinese stays on the ticket for agents
        assert backend.translations[translations_before:] == []  # translate_text was not called

        # Contrast: a free-text reply does go through translate_text, so the check above is meaningful.
        free_text = ReplyRequest(agent_id=AGENT, text="请耐心等待。")
        free = cast(ActionResult, await handle.execute_update(TicketWorkflow.reply, free_text))
        assert free.seq is not None
        await wait_for(ts_env, handle, sent(free.seq))
        outbound = [(t.source, t.target, t.text) for t in backend.translations[translations_before:]]
        assert outbound == [("zh", "de", "请耐心等待。")]
        await handle.terminate()
