"""The Reports page on the seeded demo store: filters, charts, tables and a CSV under each table."""

import pytest

from tests.console.conftest import FakeGateway, frame, no_exceptions, on_page, signed_in, texts

LANGUAGE_TABLE = ("language", "median_handling_s", "breach_rate_processing", "post_edit_rate")


def test_supervisor_sees_reports_with_csv_downloads(console_db: str, gateway: FakeGateway) -> None:
    at = on_page(signed_in(console_db, "zhang.min"), "reports")
    assert "Reports" in texts(at)
    keys = {b.key for b in at.get("download_button")}
    assert {f"rpt_csv_{k}" for k in ("languages", "agents", "teams", "agent_languages", "domains",
                                     "industries", "recurring_issues")} <= keys
    languages = frame(at, *LANGUAGE_TABLE)
    assert int(languages["tickets"].sum()) > 0
    frame(at, "key", "handled_per_day", "first_assignment_accuracy")  # agents and teams
    frame(at, "group", "language", "share_of_group")  # domain and industry mix
    assert len(at.get("vega_lite_chart")) == 4  # handling time, breach rate, handled per day, domain mix


def test_filter_narrows_every_table(console_db: str, gateway: FakeGateway) -> None:
    at = on_page(signed_in(console_db, "zhang.min"), "reports")
    languages = frame(at, *LANGUAGE_TABLE)
    first = str(languages["language"].iloc[0])
    at.selectbox(key="rpt_language").set_value(first).run()
    no_exceptions(at)
    narrowed = frame(at, *LANGUAGE_TABLE)
    assert list(narrowed["language"]) == [first]
    assert int(narrowed["tickets"].sum()) == int(languages["tickets"].iloc[0])


def test_labels_follow_the_console_language(console_db: str, gateway: FakeGateway) -> None:
    at = on_page(signed_in(console_db, "zhang.min", lang="zh"), "reports")
    assert "统计报表" in texts(at)
    assert "下载 CSV" in [getattr(b, "label", "") for b in at.get("download_button")]


def test_agents_do_not_get_the_page(console_db: str, gateway: FakeGateway) -> None:
    at = signed_in(console_db, "wang.lei")
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/reports.py")
