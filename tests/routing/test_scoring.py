"""Skill-based scoring: language is mandatory, skills and load rank, round-robin breaks ties."""

from datetime import UTC, datetime, timedelta

from domain.routing import AgentProfile, AssignTicketRequest, TeamProfile
from routing.scoring import decide, route_team
from tests.routing.demo_profiles import demo_agents, demo_teams

# Tuesday 2026-11-17 03:00 UTC: 11:00 in Manila and Bangkok's 10:00, night in Berlin and New York.
TUESDAY_ASIA_MORNING = datetime(2026, 11, 17, 3, 0, tzinfo=UTC)


def request(**kw: object) -> AssignTicketRequest:
    base: dict[str, object] = {"ticket_id": "t1", "language": "th", "domain": "after_sales",
                               "industry": "electronics", "at": TUESDAY_ASIA_MORNING}
    return AssignTicketRequest.model_validate(base | kw)


def always(_a: AgentProfile, _at: datetime) -> bool:
    return True


def test_thai_after_sales_goes_to_the_thai_speaker_with_reasons() -> None:
    decision = decide(request(), demo_agents(), demo_teams())
    assert decision.agent_id == "somchai.k"
    assert decision.team_id == "manila"
    assert not decision.translation_fallback
    top = decision.candidates[0]
    assert top.agent_id == "somchai.k" and top.language_level == 5
    assert {"th 5/5", "skill after_sales", "industry electronics", "team manila routes th",
            "in working hours"} <= set(top.reasons)
    assert "somchai.k" in decision.summary and "not eligible" in decision.summary
    # Everyone else but li.wei (a manager: never routed) lacks Thai.
    assert decision.rejected["does not speak th"] == len(demo_agents()) - 2


def test_nobody_online_means_pending_with_why() -> None:
    agents = demo_agents()
    for a in agents:
        if "th" in a.languages:
            a.presence = "offline"
    decision = decide(request(), agents, demo_teams())
    assert decision.agent_id is None
    assert decision.team_id == "manila"  # the ticket still belongs to the Thai team's queue
    assert decision.rejected["offline"] == 1
    assert "nobody qualifies now" in decision.summary


def test_capacity_is_a_hard_limit_except_one_vip_slot() -> None:
    agents = demo_agents()
    somchai = next(a for a in agents if a.agent_id == "somchai.k")
    somchai.load = somchai.capacity
    assert decide(request(), agents, demo_teams()).agent_id is None
    vip = decide(request(vip=True), agents, demo_teams())
    assert vip.agent_id == "somchai.k"
    assert "VIP: strong speaker" in vip.candidates[0].reasons


def test_unknown_language_falls_back_to_internal_speakers_and_flags_it() -> None:
    decision = decide(request(language="fi", domain="technical_support", industry="machinery"),
                      demo_agents(), demo_teams())
    assert decision.translation_fallback
    assert decision.agent_id == "wang.lei"  # zh 5, technical_support, machinery, Shenzhen handles technical
    assert "(via translation)" in decision.candidates[0].reasons[0]
    assert "nobody speaks fi" in decision.summary


def test_no_agents_at_all_is_pending_not_a_fallback() -> None:
    decision = decide(request(), [], demo_teams())
    assert decision.agent_id is None and not decision.translation_fallback and decision.team_id == "manila"


def test_a_speaker_who_is_offline_blocks_the_fallback() -> None:
    # Somebody speaks Thai, just not now: wait for them rather than route through translation.
    agents = [a for a in demo_agents() if a.agent_id in ("somchai.k", "wang.lei")]
    agents[0].presence = "away"
    decision = decide(request(), agents, demo_teams())
    assert decision.agent_id is None and not decision.translation_fallback
    assert decision.rejected == {"away": 1, "does not speak th": 1}


def test_load_and_working_hours_rank_equal_speakers() -> None:
    twins = [AgentProfile(agent_id=n, team_id="manila", languages={"vi": 5}, presence="online", capacity=10)
             for n in ("a1", "a2")]
    twins[0].load = 6
    assert decide(request(language="vi"), twins, demo_teams(), in_hours=always).agent_id == "a2"
    twins[0].load = 0
    night = decide(request(language="vi"), twins, demo_teams(), in_hours=lambda a, _at: a.agent_id == "a1")
    assert night.agent_id == "a1"
    assert "outside working hours" in night.candidates[1].reasons


def test_ties_go_round_robin() -> None:
    twins = [AgentProfile(agent_id=n, team_id="manila", languages={"vi": 5}, presence="online")
             for n in ("a1", "a2", "a3")]
    picks = []
    at = TUESDAY_ASIA_MORNING
    for _ in range(6):
        decision = decide(request(language="vi", at=at), twins, demo_teams(), in_hours=always)
        assert decision.agent_id is not None
        picks.append(decision.agent_id)
        next(a for a in twins if a.agent_id == decision.agent_id).last_assigned_at = at
        at += timedelta(minutes=1)
    assert picks == ["a1", "a2", "a3", "a1", "a2", "a3"]


def test_excluded_and_supervisors() -> None:
    agents = demo_agents()
    decision = decide(request(language="en", domain="complaint", industry=None, exclude=["maria.santos"]),
                      agents, demo_teams())
    assert decision.agent_id not in (None, "maria.santos")
    assert decision.rejected["excluded"] == 1
    scores = {c.agent_id: c for c in decide(request(language="de", domain="complaint"), agents, demo_teams(),
                                           in_hours=always).candidates}
    assert "supervisor" in scores["anna.schmidt"].reasons


def test_route_team_by_language_then_domain() -> None:
    teams = demo_teams()
    assert route_team(teams, "de", None).team_id == "berlin"  # type: ignore[union-attr]
    assert route_team(teams, "en", "technical_support").team_id == "shenzhen"  # type: ignore[union-attr]
    assert route_team(teams, "en", "billing").team_id == "manila"  # type: ignore[union-attr]
    assert route_team(teams, "fi", None) is None
    assert route_team({"x": TeamProfile(team_id="x")}, "de", None) is None
