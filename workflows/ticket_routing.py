"""Auto-assignment seen from the ticket: ask the router, record why, apply, retry while pending.

Called from TicketWorkflow (end of intake, the main loop's wait, the `assign` update, SLA
escalation). Deterministic: the scoring runs in the `assign_ticket` activity (it needs the
store); the workflow records and applies its decision. A person's assignment always wins: a
decision that comes back after a manual `assign` is dropped, and escalation never moves a
manually assigned ticket.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain.ids import ActivityName
    from domain.routing import (
        AssignmentDecision,
        AssignTicketRequest,
        ClockDeadline,
        ComputedDeadlines,
        DeadlineSpec,
        EscalationContacts,
        EscalationContactsRequest,
    )
    from domain.sla import SlaPolicy, SlaTarget
    from domain.status import TicketStatus
    from domain.ticket import CustomerTier, TicketState
    from workflows.patches import FIRST_REPLY_PATCH, ROUTING_PATCH

if TYPE_CHECKING:
    from workflows.ticket import TicketWorkflow

ROUTER = "router"

EventData = dict[str, str | int | float | bool | None]


def enabled(wf: "TicketWorkflow") -> bool:
    return wf.patches.patched(ROUTING_PATCH)


def routing_options() -> dict[str, Any]:
    # A failed attempt leaves the ticket pending; the periodic retry asks again.
    return {"start_to_close_timeout": timedelta(seconds=30),
            "retry_policy": RetryPolicy(initial_interval=timedelta(seconds=1),
                                        maximum_interval=timedelta(seconds=20), maximum_attempts=4)}


# ------------------------------------------------------------------------------ activity calls
async def decide(state: TicketState, at: datetime, exclude: list[str] | None = None,
                 first_reply: DeadlineSpec | None = None) -> AssignmentDecision | None:
    c = state.classification
    req = AssignTicketRequest(
        ticket_id=state.ticket_id, language=state.language, internal_language=state.internal_language,
        domain=str(c.domain), industry=str(c.industry) if c.industry else None, priority=str(state.priority),
        vip=state.customer.tier is CustomerTier.VIP, at=at, exclude=exclude or [],
        attempt=state.routing.attempts, first_reply=first_reply,
        calendar=state.sla.calendar if first_reply is not None else None,
    )
    try:
        return await workflow.execute_activity(ActivityName.ASSIGN_TICKET, req,
                                               result_type=AssignmentDecision, **routing_options())
    except ActivityError as exc:
        workflow.logger.warning("assignment of %s failed: %s", state.ticket_id, exc.cause or exc)
        return None


async def contacts(state: TicketState) -> EscalationContacts:
    req = EscalationContactsRequest(ticket_id=state.ticket_id, team_id=state.team, assignee=state.assignee,
                                    language=state.language, domain=str(state.classification.domain))
    try:
        return await workflow.execute_activity(ActivityName.ESCALATION_CONTACTS, req,
                                               result_type=EscalationContacts, **routing_options())
    except ActivityError:
        return EscalationContacts(team_id=state.team)


def decision_data(decision: AssignmentDecision) -> EventData:
    """The decision in timeline form (flat values): the top candidates, their scores and why."""
    data: EventData = {"agent": decision.agent_id, "team": decision.team_id, "score": decision.score,
                       "translation_fallback": decision.translation_fallback}
    for i, c in enumerate(decision.candidates, start=1):
        data[f"candidate_{i}"] = c.agent_id
        data[f"candidate_{i}_score"] = c.score
        data[f"candidate_{i}_why"] = ", ".join(c.reasons)
    for why, n in sorted(decision.rejected.items()):
        data[f"not_eligible_{why.replace(' ', '_')}"] = n
    return data


# ------------------------------------------------------------------------------ the ticket side
def apply_assignment(wf: "TicketWorkflow", agent_id: str, team: str | None, by: str, reason: str,
                     manual: bool, first_reply: tuple[datetime, ClockDeadline] | None = None) -> None:
    """Assign (or reassign) and move the ticket on; `manual` marks a person's decision.

    `first_reply`: the first-reply clock's start and its business-time deadline, computed with
    the decision; without it the main loop asks `compute_sla_deadlines` for one.
    """
    s = wf.state
    if s.assignee and s.assignee != agent_id:
        s.reassigned = True
        wf._event("reassigned", f"Reassigned from {s.assignee} to {agent_id}", actor=by,
                  data={"from": s.assignee, "to": agent_id, "reason": reason, "manual": manual})
    else:
        wf._event("assigned", f"Assigned to {agent_id}" + (f": {reason}" if reason else ""), actor=by,
                  data={"agent": agent_id, "reason": reason, "manual": manual})
    s.assignee = agent_id
    s.team = team or s.team
    s.assignment_count += 1
    if manual:
        s.routing.manual = True
    wf._assign_retry_at = None
    if s.status is TicketStatus.PENDING_ASSIGNMENT:
        wf._enter(TicketStatus.PROCESSING, f"Assigned to {agent_id}", actor=by)
        wf.clocks.stop(SlaTarget.ASSIGN)
        if s.first_response_at is None and first_reply is not None:
            started, deadline = first_reply
            wf.clocks.start(SlaTarget.FIRST_REPLY, started)
            wf.clocks.apply(ComputedDeadlines(deadlines={SlaTarget.FIRST_REPLY: deadline}))
        elif s.first_response_at is None:
            wf.clocks.start(SlaTarget.FIRST_REPLY, workflow.now())
    wf._upsert_search_attributes()
    wf._wake = True


def _pending(state: TicketState) -> bool:
    return state.status is TicketStatus.PENDING_ASSIGNMENT and state.assignee is None


async def auto_assign(wf: "TicketWorkflow") -> None:
    """One routing attempt for a pending ticket; schedules the next one if nobody qualifies."""
    s = wf.state
    if not _pending(s):
        wf._assign_retry_at = None
        return
    s.routing.attempts += 1
    wf._assign_nudged = False
    at = workflow.now()
    spec = None
    if s.first_response_at is None and wf.patches.patched(FIRST_REPLY_PATCH):
        spec = wf.clocks.fresh_spec(SlaTarget.FIRST_REPLY, at)
    decision = await decide(s, at, first_reply=spec)
    retry_s = (s.sla_policy or SlaPolicy()).assign_retry_s
    wf._assign_retry_at = workflow.now() + timedelta(seconds=retry_s)
    if decision is None or not _pending(s):
        return  # the router failed (retry later), or a person assigned the ticket meanwhile
    if decision.team_id and not s.team:
        s.team = decision.team_id  # the team's queue, even before an agent is found
    if decision.translation_fallback and not s.routing.translation_fallback:
        s.routing.translation_fallback = True
        reason = f"no agent speaks {s.language}: routed to {s.internal_language} speakers via translation"
        s.triage_reasons.append(reason)
        s.needs_triage = True
        wf._event("routing_fallback", reason.capitalize(), data={"language": s.language})
    if decision.agent_id is None:
        if decision.summary != s.routing.last_pending_reason:  # record changes, not every retry
            s.routing.last_pending_reason = decision.summary
            wf._event("assignment_pending", f"No agent can take the ticket now: {decision.summary}",
                      actor=ROUTER, data=decision_data(decision))
        return
    wf._event("assignment_decision", decision.summary, actor=ROUTER, data=decision_data(decision))
    first_reply = None
    if spec is not None and decision.first_reply is not None:
        first_reply = (at, decision.first_reply)
    apply_assignment(wf, decision.agent_id, decision.team_id, ROUTER, f"score {decision.score:g}",
                     manual=False, first_reply=first_reply)


async def retry_if_due(wf: "TicketWorkflow") -> None:
    """From the main loop: ask again when the retry time came, or when someone nudged the ticket."""
    s = wf.state
    if not _pending(s):
        wf._assign_retry_at = None
        return
    due = wf._assign_retry_at
    if wf._assign_nudged or due is None or workflow.now() >= due:
        await auto_assign(wf)


async def reassign_on_escalation(wf: "TicketWorkflow", target: SlaTarget) -> None:
    """An escalation step with `reassign`: move the ticket to the best other agent, if any."""
    s = wf.state
    current = s.assignee
    if current is None or s.routing.manual:
        return
    decision = await decide(s, workflow.now(), exclude=[current])
    if decision is None or decision.agent_id is None or s.assignee != current or s.routing.manual:
        return
    wf._event("assignment_decision", f"SLA {target} escalation: {decision.summary}", actor=ROUTER,
              data=decision_data(decision))
    apply_assignment(wf, decision.agent_id, decision.team_id, "escalation",
                     f"SLA {target} breached by {current}", manual=False)
