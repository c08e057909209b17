"""Agents and teams: admin edits (import, presence), routing snapshots, load, report figures.

The console's admin page calls these; the `assign_ticket` activity reads `routing_snapshot`.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, sessionmaker

from domain.routing import AgentProfile, EscalationContacts, Presence, TeamProfile
from domain.status import TicketStatus
from routing.scoring import MIN_LEVEL, ROUTABLE_ROLES, VIP_EXTRA_SLOTS
from store.calendars import team_calendar_spec
from store.tables import AgentRow, RoutingStateRow, TeamRow, TicketRow
from store.upsert import upsert

PRESENCES = (Presence.ONLINE, Presence.AWAY, Presence.OFFLINE)


# ------------------------------------------------------------------------------ views
def agent_profile(row: AgentRow) -> AgentProfile:
    return AgentProfile(agent_id=row.agent_id, name=row.name, email=row.email, role=row.role,
                        team_id=row.team_id, languages=row.languages or {}, domains=row.domains or [],
                        industries=row.industries or [], timezone=row.timezone,
                        working_hours=row.working_hours or {}, capacity=row.capacity, presence=row.presence,
                        active=row.active)


def team_profile(session: Session, row: TeamRow) -> TeamProfile:
    return TeamProfile(team_id=row.team_id, name=row.name, timezone=row.timezone,
                       languages=row.languages or [], domains=row.domains or [], supervisor=row.supervisor,
                       manager=row.manager,
                       calendar=team_calendar_spec(session, row))


def list_agents(session: Session, team_id: str | None = None,
                include_inactive: bool = True) -> list[AgentProfile]:
    stmt = select(AgentRow).order_by(AgentRow.agent_id)
    if team_id is not None:
        stmt = stmt.where(AgentRow.team_id == team_id)
    if not include_inactive:
        stmt = stmt.where(AgentRow.active.is_(True))
    return [agent_profile(r) for r in session.scalars(stmt)]


def list_teams(session: Session) -> dict[str, TeamProfile]:
    rows = session.scalars(select(TeamRow).order_by(TeamRow.team_id))
    return {r.team_id: team_profile(session, r) for r in rows}


def get_agent(session: Session, agent_id: str) -> AgentProfile | None:
    row = session.get(AgentRow, agent_id)
    return agent_profile(row) if row is not None else None


# ------------------------------------------------------------------------------ edits
def _agent_values(a: AgentProfile) -> dict[str, Any]:
    data = a.model_dump(mode="json", exclude={"load", "last_assigned_at"})
    data["email"] = data["email"] or f"{a.agent_id}@lingodesk.local"
    data["name"] = data["name"] or a.agent_id
    return data


def _team_values(t: TeamProfile) -> dict[str, Any]:
    data = t.model_dump(mode="json")
    calendar = data.pop("calendar")
    # Inline team calendars live in TeamRow.calendar; the team's time zone is its own column.
    data["calendar"] = {k: v for k, v in (calendar or {}).items() if k not in ("timezone", "name")}
    data["name"] = data["name"] or t.team_id
    return data


def save_teams(session: Session, teams: list[TeamProfile]) -> int:
    upsert(session, TeamRow.__table__, [_team_values(t) for t in teams], ["team_id"])  # type: ignore[arg-type]
    return len(teams)


def save_agents(session: Session, agents: list[AgentProfile]) -> int:
    upsert(session, AgentRow.__table__, [_agent_values(a) for a in agents], ["agent_id"])  # type: ignore[arg-type]
    return len(agents)


def set_presence(session: Session, agent_id: str, presence: str) -> bool:
    if presence not in PRESENCES:
        raise ValueError(f"presence must be one of {', '.join(PRESENCES)}")
    row = session.get(AgentRow, agent_id)
    if row is None:
        return False
    row.presence = presence
    return True


def deactivate_agent(session: Session, agent_id: str) -> bool:
    row = session.get(AgentRow, agent_id)
    if row is None:
        return False
    row.active = False
    row.presence = Presence.OFFLINE
    return True


# ------------------------------------------------------------------------------ routing
def open_loads(session: Session, agent_id: str | None = None) -> dict[str, int]:
    """Open tickets per assignee (or of one agent), from the projection."""
    stmt = (select(TicketRow.assignee, func.count()).where(TicketRow.assignee.is_not(None))
            .where(TicketRow.status != str(TicketStatus.CLOSED)).group_by(TicketRow.assignee))
    if agent_id is not None:
        stmt = stmt.where(TicketRow.assignee == agent_id)
    return {agent: n for agent, n in session.execute(stmt) if agent}


def routing_snapshot(session: Session) -> tuple[list[AgentProfile], dict[str, TeamProfile]]:
    """Active agents with their load and last pick, and the teams with calendars."""
    loads = open_loads(session)
    picks = {r.agent_id: r.last_assigned_at for r in session.scalars(select(RoutingStateRow))}
    agents = [a.model_copy(update={"load": loads.get(a.agent_id, 0),
                                   "last_assigned_at": picks.get(a.agent_id)})
              for a in list_agents(session, include_inactive=False)]
    return agents, list_teams(session)


def record_pick(session: Session, agent_id: str, at: datetime) -> None:
    # One upsert rather than an ORM load and flush: the router calls this for every ticket.
    table = RoutingStateRow.__table__
    upsert(session, table, [{"agent_id": agent_id, "last_assigned_at": at, "assigned_total": 1}],  # type: ignore[arg-type]
           ["agent_id"], update_with={"assigned_total": table.c.assigned_total + 1})


def pending_tickets_for(session: Session, agent_id: str, limit: int = 500) -> list[str]:
    """Tickets waiting in `pending_assignment` that `agent_id` could take now, oldest first.

    Used to nudge exactly those workflows when the agent comes online or gets capacity back
    (runtime/assignment.py). Loose on purpose: the router decides; this only skips tickets the
    agent can certainly not take (not online, full, language nobody routes to them).
    """
    agent = session.get(AgentRow, agent_id)
    if agent is None or not agent.active or agent.presence != Presence.ONLINE \
            or agent.role not in ROUTABLE_ROLES:
        return []
    load = open_loads(session, agent_id).get(agent_id, 0)
    if load >= agent.capacity + VIP_EXTRA_SLOTS:
        return []
    full = load >= agent.capacity  # then only VIP/urgent tickets fit
    speaks = {code for code, level in (agent.languages or {}).items() if level >= MIN_LEVEL}
    covered: set[str] = set()  # languages some active agent speaks; others fall back to translation
    for langs in session.scalars(select(AgentRow.languages).where(AgentRow.active.is_(True))):
        covered.update((langs or {}).keys())
    stmt = (select(TicketRow.ticket_id, TicketRow.language)
            .where(TicketRow.status == str(TicketStatus.PENDING_ASSIGNMENT))
            .where(TicketRow.assignee.is_(None)))
    if full:
        stmt = stmt.where((TicketRow.customer_tier == "vip") | (TicketRow.priority == "urgent"))
    rows = session.execute(stmt.order_by(TicketRow.created_at).limit(limit))
    return [ticket_id for ticket_id, language in rows if language in speaks or language not in covered]


def freed_assignee(session: Session, ticket_id: str, status: str, assignee: str | None,
                   version: int) -> str | None:
    """The agent who loses an open ticket with this projection write (resolved or moved away).

    Read before the write; None when nobody's capacity changes (or the write is stale).
    """
    # Three columns, not the ORM row: this runs before every projection write, and loading and
    # tracking the 40-column object was half of `record_ticket`'s CPU.
    row = session.execute(select(TicketRow.assignee, TicketRow.state_version, TicketRow.status)
                          .where(TicketRow.ticket_id == ticket_id)).first()
    if row is None:
        return None
    previous, previous_version, previous_status = row
    if not previous or previous_version > version or previous_status == str(TicketStatus.CLOSED):
        return None
    if status == str(TicketStatus.CLOSED) or assignee != previous:
        return str(previous)
    return None


def agent_emails(session: Session, agent_ids: list[str]) -> dict[str, str]:
    if not agent_ids:
        return {}
    rows = session.execute(select(AgentRow.agent_id, AgentRow.email).where(AgentRow.agent_id.in_(agent_ids)))
    return {agent: email for agent, email in rows if email}


def address_book(sessions: sessionmaker[Session]) -> Callable[[list[str]], dict[str, str]]:
    """Agent id -> e-mail lookups for the alert e-mail sink (unknown ids and role names drop out)."""

    def lookup(agent_ids: list[str]) -> dict[str, str]:
        with sessions.begin() as session:
            return agent_emails(session, agent_ids)

    return lookup


def escalation_contacts(session: Session, team_id: str | None, assignee: str | None) -> EscalationContacts:
    """The supervisor and manager above a ticket: its team's, else the assignee's team's."""
    if team_id is None and assignee:
        agent = session.get(AgentRow, assignee)
        team_id = agent.team_id if agent is not None else None
    team = session.get(TeamRow, team_id) if team_id else None
    if team is None:
        return EscalationContacts(team_id=team_id)
    return EscalationContacts(team_id=team.team_id, supervisor=team.supervisor, manager=team.manager)


# ------------------------------------------------------------------------------ reports
class AssignmentAccuracy(BaseModel):
    assigned: int
    never_reassigned: int

    @property
    def accuracy(self) -> float | None:
        """Share of assigned tickets whose first assignee kept them; None when nothing was assigned."""
        return self.never_reassigned / self.assigned if self.assigned else None


def first_assignment_accuracy(session: Session, since: datetime | None = None,
                              until: datetime | None = None) -> AssignmentAccuracy:
    stmt = select(func.count(), func.sum(case((TicketRow.reassigned.is_(False), 1), else_=0)))
    stmt = stmt.where(TicketRow.assignment_count > 0)
    if since is not None:
        stmt = stmt.where(TicketRow.created_at >= since)
    if until is not None:
        stmt = stmt.where(TicketRow.created_at < until)
    assigned, kept = session.execute(stmt).one()
    return AssignmentAccuracy(assigned=assigned or 0, never_reassigned=int(kept or 0))
