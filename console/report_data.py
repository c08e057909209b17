"""Data for the Reports page: store/reports queries behind a cache, and CSV/chart frames.

Cached per (database URL, filters) for a minute: the facts behind them change every 15 minutes.
"""

from typing import Any

import pandas as pd
import streamlit as st
from pydantic import BaseModel

from console import services
from store import reports
from store.reports import FilterOptions, ReportFilters


class ReportData(BaseModel):
    languages: list[reports.LanguageReportRow]
    agents: list[reports.PeopleReportRow]
    teams: list[reports.PeopleReportRow]
    agent_languages: list[reports.HandlingByLanguageRow]
    domains: list[reports.DistributionRow]
    industries: list[reports.DistributionRow]
    issues: list[reports.RecurringIssueRow]


@st.cache_data(ttl=services.LONG_TTL, show_spinner=False)
def options(url: str) -> FilterOptions:
    with services.sessions()() as session:
        return reports.filter_options(session)


@st.cache_data(ttl=services.LONG_TTL, show_spinner=False)
def report_data(url: str, filters_json: str) -> ReportData:
    f = ReportFilters.model_validate_json(filters_json)
    with services.sessions()() as session:
        return ReportData(
            languages=reports.language_report(session, f),
            agents=reports.agent_report(session, f),
            teams=reports.team_report(session, f),
            agent_languages=reports.handling_by_language(session, f),
            domains=reports.domain_language_distribution(session, f),
            industries=reports.domain_language_distribution(session, f, by="industry"),
            issues=reports.top_recurring_issues(session, f),
        )


def frame(rows: list[Any], columns: list[str]) -> pd.DataFrame:
    """The rows as they export: field names as headers, seconds and fractions as stored."""
    return pd.DataFrame([r.model_dump() for r in rows], columns=columns)


def csv_bytes(df: pd.DataFrame) -> bytes:
    # UTF-8 with BOM so spreadsheet programs open Chinese/Thai text correctly.
    return df.to_csv(index=False).encode("utf-8-sig")


def long_form(df: pd.DataFrame, id_col: str, value_cols: dict[str, str], var: str,
              value: str) -> pd.DataFrame:
    """Wide -> long for Altair: one row per (id, measure), measure names given by `value_cols`."""
    melted = df.melt(id_vars=[id_col], value_vars=list(value_cols), var_name=var, value_name=value)
    melted[var] = melted[var].map(value_cols)
    return melted.dropna(subset=[value])
