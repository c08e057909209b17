"""Data for the pages: store/ queries behind short-TTL caches, and the degraded-state guard.

Every cached function takes the database URL first, so two stores (tests, a switched
DATABASE_URL) never share entries. Pages call `load(...)`: when the database is down it shows
one clear message and returns None instead of a traceback.
"""

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import streamlit as st
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from console import integrations
from console.i18n import t
from console.widgets import escape_md
from runtime.settings import get_settings
from store import audit, queries
from store.db import make_engine, make_session_factory

R = TypeVar("R")
SHORT_TTL = timedelta(seconds=10)
LONG_TTL = timedelta(seconds=60)


def database_url() -> str:
    return get_settings().database_url


@st.cache_resource(show_spinner=False)
def _session_factory(url: str) -> sessionmaker[Session]:
    # One engine (and pool) per process and URL; Streamlit sessions share it.
    return make_session_factory(make_engine(url))


def sessions() -> sessionmaker[Session]:
    return _session_factory(database_url())


def try_load(fn: Callable[..., R], *args: Any, **kwargs: Any) -> tuple[bool, R | None]:
    """(True, result), or (False, None) after showing the degraded-state message for a database failure."""
    try:
        return True, fn(*args, **kwargs)
    except (SQLAlchemyError, OSError) as exc:
        first_line = (str(exc).splitlines() or [""])[0][:200]
        st.warning(
            t("db_down", detail=escape_md(f"{type(exc).__name__}: {first_line}")), icon=":material/cloud_off:"
        )
        return False, None


def load(fn: Callable[..., R], *args: Any, **kwargs: Any) -> R | None:
    """Run a query; None (with the degraded-state message shown) when the database fails."""
    return try_load(fn, *args, **kwargs)[1]


def query(fn: Callable[..., R], *args: Any, **kwargs: Any) -> R | None:
    """`fn(session_factory, *args)` under the same guard; building the engine can fail too."""
    return load(lambda: fn(sessions(), *args, **kwargs))


class OverviewData(BaseModel):
    status_counts: dict[str, int]
    language_counts: dict[str, int]
    risk: list[queries.SlaRiskItem]
    alerts: list[queries.NotificationView]
    agents: list[queries.AgentLoad]
    triage: list[queries.TicketListItem]
    loaded_at: datetime


@st.cache_data(ttl=SHORT_TTL, show_spinner=False)
def overview(url: str) -> OverviewData:
    s = _session_factory(url)
    return OverviewData(
        status_counts=queries.status_counts(s),
        language_counts=queries.language_counts(s),
        risk=queries.sla_risk(s),
        alerts=queries.alerts(s),
        agents=queries.agent_load(s),
        triage=queries.triage_queue(s),
        loaded_at=datetime.now(UTC),
    )


@st.cache_data(ttl=SHORT_TTL, show_spinner=False)
def ticket_page(
    url: str, filter_json: str, sort: str, cursor_json: str | None, limit: int
) -> queries.TicketPage:
    cursor = queries.Cursor.model_validate_json(cursor_json) if cursor_json else None
    return queries.list_tickets(
        _session_factory(url),
        queries.TicketFilter.model_validate_json(filter_json),
        queries.TicketSort(sort),
        cursor,
        limit,
    )


@st.cache_data(ttl=timedelta(seconds=5), show_spinner=False)
def ticket_detail(url: str, ticket_id: str) -> queries.TicketDetail | None:
    return queries.ticket_detail(_session_factory(url), ticket_id)


@st.cache_data(ttl=SHORT_TTL, show_spinner=False)
def agent_queue(url: str, agent_id: str) -> list[queries.TicketListItem]:
    return queries.my_open_tickets(_session_factory(url), agent_id)


class FilterOptions(BaseModel):
    languages: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    teams: list[str] = Field(default_factory=list)
    assignees: list[str] = Field(default_factory=list)


@st.cache_data(ttl=LONG_TTL, show_spinner=False)
def filter_options(url: str) -> FilterOptions:
    s = _session_factory(url)
    return FilterOptions(
        languages=queries.distinct_values(s, "language"),
        domains=queries.distinct_values(s, "domain"),
        teams=queries.distinct_values(s, "team"),
        assignees=queries.distinct_values(s, "assignee"),
    )


class Directory(BaseModel):
    agents: list[queries.AgentView]
    teams: list[queries.TeamView]
    departments: list[queries.DepartmentView]


@st.cache_data(ttl=LONG_TTL, show_spinner=False)
def directory(url: str) -> Directory:
    s = _session_factory(url)
    return Directory(
        agents=queries.list_agents(s), teams=queries.list_teams(s), departments=queries.list_departments(s)
    )


@st.cache_data(ttl=SHORT_TTL, show_spinner=False)
def ticket_tasks(url: str, ticket_id: str) -> list[Any] | None:
    return integrations.ticket_tasks(_session_factory(url), ticket_id)


@st.cache_data(ttl=SHORT_TTL, show_spinner=False)
def department_tasks(url: str, department_id: str) -> list[Any] | None:
    return integrations.department_tasks(_session_factory(url), department_id)


def refresh_after_action() -> None:
    """Drop cached reads so the next render shows what the workflow has projected since."""
    for fn in (overview, ticket_page, ticket_detail, agent_queue, ticket_tasks, department_tasks):
        fn.clear()


def record_audit_as(
    actor: str,
    role: str,
    action: str,
    ticket_id: str | None = None,
    outcome: str = "ok",
    detail: dict[str, Any] | None = None,
) -> None:
    """Append to the audit log. A failed audit write is shown (degraded message), never swallowed."""
    query(audit.record, actor, role, action, ticket_id, outcome, detail)


def record_audit(
    action: str, ticket_id: str | None = None, outcome: str = "ok", detail: dict[str, Any] | None = None
) -> None:
    """Audit as the signed-in user."""
    user = st.session_state.get("user")
    actor = user.username if user is not None else "anonymous"
    role = str(user.role) if user is not None else ""
    record_audit_as(actor, role, action, ticket_id, outcome, detail)


def terms_hash(text: str) -> str:
    """SHA-256 of normalized search terms, so the audit log never stores a searched e-mail in clear."""
    return hashlib.sha256(" ".join(text.split()).lower().encode("utf-8")).hexdigest()


def record_ticket_view(ticket_id: str, purpose: str) -> None:
    """Audit a view of a ticket's customer data once per session, ticket and purpose per 10 minutes."""
    seen: dict[str, datetime] = st.session_state.setdefault("_viewed", {})
    key, now = f"{purpose}:{ticket_id}", datetime.now(UTC)
    if key in seen and now - seen[key] < timedelta(minutes=10):
        return
    seen[key] = now
    record_audit(f"view_{purpose}", ticket_id)
