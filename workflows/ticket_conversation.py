"""The conversation seen from the ticket: customer messages in, replies out, retranslation.

Called from TicketWorkflow's main loop (and intake, for the first message). Deterministic: the
NLP and sending happen in activities via `workflows/ticket_steps.py`. A reply is held until its
translation exists, is recorded before it leaves, and is sent once per (ticket_id, seq).
"""

from datetime import timedelta
from typing import TYPE_CHECKING

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.nlp import TranslationResult
    from domain.sla import SlaTarget
    from domain.status import TicketStatus
    from domain.ticket import DeliveryState, Direction, TicketMessage
    from workflows import ticket_steps as steps

if TYPE_CHECKING:
    from workflows.ticket import TicketWorkflow

# Retry untranslated messages (model missing or failing) this often until a model is back.
RETRANSLATE_EVERY = timedelta(minutes=10)


async def translate_message(
    wf: "TicketWorkflow", message: TicketMessage, source: str, target: str
) -> TranslationResult:
    """Translate one message in place; schedule a retry when a model may come back."""
    s = wf.state
    result = await steps.translate(
        message.original_text, source, target, s.classification.domain, s.classification.industry
    )
    steps.apply_translation(message, result)
    wf._dirty_messages.add(message.seq)
    if steps.needs_retry(result):
        wf._retranslate_at = workflow.now() + RETRANSLATE_EVERY
    return result


async def translate_inbound(wf: "TicketWorkflow", message: TicketMessage) -> None:
    await translate_message(wf, message, message.language, wf.state.internal_language)


async def process_inbox(wf: "TicketWorkflow") -> None:
    while wf._inbox:
        msg = wf._inbox.pop(0)
        s = wf.state
        now = workflow.now()
        message = steps.inbound_message(s.next_seq(), s.customer, msg.text, msg.received_at or now,
                                        msg.message_id)
        s.messages.append(message)
        wf._dirty_messages.add(message.seq)
        detection = await steps.detect(msg.text, [s.language], s.customer.country)
        # A short follow-up ("Danke!") inherits the ticket's language when detection is unsure.
        message.language = detection.language if detection.reliable else s.language
        await translate_inbound(wf, message)
        wf._event(
            "customer_message",
            "Customer wrote again",
            actor="customer",
            public=True,
            data={"seq": message.seq, "language": message.language},
        )
        if s.awaiting_customer:
            s.awaiting_customer = False
            wf.clocks.resume(SlaTarget.RESOLUTION, now)
        if s.status is TicketStatus.CLOSED:
            s.reopen_count += 1
            s.closed_at = None
            wf._reopen("Customer wrote after closing")
        elif s.status in (TicketStatus.PROCESSING, TicketStatus.PENDING_REPLY) and s.first_response_at:
            wf.clocks.start(SlaTarget.NEXT_REPLY, now)
        if s.assignee:
            await steps.notify(
                s.ticket_id,
                "new_message",
                [s.assignee],
                f"New message from {s.customer.email or s.customer.name}",
            )


async def retranslate_if_due(wf: "TicketWorkflow") -> None:
    if wf._retranslate_at is None or workflow.now() < wf._retranslate_at:
        return
    wf._retranslate_at = None
    for message in wf.state.messages:
        if message.direction is Direction.INBOUND and steps.needs_retry_state(message.translation_state):
            await translate_inbound(wf, message)
            if message.translated_text:
                wf._event(
                    "translated",
                    f"Message {message.seq} translated after retry",
                    data={"seq": message.seq},
                )


async def process_outbox(wf: "TicketWorkflow") -> None:
    s = wf.state
    for message in s.messages:
        if message.direction is not Direction.OUTBOUND or message.delivery is not DeliveryState.HELD:
            continue
        if message.translated_text is None:
            result = await translate_message(wf, message, s.internal_language, s.language)
            if message.translated_text is None:
                message.delivery_detail = result.detail or f"no translation {result.state}"
                continue
        await send(wf, message)


async def send(wf: "TicketWorkflow", message: TicketMessage) -> None:
    s = wf.state
    message.delivery = DeliveryState.SENDING
    wf._dirty_messages.add(message.seq)
    await wf._flush()  # the outgoing record exists before anything leaves
    result = await steps.send_reply(s, message)
    now = workflow.now()
    # Project the outcome too (sent/failed + Message-ID): the status page and threading read it.
    wf._dirty_messages.add(message.seq)
    if result.state == "failed":
        message.delivery = DeliveryState.FAILED
        message.delivery_detail = result.detail
        wf._event(
            "delivery_failed",
            f"Reply {message.seq} not delivered: {result.detail}",
            data={"seq": message.seq},
        )
        if s.assignee:
            await steps.notify(s.ticket_id, "delivery_failed", [s.assignee], result.detail, "warning")
        return
    message.delivery = DeliveryState.SENT
    message.external_message_id = result.message_id
    wf._event(
        "reply_sent",
        f"Reply {message.seq} sent in {message.translation_language or s.language}",
        actor=message.author,
        public=True,
        data={"seq": message.seq},
    )
    if s.first_response_at is None:
        s.first_response_at = now
    wf.clocks.stop(SlaTarget.FIRST_REPLY)
    wf.clocks.stop(SlaTarget.NEXT_REPLY)
    wf.clocks.stop(SlaTarget.PENDING_REPLY)
    s.awaiting_customer = True
    wf.clocks.pause(SlaTarget.RESOLUTION, now)
    if s.status is TicketStatus.PENDING_REPLY:
        wf._enter(TicketStatus.PROCESSING, "Reply sent")
