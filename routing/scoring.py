"""Who gets a ticket: eligibility filters, a weighted score, round-robin ties, and the why.

Hard rules: the agent is active, online, under capacity and speaks the ticket's language.
When no active agent speaks it at all, internal-language agents qualify instead and the
decision is flagged (they work through machine translation). Everything else is a score.
"""

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

from domain.calendar import BusinessCalendar
from domain.routing import (
    AgentProfile,
    AssignmentDecision,
    AssignTicketRequest,
    Candidate,
    Presence,
    TeamProfile,
)
from routing.business_time import BusinessTime

MIN_LEVEL = 2  # proficiency 1 is "can read a little": not enough to answer a customer
ROUTABLE_ROLES = frozenset({"agent", "supervisor"})
TOP_N = 3

# Weights: language quality first, then skills, then who has room now.
W_LEVEL = 8.0  # per proficiency point (1..5)
W_DOMAIN = 25.0
W_INDUSTRY = 10.0
W_TEAM_LANGUAGE = 10.0
W_TEAM_DOMAIN = 10.0
W_HEADROOM = 20.0  # times the free share of capacity
W_IN_HOURS = 15.0
W_SUPERVISOR = -15.0  # supervisors take tickets only when agents cannot
VIP_BONUS_PER_LEVEL = 4.0  # VIP customers get the best speakers when there is a choice
VIP_EXTRA_SLOTS = 1  # VIP/urgent tickets may use one slot past capacity

HoursCheck = Callable[[AgentProfile, datetime], bool]


def agent_in_hours(agent: AgentProfile, team: TeamProfile | None, at: datetime) -> bool:
    """Inside the agent's own shifts, in their time zone, on a working day of their team's country."""
    if not agent.working_hours:
        return True
    country = team.calendar.country if team and team.calendar else None
    calendar = BusinessCalendar(calendar_id=f"agent:{agent.agent_id}", timezone=agent.timezone,
                                hours=agent.working_hours, country=country)
    if not calendar.has_hours():
        return False
    return BusinessTime(calendar).is_open(at)


def route_team(teams: dict[str, TeamProfile], language: str, domain: str | None) -> TeamProfile | None:
    """The team whose routing rules fit best: language first, then domain; ties by team id."""

    def fit(team: TeamProfile) -> int:
        return (2 if language in team.languages else 0) + (1 if domain and domain in team.domains else 0)

    ranked = sorted(teams.values(), key=lambda t: (-fit(t), t.team_id))
    return ranked[0] if ranked and fit(ranked[0]) else None


def speaks(agent: AgentProfile, language: str) -> int:
    level = agent.languages.get(language, 0)
    return level if level >= MIN_LEVEL else 0


def decide(req: AssignTicketRequest, agents: list[AgentProfile], teams: dict[str, TeamProfile],
           in_hours: HoursCheck | None = None) -> AssignmentDecision:
    hours_check = in_hours or (lambda a, at: agent_in_hours(a, teams.get(a.team_id or ""), at))
    routable = [a for a in agents if a.active and a.role in ROUTABLE_ROLES]
    # With nobody routable at all there is nothing to fall back to: the ticket simply waits.
    fallback = bool(routable) and not any(speaks(a, req.language) for a in routable)
    language = req.internal_language if fallback else req.language
    vip = req.vip or req.priority == "urgent"
    rejected: Counter[str] = Counter()
    scored: list[Candidate] = []
    for agent in routable:
        level = speaks(agent, language)
        slots = agent.capacity + (VIP_EXTRA_SLOTS if vip else 0)
        if agent.agent_id in req.exclude:
            rejected["excluded"] += 1
        elif not level:
            rejected[f"does not speak {language}"] += 1
        elif agent.presence != Presence.ONLINE:
            rejected[agent.presence or Presence.OFFLINE] += 1
        elif agent.load >= slots:
            rejected["at capacity"] += 1
        else:
            team = teams.get(agent.team_id or "")
            scored.append(_score(req, agent, level, team, hours_check, vip, fallback))
    # Round-robin among equal scores: whoever the router picked longest ago goes first.
    never = datetime.min.replace(tzinfo=UTC)
    last = {a.agent_id: a.last_assigned_at.astimezone(UTC) if a.last_assigned_at else never for a in agents}
    scored.sort(key=lambda c: (-round(c.score, 2), last[c.agent_id], c.agent_id))
    team = route_team(teams, req.language, req.domain) or (
        route_team(teams, req.internal_language, req.domain) if fallback else None)
    decision = AssignmentDecision(ticket_id=req.ticket_id, candidates=scored[:TOP_N], rejected=dict(rejected),
                                  translation_fallback=fallback, team_id=team.team_id if team else None)
    if scored:
        best = scored[0]
        decision.agent_id, decision.team_id, decision.score = best.agent_id, best.team_id, best.score
    decision.summary = explain(decision, req, language)
    return decision


def _score(req: AssignTicketRequest, agent: AgentProfile, level: int, team: TeamProfile | None,
           hours_check: HoursCheck, vip: bool, fallback: bool) -> Candidate:
    language = req.internal_language if fallback else req.language
    score = W_LEVEL * level
    reasons = [f"{language} {level}/5" + (" (via translation)" if fallback else "")]
    if vip and level >= 4:
        score += VIP_BONUS_PER_LEVEL * level
        reasons.append("VIP: strong speaker")
    if req.domain and req.domain in agent.domains:
        score += W_DOMAIN
        reasons.append(f"skill {req.domain}")
    if req.industry and req.industry in agent.industries:
        score += W_INDUSTRY
        reasons.append(f"industry {req.industry}")
    if team is not None and req.language in team.languages:
        score += W_TEAM_LANGUAGE
        reasons.append(f"team {team.team_id} routes {req.language}")
    if team is not None and req.domain and req.domain in team.domains:
        score += W_TEAM_DOMAIN
        reasons.append(f"team {team.team_id} handles {req.domain}")
    capacity = max(agent.capacity, 1)
    score += W_HEADROOM * max(0.0, 1 - agent.load / capacity)
    reasons.append(f"load {agent.load}/{agent.capacity}")
    if hours_check(agent, req.at):
        score += W_IN_HOURS
        reasons.append("in working hours")
    else:
        reasons.append("outside working hours")
    if agent.role == "supervisor":
        score += W_SUPERVISOR
        reasons.append("supervisor")
    return Candidate(agent_id=agent.agent_id, team_id=agent.team_id, score=round(score, 2), reasons=reasons,
                     load=agent.load, capacity=agent.capacity, language_level=level)


def explain(decision: AssignmentDecision, req: AssignTicketRequest, language: str) -> str:
    parts: list[str] = []
    if decision.translation_fallback:
        parts.append(f"nobody speaks {req.language}: routing to {language} speakers with translation")
    if decision.agent_id:
        parts.append(f"picked {decision.agent_id} ({decision.score:g})")
    else:
        parts.append("nobody qualifies now")
    if decision.candidates:
        parts.append("candidates: " + "; ".join(
            f"{c.agent_id} {c.score:g} [{', '.join(c.reasons)}]" for c in decision.candidates))
    if decision.rejected:
        rejected = sorted(decision.rejected.items())
        parts.append("not eligible: " + ", ".join(f"{n} {why}" for why, n in rejected))
    return "; ".join(parts)
