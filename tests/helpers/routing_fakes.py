"""In-memory stand-ins for the routing and SLA activities (same names as the real ones).

They run the real pure logic (`routing/scoring.py`, `routing/deadlines.py`) over agents,
teams and policies kept in memory, so workflow tests exercise real scoring and business time
without a database. Defaults (no agents, no store policy) keep tickets pending on wall-clock
time, which is what the older workflow tests expect.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.routing_activities import first_reply_deadline
from domain.calendar import BusinessCalendar
from domain.ids import ActivityName
from domain.routing import (
    AgentProfile,
    AssignmentDecision,
    AssignTicketRequest,
    ComputedDeadlines,
    ComputeDeadlinesRequest,
    EscalationContacts,
    EscalationContactsRequest,
    ResolvedSla,
    ResolveSlaRequest,
    TeamProfile,
)
from domain.sla import TEAM_CALENDAR, SlaPolicy
from routing.deadlines import compute_deadlines, resolve_with
from routing.scoring import decide, route_team


@dataclass
class RoutingFake:
    agents: list[AgentProfile] = field(default_factory=list)
    teams: dict[str, TeamProfile] = field(default_factory=dict)
    policy: SlaPolicy | None = None  # what the store would resolve; None: SlaPolicy()
    calendars: dict[str, BusinessCalendar] = field(default_factory=dict)
    fail_assign: bool = False
    fail_resolve: bool = False  # like the real activity with an unusable calendar (non-retryable)
    assign_requests: list[AssignTicketRequest] = field(default_factory=list)
    decisions: list[AssignmentDecision] = field(default_factory=list)
    resolve_requests: list[ResolveSlaRequest] = field(default_factory=list)
    compute_requests: list[ComputeDeadlinesRequest] = field(default_factory=list)

    def agent(self, agent_id: str) -> AgentProfile:
        return next(a for a in self.agents if a.agent_id == agent_id)

    def calendar_for(self, policy: SlaPolicy, team_id: str | None) -> BusinessCalendar | None:
        if policy.calendar is not None:
            return policy.calendar
        if policy.calendar_id == TEAM_CALENDAR:
            team = self.teams.get(team_id or "")
            return team.calendar if team else None
        return self.calendars.get(policy.calendar_id or "")

    def activities(self) -> list[Callable[..., Any]]:
        fake = self

        @activity.defn(name=ActivityName.ASSIGN_TICKET)
        async def assign_ticket(req: AssignTicketRequest) -> AssignmentDecision:
            fake.assign_requests.append(req)
            if fake.fail_assign:
                raise RuntimeError("routing store unavailable")
            decision = decide(req, [a for a in fake.agents if a.active], fake.teams)
            if decision.agent_id and req.first_reply is not None and req.calendar is not None:
                decision.first_reply = first_reply_deadline(req.first_reply, req.calendar)  # as the real one
            fake.decisions.append(decision)
            if decision.agent_id:  # what the store would show next time: one more open ticket
                picked = fake.agent(decision.agent_id)
                picked.load += 1
                picked.last_assigned_at = req.at
            return decision

        @activity.defn(name=ActivityName.ESCALATION_CONTACTS)
        async def escalation_contacts(req: EscalationContactsRequest) -> EscalationContacts:
            team_id = req.team_id
            if team_id is None and req.assignee:
                team_id = next((a.team_id for a in fake.agents if a.agent_id == req.assignee), None)
            if team_id is None:
                routed = route_team(fake.teams, req.language, req.domain)
                team_id = routed.team_id if routed else None
            team = fake.teams.get(team_id or "")
            if team is None:
                return EscalationContacts(team_id=team_id)
            return EscalationContacts(team_id=team.team_id, supervisor=team.supervisor, manager=team.manager)

        @activity.defn(name=ActivityName.RESOLVE_SLA)
        async def resolve_sla(req: ResolveSlaRequest) -> ResolvedSla:
            fake.resolve_requests.append(req)
            if fake.fail_resolve:
                raise ApplicationError("SLA calendar unusable", type="BadCalendar", non_retryable=True)
            policy = req.policy or fake.policy or SlaPolicy()
            team = route_team(fake.teams, req.language, req.domain)
            calendar = fake.calendar_for(policy, team.team_id if team else None)
            return resolve_with(req, policy, calendar, team.team_id if team and calendar else None)

        @activity.defn(name=ActivityName.COMPUTE_SLA_DEADLINES)
        async def compute_sla_deadlines(req: ComputeDeadlinesRequest) -> ComputedDeadlines:
            fake.compute_requests.append(req)
            return compute_deadlines(req)

        return [assign_ticket, escalation_contacts, resolve_sla, compute_sla_deadlines]
