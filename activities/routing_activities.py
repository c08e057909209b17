"""Routing activities (task queue `tickets`): pick an agent by skills, find who to escalate to."""

from zoneinfo import ZoneInfoNotFoundError

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from domain.calendar import BusinessCalendar
from domain.ids import ActivityName
from domain.routing import (
    AssignmentDecision,
    AssignTicketRequest,
    ClockDeadline,
    ComputeDeadlinesRequest,
    DeadlineSpec,
    EscalationContacts,
    EscalationContactsRequest,
)
from routing.deadlines import compute_deadlines
from routing.scoring import decide, route_team
from store.agents import escalation_contacts, list_teams, record_pick, routing_snapshot


class RoutingActivities:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    @activity.defn(name=ActivityName.ASSIGN_TICKET)
    def assign_ticket(self, req: AssignTicketRequest) -> AssignmentDecision:
        with self.sessions.begin() as session:
            agents, teams = routing_snapshot(session)
            decision = decide(req, agents, teams)
            if decision.agent_id:
                # Round-robin memory; a retried activity only moves the same agent's mark again.
                record_pick(session, decision.agent_id, req.at)
        if decision.agent_id and req.first_reply is not None and req.calendar is not None:
            decision.first_reply = first_reply_deadline(req.first_reply, req.calendar)
        activity.logger.info("assign %s: %s", req.ticket_id, decision.summary)
        return decision

    @activity.defn(name=ActivityName.ESCALATION_CONTACTS)
    def escalation_contacts(self, req: EscalationContactsRequest) -> EscalationContacts:
        with self.sessions.begin() as session:
            team_id = req.team_id
            if team_id is None and not req.assignee:
                team = route_team(list_teams(session), req.language, req.domain)
                team_id = team.team_id if team else None
            return escalation_contacts(session, team_id, req.assignee)


def first_reply_deadline(spec: DeadlineSpec, calendar: BusinessCalendar) -> ClockDeadline | None:
    """The deadline `compute_sla_deadlines` would give; None (the ticket then asks that activity,
    which reports the problem) when the calendar cannot be used."""
    try:
        computed = compute_deadlines(ComputeDeadlinesRequest(calendar=calendar, fresh=[spec]))
    except (ValueError, ZoneInfoNotFoundError):
        return None
    return computed.deadlines.get(spec.target)
