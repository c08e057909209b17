"""A new ticket's intake: record, language, translations, classification, SLA, first routing.

Called once by `TicketWorkflow.run` for a ticket's first run (a continued run resumes instead).
Steps that do not depend on each other run side by side: the first projection write with
language ID, the body's with the subject's translation.
"""

import asyncio
from typing import TYPE_CHECKING

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.sla import SlaPolicy, SlaTarget
    from domain.status import TicketStatus
    from domain.ticket import TicketInput, TicketState
    from workflows import ticket_conversation as conversation
    from workflows import ticket_routing as routing
    from workflows import ticket_sla as sla
    from workflows import ticket_steps as steps
    from workflows.patches import INTAKE_PARALLEL_PATCH
    from workflows.sla_clock import SlaClocks

if TYPE_CHECKING:
    from workflows.ticket import TicketWorkflow

async def intake(wf: "TicketWorkflow", inp: TicketInput) -> None:
    now = workflow.now()
    s = wf.state = TicketState(
        ticket_id=inp.ticket_id,
        channel=inp.channel,
        customer=inp.customer,
        subject=inp.subject,
        priority=inp.priority,
        internal_language=inp.internal_language,
        attachments=inp.attachments,
        external_ids=inp.external_ids,
        created_at=inp.received_at or now,
        updated_at=now,
        sla_policy=inp.sla or SlaPolicy(),
    )
    wf.clocks = SlaClocks(s.sla, s.sla_policy or SlaPolicy())
    if inp.message_id:
        wf._seen_message_ids.add(inp.message_id)
    first = steps.inbound_message(1, inp.customer, inp.body, inp.received_at or now, inp.message_id)
    s.messages.append(first)
    wf._dirty_messages.add(1)
    wf._event("created", f"Ticket received via {inp.channel}", actor="customer", public=True)
    text = steps.detection_text(inp.subject, inp.body)
    prior = [inp.customer.language] if inp.customer.language else []
    # The first projection write and language ID, then the body's and the subject's
    # translations, run side by side: two sequential activity waits fewer per ticket.
    parallel = wf.patches.patched(INTAKE_PARALLEL_PATCH)
    if parallel:
        _, s.detection = await asyncio.gather(wf._flush(),
                                              steps.detect(text, prior, inp.customer.country))
    else:  # histories from before: one after the other
        await wf._flush()
        s.detection = await steps.detect(text, prior, inp.customer.country)
    s.language = s.detection.language
    first.language = s.language
    wf._event(
        "language_detected",
        f"Language {s.language} ({s.detection.confidence:.2f})",
        data={
            "language": s.language,
            "confidence": round(s.detection.confidence, 3),
            "mixed": s.detection.mixed,
        },
    )

    if parallel and inp.subject:
        _, subject_tr = await asyncio.gather(
            conversation.translate_inbound(wf, first),
            steps.translate(inp.subject, s.language, s.internal_language, None, None))
        s.subject_translated = subject_tr.text
    else:
        await conversation.translate_inbound(wf, first)
        if inp.subject:
            subject_tr = await steps.translate(inp.subject, s.language, s.internal_language, None, None)
            s.subject_translated = subject_tr.text

    s.classification = await steps.classify(text, s.language, first.translated_text)
    wf._event(
        "classified",
        f"Domain {s.classification.domain} ({s.classification.confidence:.2f})",
        data={
            "domain": s.classification.domain,
            "confidence": round(s.classification.confidence, 3),
            "industry": s.classification.industry,
            "layer": s.classification.layer,
        },
    )
    s.triage_reasons = steps.triage_reasons(s.detection, s.classification)
    s.needs_triage = bool(s.triage_reasons)
    if s.needs_triage:
        wf._event("triage", "Needs triage: " + "; ".join(s.triage_reasons))

    wf._enter(TicketStatus.PENDING_ASSIGNMENT, "Waiting for assignment")
    if not routing.enabled(wf):  # a history from before routing/business-time SLAs
        wf.clocks.start(SlaTarget.ASSIGN, workflow.now())
        wf.clocks.start(SlaTarget.RESOLUTION, workflow.now())
        await wf._flush()
        return
    await sla.start_clocks(wf, inp)  # policy version + calendar, deadlines, after-hours ack
    # Received: from here a person may assign (a router answer arriving later is then dropped).
    wf._intake_done = True
    wf.state.accepting_actions = True
    await wf._flush()
    await routing.auto_assign(wf)  # the decision and its reasons go to the timeline
    await sla.settle_clocks(wf)
    await wf._flush()
