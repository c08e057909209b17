"""Admin page edits agents, teams, calendars and SLA policies (AppTest on the real app and store)."""

from datetime import date

from domain.sla import SlaTarget
from store.agents import get_agent, list_teams
from store.calendars import get_calendar, list_closures
from store.sla_policies import get_policy, policy_versions, resolve_policy
from tests.console.admin_support import admin_page, audit_rows, errors, fill, pick, save, store
from tests.console.conftest import FakeGateway, frame, on_page, signed_in, texts


def test_edit_an_agent_and_see_it_in_the_store_and_audit(console_db: str, gateway: FakeGateway) -> None:
    at = pick(admin_page(console_db), "adm_agent_pick", "somchai.k")
    k = "_somchai.k"
    assert at.text_input(key="adm_agent_langs" + k).value == "th:5;en:4;zh:4"  # prefilled from the store
    fill(
        at,
        {
            "adm_agent_langs" + k: "th:5;vi:3;zh:4",
            "adm_agent_domains" + k: "after_sales;billing",
            "adm_agent_hours" + k: "mon-fri 08:00-12:00,13:00-17:00",
            "adm_agent_capacity" + k: 17,
            "adm_agent_presence" + k: "away",
            "adm_agent_team" + k: "berlin",
            "adm_agent_tz" + k: "Europe/Berlin",
        },
    )
    save(at, "f_agent")
    assert any("Agent somchai\\.k saved." in s.value for s in at.success)
    table = frame(at, "Agent", "Capacity")  # the table above the form shows the change at once
    assert list(table[table["Agent"] == "somchai.k"]["Capacity"]) == [17]
    with store(console_db)() as session:
        agent = get_agent(session, "somchai.k")
    assert agent is not None
    assert agent.languages == {"th": 5, "vi": 3, "zh": 4} and agent.domains == ["after_sales", "billing"]
    assert agent.working_hours[0] == [("08:00", "12:00"), ("13:00", "17:00")] and 5 not in agent.working_hours
    assert (agent.capacity, agent.presence, agent.team_id, agent.timezone) == (
        17,
        "away",
        "berlin",
        "Europe/Berlin",
    )
    [entry] = audit_rows(console_db, "edit_agent")
    assert entry.actor == "admin" and entry.outcome == "ok" and entry.detail["agent"] == "somchai.k"
    assert {"languages", "capacity", "presence", "team_id"} <= set(entry.detail["changed"].split(","))


def test_invalid_agent_input_is_listed_and_nothing_is_saved(console_db: str, gateway: FakeGateway) -> None:
    at = pick(admin_page(console_db), "adm_agent_pick", "somchai.k")
    k = "_somchai.k"
    fill(
        at,
        {
            "adm_agent_langs" + k: "th:9",
            "adm_agent_domains" + k: "after_sales;astrology",
            "adm_agent_tz" + k: "Mars/Olympus",
            "adm_agent_hours" + k: "mon-fri 9-5",
        },
    )
    save(at, "f_agent")
    assert "Not saved. Fix these problems:" in texts(at)
    shown = errors(at)
    assert "proficiency of th must be 1..5" in shown and "astrology" in shown
    with store(console_db)() as session:
        agent = get_agent(session, "somchai.k")
    assert agent is not None and agent.languages == {"th": 5, "en": 4, "zh": 4}
    assert [r.outcome for r in audit_rows(console_db, "edit_agent")] == ["rejected"]


def test_create_a_new_agent(console_db: str, gateway: FakeGateway) -> None:
    at = pick(admin_page(console_db), "adm_agent_pick", "__new__")
    k = "___new__"
    fill(
        at,
        {
            "adm_agent_id" + k: "ploy.c",
            "adm_agent_name" + k: "Ploy C.",
            "adm_agent_langs" + k: "th:4;zh:4",
            "adm_agent_team" + k: "manila",
            "adm_agent_tz" + k: "Asia/Bangkok",
            "adm_agent_capacity" + k: 6,
        },
    )
    save(at, "f_agent")
    with store(console_db)() as session:
        agent = get_agent(session, "ploy.c")
    assert (
        agent is not None
        and agent.team_id == "manila"
        and agent.capacity == 6
        and agent.presence == "offline"
    )


def test_edit_a_team_routing_rules_supervisor_and_manager(console_db: str, gateway: FakeGateway) -> None:
    at = pick(admin_page(console_db), "adm_team_pick", "manila")
    k = "_manila"
    fill(
        at,
        {
            "adm_team_langs" + k: "en;th;vi;id",
            "adm_team_domains" + k: "after_sales;logistics",
            "adm_team_supervisor" + k: "somchai.k",
            "adm_team_manager" + k: "zhang.min",
        },
    )
    save(at, "f_team")
    assert any("Team manila saved." in s.value for s in at.success)
    with store(console_db)() as session:
        team = list_teams(session)["manila"]
    assert team.languages == ["en", "th", "vi", "id"] and team.domains == ["after_sales", "logistics"]
    assert (team.supervisor, team.manager) == ("somchai.k", "zhang.min")
    assert audit_rows(console_db, "edit_team")[0].detail["team"] == "manila"

    fill(at, {"adm_team_langs" + k: " ", "adm_team_tz" + k: "Asia/Nowhere"})
    save(at, "f_team")
    shown = errors(at)
    assert "at least one language" in shown and "unknown time zone 'Asia/Nowhere'" in shown


def test_edit_a_calendar_with_split_shifts_holidays_and_closures(
    console_db: str, gateway: FakeGateway
) -> None:
    at = pick(admin_page(console_db), "adm_cal_pick", "us_eastern")
    k = "_us_eastern"
    assert at.text_input(key="adm_cal_hours" + k).value == "mon-fri 09:00-17:00"
    fill(
        at,
        {
            "adm_cal_hours" + k: "mon-fri 09:00-12:00,13:00-17:00; sat 10:00-14:00",
            "adm_cal_closures" + k: "2026-12-24;2026-12-31",
            "adm_cal_sub" + k: "NY",
        },
    )
    save(at, "f_calendar")
    assert any("Calendar us\\_eastern saved." in s.value for s in at.success)
    with store(console_db)() as session:
        calendar = get_calendar(session, "us_eastern")
    assert calendar is not None
    assert calendar.hours[0] == [("09:00", "12:00"), ("13:00", "17:00")] and calendar.hours[5] == [
        ("10:00", "14:00")
    ]
    assert calendar.subdivision == "NY" and date(2026, 12, 24) in calendar.closures
    assert audit_rows(console_db, "edit_calendar")[0].detail["calendar"] == "us_eastern"

    fill(
        at,
        {
            "adm_cal_hours" + k: "funday 09:00-17:00",
            "adm_cal_country" + k: "XX",
            "adm_cal_closures" + k: "2026-13-01",
        },
    )
    save(at, "f_calendar")
    shown = errors(at)
    assert "working hours" in shown and "'XX'" in shown and "2026-13-01" in shown


def test_add_a_company_closure(console_db: str, gateway: FakeGateway) -> None:
    at = admin_page(console_db)
    at.date_input(key="adm_closure_start").set_value(date(2027, 2, 5))
    at.date_input(key="adm_closure_end").set_value(date(2027, 2, 11))
    at.text_input(key="adm_closure_reason").set_value("Spring Festival")
    save(at, "f_closure")
    with store(console_db)() as session:
        [closure] = list_closures(session)
    assert (closure.start, closure.end, closure.reason, closure.calendar_id) == (
        date(2027, 2, 5),
        date(2027, 2, 11),
        "Spring Festival",
        None,
    )
    assert audit_rows(console_db, "add_closure")[0].detail["closure"] == closure.closure_id


def test_editing_a_policy_publishes_a_new_version(console_db: str, gateway: FakeGateway) -> None:
    at = pick(admin_page(console_db), "adm_policy_pick", "vip")
    k = "_vip_1"
    assert at.number_input(key="adm_pol_t_first_reply" + k).value == 2.0
    assert (at.text_area(key="adm_pol_chain" + k).value or "").splitlines()[0].startswith("agent 0m")
    fill(at, {"adm_pol_t_first_reply" + k: 1.5, "adm_pol_warn" + k: 0.7, "adm_pol_chan" + k: "email",
              "adm_pol_chain" + k: "agent 0m\nsupervisor 15m raise\nmanager 1h raise reassign"})
    save(at, "f_policy")
    assert any("version 2 published" in s.value for s in at.success)
    with store(console_db)() as session:
        versions = policy_versions(session, "vip")
        assert [v.policy.version for v in versions] == [2, 1]
        new, old = versions[0].policy, versions[1].policy
        assert new.targets_s[SlaTarget.FIRST_REPLY] == 5400 and new.warn_ratio == 0.7
        assert old.targets_s[SlaTarget.FIRST_REPLY] == 7200 and old.warn_ratio == 0.8  # old version untouched
        assert new.target_chains == old.target_chains  # per-target chains are kept
        assert [(st.role.value, st.after_breach_s, st.raise_priority, st.reassign) for st in new.chain] == [
            ("agent", 0, False, False), ("supervisor", 900, True, False), ("manager", 3600, True, True)]
        assert old.chain != new.chain  # the old version keeps its chain
        assert versions[0].match.tier == "vip" and versions[0].match.channel == "email"
        chosen = resolve_policy(session, "normal", "vip", "email")
        assert chosen is not None and chosen.version == 2
        assert (get_policy(session, "vip", 1) or new).targets_s[SlaTarget.FIRST_REPLY] == 7200
    [entry] = audit_rows(console_db, "edit_sla_policy")
    assert entry.detail["version"] == 2 and "targets_s" in entry.detail["changed"]
    assert "Versions of this policy: v2, v1" in texts(at)

    at.run()  # the next rerun shows the new version's values
    assert at.number_input(key="adm_pol_t_first_reply_vip_2").value == 1.5
    fill(at, {"adm_pol_warn_vip_2": 0.0})
    save(at, "f_policy")
    assert "warning share must be between" in errors(at)
    with store(console_db)() as session:
        assert len(policy_versions(session, "vip")) == 2


def test_the_edit_forms_render_in_chinese(console_db: str, gateway: FakeGateway) -> None:
    at = on_page(signed_in(console_db, "admin", lang="zh"), "admin")
    labels = [w.label for w in at.selectbox]
    assert {"编辑客服", "编辑团队", "编辑工作日历", "编辑 SLA 策略（发布新版本）"} <= set(labels)
    pick(at, "adm_agent_pick", "wang.lei")
    assert at.text_input(key="adm_agent_langs_wang.lei").label == "语言及熟练度 1-5，例如 th:5;zh:4"


def test_a_broken_escalation_chain_is_listed_and_nothing_saved(console_db: str, gateway: FakeGateway) -> None:
    at = pick(admin_page(console_db), "adm_policy_pick", "vip")
    fill(at, {"adm_pol_chain_vip_1": "supervisor 30m\nboss 1h\nmanager soon\nagent 10m"})
    save(at, "f_policy")
    problems = errors(at)
    assert "role must be one of agent, supervisor, manager" in problems
    assert "delay after the breach like 0m" in problems
    assert "cannot fire before the step above it" in problems
    with store(console_db)() as session:
        assert len(policy_versions(session, "vip")) == 1
