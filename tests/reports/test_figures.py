"""Every report figure against values computed by hand from tests/reports/dataset.py."""

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from store.reports import (
    ReportFilters,
    agent_report,
    domain_language_distribution,
    handling_by_language,
    language_report,
    rollup,
    team_report,
    top_recurring_issues,
)

M, H = 60.0, 3600.0
DAYS = 11  # 2026-03-02 .. 2026-03-12, the span of days with tickets


@pytest.fixture
def facts(seeded: sessionmaker[Session]) -> sessionmaker[Session]:
    with seeded.begin() as session:
        rollup(session)
    return seeded


def by_key(rows: list, attr: str) -> dict:  # type: ignore[type-arg]
    return {getattr(r, attr): r for r in rows}


def test_language_report(facts: sessionmaker[Session]) -> None:
    with facts() as session:
        rows = by_key(language_report(session), "language")
    assert list(rows) == ["en", "de", "th"]  # by volume
    en, de, th = rows["en"], rows["de"], rows["th"]
    assert (en.tickets, en.resolved, de.tickets, de.resolved, th.tickets, th.resolved) == (3, 3, 2, 1, 1, 0)
    # handling = resolved - first assignment: t1 110m, t2 280m, t6 55m; t3 3h
    assert en.avg_handling_s == pytest.approx((110 + 280 + 55) * M / 3)
    assert en.median_handling_s == pytest.approx(110 * M)
    assert de.avg_handling_s == de.median_handling_s == pytest.approx(3 * H)
    assert th.avg_handling_s is None and th.median_handling_s is None
    # first response = first_response_at - created_at: 30m, 1h, 15m; t3 2h
    assert en.avg_first_response_s == pytest.approx((30 + 60 + 15) * M / 3)
    assert en.median_first_response_s == pytest.approx(30 * M)
    assert de.avg_first_response_s == pytest.approx(2 * H)
    # resolution = resolved_at - created_at: 2h, 5h, 1h; t3 4h
    assert en.avg_resolution_s == pytest.approx(8 * H / 3)
    assert en.median_resolution_s == pytest.approx(2 * H)
    assert de.median_resolution_s == pytest.approx(4 * H)
    # breach rate per node = tickets breached there / tickets that entered it
    assert en.breach_rate_pending_assignment == 0.0
    assert en.breach_rate_processing == pytest.approx(1 / 3)
    assert en.breach_rate_pending_collaboration is None  # no en ticket went there
    assert en.breach_rate_resolution == 0.0
    assert de.breach_rate_pending_assignment == pytest.approx(1 / 2)
    assert de.breach_rate_processing == 0.0
    assert de.breach_rate_pending_collaboration == pytest.approx(1 / 2)
    assert de.breach_rate_pending_reply is None
    assert de.breach_rate_resolution == pytest.approx(1 / 2)
    assert th.breach_rate_pending_assignment == 1.0
    # CSAT: en 5, 3; de 4, 2
    assert (en.csat_avg, en.csat_count, de.csat_avg, de.csat_count) == (4.0, 2, 3.0, 2)
    assert th.csat_avg is None and th.csat_count == 0
    assert en.reopen_rate == pytest.approx(1 / 3) and de.reopen_rate == pytest.approx(1 / 2)
    assert th.reopen_rate == 0.0
    # repeat within 7 days: t2 (1 day after t1); t6 is 9 days after t2
    assert en.repeat_rate == pytest.approx(1 / 3) and de.repeat_rate == 0.0
    # machine-translated messages / inbound + outbound messages: en 3/5, de 2/3 (the note is not counted)
    assert en.machine_translated_share == pytest.approx(3 / 5)
    assert en.machine_translated_ticket_share == pytest.approx(2 / 3)  # t6 needed none
    assert de.machine_translated_ticket_share == 1.0
    assert de.machine_translated_share == pytest.approx(2 / 3)
    assert th.machine_translated_share == 1.0
    assert en.post_edit_rate == pytest.approx(1 / 22) and en.post_edited_replies == 1
    assert de.post_edit_rate == pytest.approx(2 / 4) and de.post_edited_replies == 1
    assert th.post_edit_rate is None and th.post_edited_replies == 0


def test_repeat_window_is_a_parameter(facts: sessionmaker[Session]) -> None:
    with facts() as session:
        rows = by_key(language_report(session, ReportFilters(repeat_days=10)), "language")
    assert rows["en"].repeat_rate == pytest.approx(2 / 3)  # t2 and t6 (9 days) now count


def test_agent_and_team_reports(facts: sessionmaker[Session]) -> None:
    with facts() as session:
        agents = by_key(agent_report(session), "key")
        teams = by_key(team_report(session), "key")
        by_lang = handling_by_language(session)
    assert sorted(agents) == ["amy", "ben", "chen"]
    amy, ben, chen = agents["amy"], agents["ben"], agents["chen"]
    assert [(a.tickets, a.resolved) for a in (amy, ben, chen)] == [(2, 2), (1, 1), (2, 1)]
    assert amy.handled_per_day == pytest.approx(2 / DAYS) and chen.handled_per_day == pytest.approx(1 / DAYS)
    assert amy.avg_handling_s == pytest.approx((110 + 280) * M / 2)
    assert chen.avg_handling_s == pytest.approx(55 * M)  # t4 is not resolved
    assert (amy.csat_avg, amy.csat_count, ben.csat_avg, ben.csat_count) == (4.0, 2, 3.0, 2)
    assert chen.csat_avg is None
    assert amy.breach_rate == pytest.approx(1 / 2) and ben.breach_rate == 1.0 and chen.breach_rate == 0.5
    assert amy.first_assignment_accuracy == 1.0 and ben.first_assignment_accuracy == 0.0
    assert sorted(teams) == ["asia", "eu"]  # t5 has no team
    eu, asia = teams["eu"], teams["asia"]
    assert (eu.tickets, eu.resolved, asia.tickets, asia.resolved) == (3, 3, 2, 1)
    assert eu.handled_per_day == pytest.approx(3 / DAYS)
    assert eu.avg_handling_s == pytest.approx((110 + 280 + 180) * M / 3)
    assert eu.csat_avg == pytest.approx((5 + 3 + 4 + 2) / 4) and eu.csat_count == 4
    assert eu.breach_rate == pytest.approx(2 / 3) and asia.breach_rate == pytest.approx(1 / 2)
    assert eu.first_assignment_accuracy == pytest.approx(2 / 3) and asia.first_assignment_accuracy == 1.0
    chen_langs = {r.language: r for r in by_lang if r.key == "chen"}
    assert chen_langs["en"].avg_handling_s == pytest.approx(55 * M)
    assert chen_langs["de"].tickets == 1 and chen_langs["de"].avg_handling_s is None


def test_filters(facts: sessionmaker[Session]) -> None:
    first_two_days = ReportFilters(start=date(2026, 3, 2), end=date(2026, 3, 3))
    with facts() as session:
        en = language_report(session, first_two_days.model_copy(update={"language": "en"}))
        amy = agent_report(session, first_two_days.model_copy(update={"language": "en"}))
        web = language_report(session, ReportFilters(channel="web"))
        asia = language_report(session, ReportFilters(team="asia"))
        no_team = language_report(session, ReportFilters(team=""))
    assert [(r.language, r.tickets) for r in en] == [("en", 2)]  # t6 is on 2026-03-12
    assert en[0].median_handling_s == pytest.approx((110 + 280) * M / 2)  # median of two values
    assert [(r.key, r.handled_per_day) for r in amy] == [("amy", 1.0)]  # 2 resolved / 2 days
    assert [(r.language, r.tickets) for r in web] == [("de", 1)]
    assert sorted((r.language, r.tickets) for r in asia) == [("de", 1), ("en", 1)]
    assert [(r.language, r.tickets) for r in no_team] == [("th", 1)]


def test_domain_and_industry_distribution(facts: sessionmaker[Session]) -> None:
    with facts() as session:
        domains = {(r.group, r.language): r for r in domain_language_distribution(session)}
        industries = {(r.group, r.language): r.tickets
                      for r in domain_language_distribution(session, by="industry")}
    assert {k: r.tickets for k, r in domains.items()} == {
        ("orders", "en"): 3, ("returns", "de"): 2, ("returns", "th"): 1}
    assert domains[("returns", "de")].share_of_group == pytest.approx(2 / 3)
    assert domains[("returns", "th")].share_of_language == 1.0
    assert industries == {("electronics", "en"): 2, ("apparel", "de"): 1, ("apparel", "th"): 1,
                          ("", "de"): 1, ("", "en"): 1}


def test_top_recurring_issues(facts: sessionmaker[Session]) -> None:
    with facts() as session:
        issues = top_recurring_issues(session)
        filtered = top_recurring_issues(session, ReportFilters(language="de"))
    assert [(i.domain, i.concept, i.tickets) for i in issues] == [
        ("orders", "订单", 3), ("returns", "退货", 3)]
    returns = issues[1]
    assert returns.languages == "de:2, th:1"
    assert (returns.first_day, returns.last_day) == ("2026-03-02", "2026-03-03")
    assert [(i.concept, i.tickets) for i in filtered] == [("退货", 2)]
