"""Reports: per language, per agent and team, per request domain and industry, with filters,
charts and a CSV download under every table. Figures come from store/reports (docs/reports.md)."""

from datetime import date, timedelta
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from pydantic import BaseModel

from console import auth, report_data, services
from console.i18n import label, t
from console.widgets import fmt_dt
from store.reports import (
    NODES,
    REPEAT_DAYS_DEFAULT,
    DistributionRow,
    HandlingByLanguageRow,
    LanguageReportRow,
    PeopleReportRow,
    RecurringIssueRow,
    ReportFilters,
)

user = auth.require_user()
if "reports" not in auth.ROLE_PAGES[user.role]:
    st.error(t("not_allowed"))
    st.stop()
url = services.database_url()
st.title(t("rpt_title"))

options = services.load(report_data.options, url)
if options is None:
    st.stop()
if options.first_day is None or options.last_day is None:
    st.info(t("rpt_no_facts"))
    st.stop()
if options.facts_updated_at is not None:
    st.caption(t("rpt_facts_at", time=fmt_dt(options.facts_updated_at)))

ALL = "\u0000all"  # a sentinel no team/language/channel can be
# The page opens on the last 30 days with data: the month a supervisor reviews, and at a million
# tickets the all-time language report takes ~3.7 s where a month takes ~0.4 s (docs/scaling.md).
DEFAULT_DAYS = 30


def default_start(first: date, last: date) -> date:
    return max(first, last - timedelta(days=DEFAULT_DAYS - 1))


def choice(title: str, values: list[str], key: str, names: dict[str, str] | None = None) -> str | None:
    shown = {ALL: t("rpt_all"), **{v: (names or {}).get(v, v) for v in values}}
    picked: str = st.selectbox(title, list(shown), format_func=shown.__getitem__, key=key)
    return None if picked == ALL else picked


with st.container(horizontal=True):
    span = st.date_input(t("rpt_dates"), value=(default_start(options.first_day, options.last_day),
                                                options.last_day), key="rpt_dates")
    team = choice(t("rpt_team"), options.teams, "rpt_team", {"": t("rpt_no_team")})
    language = choice(t("rpt_language"), options.languages, "rpt_language")
    channel = choice(t("rpt_channel"), options.channels, "rpt_channel")
    repeat_days = st.number_input(t("rpt_repeat_days"), 1, 365, REPEAT_DAYS_DEFAULT, key="rpt_repeat")
days: list[date] = list(span) if isinstance(span, tuple | list) else [span]
filters = ReportFilters(start=days[0] if days else None, end=days[-1] if days else None, team=team,
                        language=language, channel=channel, repeat_days=int(repeat_days))
data = services.load(report_data.report_data, url, filters.model_dump_json())
if data is None:
    st.stop()
if not data.languages:
    st.info(t("rpt_empty"))
    st.stop()
st.caption(t("rpt_hours_note"))


def table(rows: list[Any], model: type[BaseModel], key: str) -> pd.DataFrame:
    """Show rows (hours, percentages) with a CSV download of the exact figures under it."""
    raw = report_data.frame(rows, list(model.model_fields))
    shown = raw.copy()
    config: dict[str, Any] = {}
    for col in shown.columns:
        if col.endswith("_s"):
            shown[col] = shown[col] / 3600
            config[col] = st.column_config.NumberColumn(col[:-2] + " (h)", format="%.2f")
        elif "rate" in col or "share" in col or col.endswith("accuracy"):
            shown[col] = shown[col] * 100
            config[col] = st.column_config.NumberColumn(col + " (%)", format="%.1f")
    st.dataframe(shown, hide_index=True, column_config=config, key=f"rpt_df_{key}")
    st.download_button(t("rpt_download"), report_data.csv_bytes(raw), file_name=f"lingodesk-{key}.csv",
                       mime="text/csv", key=f"rpt_csv_{key}", icon=":material/download:")
    return raw


by_language, people, domains = st.tabs([t("rpt_tab_language"), t("rpt_tab_people"), t("rpt_tab_domain")])

with by_language:
    lang_df = report_data.frame(data.languages, list(LanguageReportRow.model_fields))
    st.subheader(t("rpt_handling_chart"))
    measures = {"avg_handling_s": t("rpt_avg_handling"), "median_handling_s": t("rpt_median_handling"),
                "avg_first_response_s": t("rpt_avg_first_response"),
                "avg_resolution_s": t("rpt_avg_resolution")}
    times = report_data.long_form(lang_df, "language", measures, "measure", "seconds")
    times["hours"] = times["seconds"] / 3600
    st.altair_chart(
        alt.Chart(times).mark_bar().encode(
            x=alt.X("language:N", title=t("rpt_language")),
            xOffset="measure:N",
            y=alt.Y("hours:Q", title=t("rpt_hours")),
            color=alt.Color("measure:N", title=t("rpt_measure")),
            tooltip=["language", "measure", alt.Tooltip("hours:Q", format=".2f")],
        ),
        width="stretch",
    )
    st.subheader(t("rpt_breach_chart"))
    rates = report_data.long_form(lang_df, "language", {f"breach_rate_{n}": label(n) for n in NODES},
                                  "node", "rate")
    st.altair_chart(
        alt.Chart(rates).mark_rect().encode(
            x=alt.X("node:N", title=t("rpt_node"), sort=[label(n) for n in NODES]),
            y=alt.Y("language:N", title=t("rpt_language")),
            color=alt.Color("rate:Q", title=t("rpt_rate"),
                            scale=alt.Scale(scheme="orangered", domain=[0, 1])),
            tooltip=["language", "node", alt.Tooltip("rate:Q", format=".0%")],
        ),
        width="stretch",
    )
    st.subheader(t("rpt_language_table"))
    table(data.languages, LanguageReportRow, "languages")

with people:
    st.subheader(t("rpt_agents"))
    agents_df = table(data.agents, PeopleReportRow, "agents")
    if not agents_df.empty:
        st.caption(t("rpt_handled_chart"))
        st.altair_chart(
            alt.Chart(agents_df).mark_bar().encode(
                x=alt.X("handled_per_day:Q", title=t("rpt_handled_chart")),
                y=alt.Y("key:N", title=t("rpt_agents"), sort="-x"),
                tooltip=["key", "tickets", "resolved", alt.Tooltip("handled_per_day:Q", format=".2f")],
            ),
            width="stretch",
        )
    st.subheader(t("rpt_teams"))
    table(data.teams, PeopleReportRow, "teams")
    st.subheader(t("rpt_agent_languages"))
    table(data.agent_languages, HandlingByLanguageRow, "agent_languages")

with domains:
    st.subheader(t("rpt_domain_chart"))
    mix = report_data.frame(data.domains, list(DistributionRow.model_fields))
    mix["group_label"] = mix["group"].map(label)
    st.altair_chart(
        alt.Chart(mix).mark_rect().encode(
            x=alt.X("language:N", title=t("rpt_language")),
            y=alt.Y("group_label:N", title=t("rpt_domains")),
            color=alt.Color("tickets:Q", scale=alt.Scale(scheme="blues")),
            tooltip=["group_label", "language", "tickets", alt.Tooltip("share_of_group:Q", format=".0%")],
        ),
        width="stretch",
    )
    st.subheader(t("rpt_domains"))
    table(data.domains, DistributionRow, "domains")
    st.subheader(t("rpt_industries"))
    table(data.industries, DistributionRow, "industries")
    st.subheader(t("rpt_issues"))
    table(data.issues, RecurringIssueRow, "recurring_issues")
