"""Agents, teams, calendars and SLA policy versions in the store (SQLite and PostgreSQL)."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.routing_activities import RoutingActivities
from activities.sla_activities import SlaActivities
from domain.routing import AssignTicketRequest, EscalationContactsRequest, ResolveSlaRequest
from domain.sla import SlaPolicy, SlaTarget
from domain.status import TicketStatus
from domain.store_io import RecordTicketRequest
from domain.ticket import TicketState
from routing.agent_import import ImportProblem, parse_file, parse_text
from store.agents import (
    first_assignment_accuracy,
    list_agents,
    list_teams,
    record_pick,
    routing_snapshot,
    save_agents,
    save_teams,
    set_presence,
)
from store.calendars import add_closure, get_calendar
from store.db import make_engine, make_session_factory
from store.projection import project_ticket
from store.seed import seed_demo
from store.sla_policies import PolicyMatch, get_policy, publish_policy, resolve_policy
from store.tables import Base, RoutingStateRow

T0 = datetime(2026, 11, 17, 3, 0, tzinfo=UTC)  # Tuesday 11:00 in Manila

TEAM_YAML = """
teams:
  - team_id: bangkok
    name: Bangkok desk
    timezone: Asia/Bangkok
    languages: [th, lo]
    domains: after_sales
    supervisor: niran.s
    manager: li.wei
    calendar: {country: TH, hours: "mon-fri 08:30-12:00,13:00-17:30; sat 09:00-12:00"}
agents:
  - agent_id: niran.s
    name: Niran S.
    role: supervisor
    team_id: bangkok
    languages: {th: 5, en: 4, zh: 3}
    timezone: Asia/Bangkok
    working_hours: "mon-fri 08:30-17:30"
    presence: online
  - agent_id: ploy.c
    team_id: bangkok
    languages: "th:5;zh:4"
    domains: after_sales;logistics
    industries: [electronics]
    timezone: Asia/Bangkok
    capacity: 3
"""

AGENTS_CSV = (
    "agent_id,name,email,role,team_id,languages,domains,industries,timezone,working_hours,capacity,presence\n"
    "ana.reyes,Ana Reyes,ana@example.com,agent,manila,tl:5;en:5;zh:2,billing,,Asia/Manila,"
    "mon-fri 09:00-18:00,8,online\n"
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sessions(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    sqlite = f"sqlite:///{tmp_path / 'r.db'}"
    url = sqlite if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    seed_demo(factory)
    yield factory
    engine.dispose()


def add_ticket(sessions: sessionmaker[Session], ticket_id: str, assignee: str | None,
               reassigned: bool = False, status: TicketStatus = TicketStatus.PROCESSING) -> None:
    state = TicketState(ticket_id=ticket_id, status=status, assignee=assignee, reassigned=reassigned,
                        assignment_count=1 if assignee else 0, created_at=T0, updated_at=T0)
    with sessions.begin() as session:
        project_ticket(session, RecordTicketRequest(state=state, version=1))


def test_seed_is_idempotent_and_teams_carry_calendars(sessions: sessionmaker[Session]) -> None:
    again = seed_demo(sessions)
    assert again["sla_policies"] == 0
    with sessions.begin() as session:
        teams = list_teams(session)
        assert set(teams) == {"berlin", "manila", "shenzhen", "newyork"}
        newyork = teams["newyork"].calendar
        assert newyork is not None and newyork.timezone == "America/New_York"
        berlin = teams["berlin"].calendar
        assert berlin is not None and berlin.timezone == "Europe/Berlin" and berlin.country == "DE"
        assert berlin.hours[0] == [("09:00", "12:00"), ("13:00", "18:00")]
        assert resolve_policy(session, "normal", "standard", "email").policy_id == "standard"  # type: ignore[union-attr]
        assert resolve_policy(session, "normal", "vip", "email").policy_id == "vip"  # type: ignore[union-attr]


def test_import_yaml_and_csv(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    bundle = parse_text(TEAM_YAML, "yaml")
    csv_file = tmp_path / "agents.csv"
    csv_file.write_text(AGENTS_CSV, encoding="utf-8")
    more = parse_file(csv_file)
    with sessions.begin() as session:
        save_teams(session, bundle.teams)
        save_agents(session, bundle.agents + more.agents)
    with sessions.begin() as session:
        team = list_teams(session)["bangkok"]
        assert team.calendar is not None and team.calendar.country == "TH"
        assert team.calendar.hours[5] == [("09:00", "12:00")]
        agents = {a.agent_id: a for a in list_agents(session, team_id="bangkok")}
        assert agents["ploy.c"].languages == {"th": 5, "zh": 4} and agents["ploy.c"].capacity == 3
        assert agents["ploy.c"].presence == "offline"
        assert agents["ploy.c"].domains == ["after_sales", "logistics"]
        assert agents["niran.s"].working_hours[4] == [("08:30", "17:30")]
        ana = next(a for a in list_agents(session, team_id="manila") if a.agent_id == "ana.reyes")
        assert ana.email == "ana@example.com" and ana.languages["tl"] == 5
    with pytest.raises(ImportProblem) as problem:
        parse_text("agents:\n  - agent_id: x\n    timezone: Mars/Base\n"
                   "  - agent_id: y\n    languages: 'de:9'\n", "yaml")
    assert len(problem.value.problems) == 2 and "Mars/Base" in problem.value.problems[0]


def test_loads_presence_round_robin_and_accuracy(sessions: sessionmaker[Session]) -> None:
    add_ticket(sessions, "a", "somchai.k")
    add_ticket(sessions, "b", "somchai.k", reassigned=True)
    add_ticket(sessions, "c", "somchai.k", status=TicketStatus.CLOSED)
    add_ticket(sessions, "d", None, status=TicketStatus.PENDING_ASSIGNMENT)
    with sessions.begin() as session:
        assert set_presence(session, "nguyen.an", "away")
        assert not set_presence(session, "nobody", "online")
        with pytest.raises(ValueError):
            set_presence(session, "nguyen.an", "busy")
    with sessions.begin() as session:
        agents, _ = routing_snapshot(session)
        by_id = {a.agent_id: a for a in agents}
        assert by_id["somchai.k"].load == 2  # the closed one does not count
        assert by_id["nguyen.an"].presence == "away"
        report = first_assignment_accuracy(session)
        assert (report.assigned, report.never_reassigned) == (3, 2)
        assert report.accuracy == pytest.approx(2 / 3)
        assert first_assignment_accuracy(session, since=datetime(2027, 1, 1, tzinfo=UTC)).accuracy is None


def test_each_pick_moves_the_round_robin_mark_and_counts(sessions: sessionmaker[Session]) -> None:
    later = T0.replace(hour=5)
    for at in (T0, later):
        with sessions.begin() as session:
            record_pick(session, "somchai.k", at)
    with sessions.begin() as session:
        row = session.get(RoutingStateRow, "somchai.k")
        assert row is not None and row.assigned_total == 2
        assert row.last_assigned_at is not None and row.last_assigned_at.replace(tzinfo=UTC) == later
        agents, _ = routing_snapshot(session)
        picked = next(a for a in agents if a.agent_id == "somchai.k")
        assert picked.last_assigned_at is not None and picked.last_assigned_at.replace(tzinfo=UTC) == later


def test_policy_versions_stay_addressable(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        v1 = get_policy(session, "vip")
        assert v1 is not None and v1.version == 1 and v1.targets_s[SlaTarget.FIRST_REPLY] == 7200
        faster = v1.model_copy(update={"targets_s": v1.targets_s | {SlaTarget.FIRST_REPLY: 3600}})
        assert publish_policy(session, faster, PolicyMatch(tier="vip")) == 2
        # A more specific policy wins; an inactive one is ignored.
        publish_policy(session, SlaPolicy(policy_id="vip-email"), PolicyMatch(tier="vip", channel="email"))
        publish_policy(session, SlaPolicy(policy_id="off"), PolicyMatch(tier="vip", channel="web",
                                                                        priority="normal"), active=False)
    with sessions.begin() as session:
        current = resolve_policy(session, "normal", "vip", "web")
        assert current is not None and (current.policy_id, current.version) == ("vip", 2)
        assert current.targets_s[SlaTarget.FIRST_REPLY] == 3600
        old = get_policy(session, "vip", 1)
        assert old is not None and old.targets_s[SlaTarget.FIRST_REPLY] == 7200
        assert resolve_policy(session, "normal", "vip", "email").policy_id == "vip-email"  # type: ignore[union-attr]


def test_closures_merge_into_calendars(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add_closure(session, date(2027, 2, 5), date(2027, 2, 11), "Spring Festival")
        add_closure(session, date(2026, 12, 24), date(2026, 12, 24), "Christmas Eve", calendar_id="berlin")
        with pytest.raises(ValueError):
            add_closure(session, date(2027, 1, 2), date(2027, 1, 1))
    with sessions.begin() as session:
        berlin = get_calendar(session, "berlin")
        assert berlin is not None and date(2026, 12, 24) in berlin.closures
        assert date(2027, 2, 8) in berlin.closures
        shenzhen = get_calendar(session, "shenzhen")
        assert shenzhen is not None and date(2026, 12, 24) not in shenzhen.closures
        assert get_calendar(session, "us_eastern") is not None and get_calendar(session, "nowhere") is None


def test_activities_over_the_store(sessions: sessionmaker[Session]) -> None:
    env = ActivityEnvironment()
    routing = RoutingActivities(sessions)
    req = AssignTicketRequest(ticket_id="t1", language="th", domain="after_sales", industry="electronics",
                              at=T0)
    decision = env.run(routing.assign_ticket, req)
    assert decision.agent_id == "somchai.k" and decision.team_id == "manila"
    contacts = env.run(routing.escalation_contacts, EscalationContactsRequest(ticket_id="t1", language="th"))
    assert (contacts.team_id, contacts.supervisor, contacts.manager) == ("manila", "maria.santos", "li.wei")
    sla = SlaActivities(sessions)
    # Saturday 10:00 in Manila: closed; the standard policy runs on the Manila team's calendar.
    resolved = env.run(sla.resolve_sla, ResolveSlaRequest(ticket_id="t1", language="th", tier="standard",
                                                          at=datetime(2026, 11, 21, 2, 0, tzinfo=UTC)))
    assert resolved.policy.policy_id == "standard" and resolved.team_id == "manila"
    assert resolved.calendar is not None and resolved.calendar.timezone == "Asia/Manila"
    assert not resolved.open_now and resolved.acknowledgement is not None
    assert resolved.acknowledgement.language == "th"
    # Monday 09:00 Manila + 30 business minutes.
    assert resolved.deadlines[SlaTarget.ASSIGN].deadline == datetime(2026, 11, 23, 1, 30, tzinfo=UTC)
