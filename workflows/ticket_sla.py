"""SLA seen from the ticket: resolve policy + calendar once, business deadlines, the escalation chain.

Called from TicketWorkflow (end of intake, `_tick_sla`). Activities are called by name with
explicit result types. Failures never stop a ticket: resolution falls back to the default
policy on wall-clock time, deadline computation to wall-clock arithmetic, and the timeline
says so.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain.ids import ActivityName
    from domain.routing import (
        ComputedDeadlines,
        ComputeDeadlinesRequest,
        EscalationContacts,
        ResolvedSla,
        ResolveSlaRequest,
    )
    from domain.sla import EscalationRole, SlaPolicy, SlaTarget
    from domain.ticket import (
        DeliveryState,
        Direction,
        TicketInput,
        TicketMessage,
        TicketState,
        raise_priority,
    )
    from workflows import ticket_routing as routing
    from workflows import ticket_steps as steps
    from workflows.sla_clock import SlaBreach, SlaClocks, SlaEscalation, SlaWarning

if TYPE_CHECKING:
    from workflows.ticket import TicketWorkflow


def sla_options() -> dict[str, Any]:
    return {"start_to_close_timeout": timedelta(seconds=30),
            "retry_policy": RetryPolicy(initial_interval=timedelta(seconds=1),
                                        maximum_interval=timedelta(seconds=30), maximum_attempts=6,
                                        non_retryable_error_types=["BadCalendar"])}


async def resolve(state: TicketState, at: datetime, explicit: SlaPolicy | None) -> ResolvedSla | None:
    req = ResolveSlaRequest(
        ticket_id=state.ticket_id, priority=str(state.priority), tier=str(state.customer.tier),
        channel=str(state.channel), language=state.language, domain=str(state.classification.domain),
        at=at, policy=explicit, customer_timezone=state.customer.timezone, ticket_ref=f"#{state.ticket_id}",
    )
    try:
        return await workflow.execute_activity(ActivityName.RESOLVE_SLA, req, result_type=ResolvedSla,
                                               **sla_options())
    except ActivityError as exc:
        workflow.logger.warning("SLA resolution for %s failed: %s", state.ticket_id, exc.cause or exc)
        return None


async def settle(clocks: SlaClocks) -> str | None:
    """Give clocks waiting for business-time deadlines their datetimes; returns a problem, if any."""
    fresh, resumed = clocks.pending()
    if not fresh and not resumed:
        return None
    calendar = clocks.state.calendar
    if calendar is None:
        clocks.settle_in_wall_time()
        return None
    req = ComputeDeadlinesRequest(calendar=calendar, fresh=fresh, resumed=resumed)
    try:
        computed = await workflow.execute_activity(ActivityName.COMPUTE_SLA_DEADLINES, req,
                                                   result_type=ComputedDeadlines, **sla_options())
    except ActivityError as exc:
        clocks.settle_in_wall_time()
        return f"business-time deadlines unavailable ({exc.cause or exc}); counting wall-clock time"
    clocks.apply(computed)
    return None


def describe(resolved: ResolvedSla) -> tuple[str, dict[str, str | int | float | bool | None]]:
    policy, calendar = resolved.policy, resolved.calendar
    where = (f"business hours of {calendar.calendar_id} ({calendar.timezone})" if calendar
             else "wall-clock time")
    summary = f"SLA policy {policy.policy_id} v{policy.version} in {where}"
    data: dict[str, str | int | float | bool | None] = {
        "policy": policy.policy_id, "version": policy.version,
        "calendar": calendar.calendar_id if calendar else None,
        "timezone": calendar.timezone if calendar else None, "open_now": resolved.open_now,
    }
    for target, d in resolved.deadlines.items():
        data[f"{target}_due"] = d.deadline.isoformat()
    return summary, data


# ------------------------------------------------------------------------------ the ticket side
async def start_clocks(wf: "TicketWorkflow", inp: TicketInput) -> None:
    """At intake: the policy version and calendar in force from now on, the first two clocks, the ack."""
    s = wf.state
    now = workflow.now()
    explicit = inp.sla
    if explicit is not None and not explicit.uses_business_time():
        wf.clocks.start(SlaTarget.ASSIGN, now)  # an explicit wall-clock policy: nothing to resolve
        wf.clocks.start(SlaTarget.RESOLUTION, now)
        return
    resolved = await resolve(s, now, explicit)
    if resolved is None:
        s.sla_policy = explicit or SlaPolicy()
        wf.clocks = SlaClocks(s.sla, s.sla_policy)
        wf._event("deadline_fallback", "SLA policy could not be resolved: default targets in wall-clock time")
        wf.clocks.start(SlaTarget.ASSIGN, now)
        wf.clocks.start(SlaTarget.RESOLUTION, now)
        return
    s.sla_policy = resolved.policy
    s.sla.calendar = resolved.calendar
    wf.clocks = SlaClocks(s.sla, resolved.policy)
    for target, due in resolved.deadlines.items():
        wf.clocks.start(target, now, due.deadline, due.warn_at)
    summary, data = describe(resolved)
    wf._event("policy", summary, data=data)
    if resolved.acknowledgement is not None:
        await send_ack(wf, resolved)


async def send_ack(wf: "TicketWorkflow", resolved: ResolvedSla) -> None:
    """Outside business hours: tell the customer, in their language, when to expect an answer.

    Sent directly (not through the reply outbox): it is not a first response and does not
    stop any clock or pause the resolution clock.
    """
    ack = resolved.acknowledgement
    if ack is None:
        return
    s = wf.state
    text, language = ack.text, ack.language
    if language != s.language and s.language != "und":
        translated = await steps.translate(ack.text, ack.language, s.language, None, None)
        if translated.text and translated.state == "translated":
            text, language = translated.text, s.language
    message = TicketMessage(
        seq=s.next_seq(), direction=Direction.OUTBOUND, author="system", original_text=ack.text,
        language=ack.language, translated_text=text, translation_language=language, engine="template",
        translation_state="not_needed", created_at=workflow.now(), delivery=DeliveryState.SENDING,
        template="after_hours_ack",
    )
    s.messages.append(message)
    wf._dirty_messages.add(message.seq)
    await wf._flush()  # the outgoing record exists before anything leaves
    result = await steps.send_reply(s, message)
    wf._dirty_messages.add(message.seq)
    if result.state == "failed":
        message.delivery = DeliveryState.FAILED
        message.delivery_detail = result.detail
        wf._event("auto_ack_failed", f"After-hours acknowledgement not delivered: {result.detail}",
                  data={"seq": message.seq})
        return
    message.delivery = DeliveryState.SENT
    message.external_message_id = result.message_id
    wf._event("auto_ack", f"Outside business hours: acknowledgement sent in {language}, first response "
              f"expected by {ack.expected_by.isoformat()}", public=True,
              data={"seq": message.seq, "language": language, "expected_by": ack.expected_by.isoformat()})


def step_person(role: EscalationRole, state: TicketState, people: EscalationContacts) -> str:
    """Who hears about a chain step; the role name when the store knows nobody (still an alert)."""
    if role is EscalationRole.AGENT:
        return state.assignee or people.supervisor or str(EscalationRole.SUPERVISOR)
    if role is EscalationRole.SUPERVISOR:
        return people.supervisor or str(EscalationRole.SUPERVISOR)
    return people.manager or str(EscalationRole.MANAGER)


def recipients(person: str, state: TicketState) -> list[str]:
    # The assignee is copied on every step above them, so nobody is surprised by a reassignment.
    return [person] + ([state.assignee] if state.assignee and state.assignee != person else [])


async def settle_clocks(wf: "TicketWorkflow") -> None:
    problem = await settle(wf.clocks)
    if problem:
        wf._event("deadline_fallback", problem)


async def tick(wf: "TicketWorkflow") -> None:
    """Settle business deadlines, then fire warnings, breaches and chain steps that are due."""
    await settle_clocks(wf)
    fired = wf.clocks.due(workflow.now())
    if not fired:
        return
    s = wf.state
    people = await routing.contacts(s)
    if people.supervisor or people.manager:
        s.routing.supervisor, s.routing.manager = people.supervisor, people.manager
    for due in fired:
        if isinstance(due, SlaWarning):
            person = step_person(EscalationRole.AGENT, s, people)
            wf._event("sla_warning", f"SLA {due.target} due at {due.deadline.isoformat()}",
                      data={"target": due.target, "deadline": due.deadline.isoformat(), "to": person})
            await steps.notify(s.ticket_id, "sla_warning", [person], f"SLA {due.target} due soon", "warning")
        elif isinstance(due, SlaBreach):
            s.sla_breached = True
            wf._event("sla_breach", f"SLA {due.target} breached", data={"target": due.target,
                                                                       "deadline": due.deadline.isoformat()})
            wf._upsert_search_attributes()
        elif isinstance(due, SlaEscalation):
            step = due.step
            person = step_person(step.role, s, people)
            s.escalation_level = max(s.escalation_level, due.step_index + 1)
            if step.raise_priority:
                s.priority = raise_priority(s.priority)
            wf._event("escalation", f"Escalated to {step.role} {person} ({due.target})",
                      data={"target": due.target, "role": step.role, "to": person,
                            "level": s.escalation_level, "priority": str(s.priority)})
            await steps.notify(s.ticket_id, "escalation", recipients(person, s),
                               f"SLA {due.target} breached: escalated to {step.role}", "critical")
            wf._upsert_search_attributes()
            if step.reassign:
                await routing.reassign_on_escalation(wf, due.target)


async def tick_before_routing(wf: "TicketWorkflow") -> None:
    """The SLA tick of histories from before routing and business-time SLAs: wall-clock
    deadlines, recipients from the ticket alone, no reassignment."""
    s = wf.state
    for due in wf.clocks.due(workflow.now()):
        recipients = [s.assignee] if s.assignee else []
        if isinstance(due, SlaWarning):
            wf._event(
                "sla_warning",
                f"SLA {due.target} due at {due.deadline.isoformat()}",
                data={"target": due.target},
            )
            await steps.notify(
                s.ticket_id,
                "sla_warning",
                recipients or ["supervisor"],
                f"SLA {due.target} due soon",
                "warning",
            )
        elif isinstance(due, SlaBreach):
            s.sla_breached = True
            wf._event("sla_breach", f"SLA {due.target} breached", data={"target": due.target})
            wf._upsert_search_attributes()
        elif isinstance(due, SlaEscalation):
            s.escalation_level = max(s.escalation_level, due.step_index + 1)
            if due.step.raise_priority:
                s.priority = raise_priority(s.priority)
            wf._event(
                "escalation",
                f"Escalated to {due.step.role} ({due.target})",
                data={"target": due.target, "role": due.step.role, "level": s.escalation_level},
            )
            await steps.notify(
                s.ticket_id,
                "escalation",
                [str(due.step.role), *recipients],
                f"SLA {due.target} breached: escalated to {due.step.role}",
                "critical",
            )
            wf._upsert_search_attributes()
