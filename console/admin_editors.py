"""Admin edit forms for agents and teams.

Each form is prefilled from the store, validated by console/admin_input.py (the same parsers
as `lingodesk agents import`), written through store/ functions, and audited. A presence or
capacity change nudges pending tickets through the Temporal gateway (runtime/assignment.py).
Calendars and SLA policies: console/admin_sla_editors.py.
"""

from typing import Any

import streamlit as st
from temporalio.client import Client

from console import services
from console.admin_forms import (
    changed_fields,
    flash,
    or_none,
    pick,
    read_with,
    refresh_directory,
    show_flash,
    show_problems,
    write_with,
)
from console.admin_input import (
    ROLES,
    AdminInputError,
    agent_from_form,
    calendar_from_form,
    format_hours,
    format_languages,
    team_from_form,
)
from console.gateway import get_gateway
from console.i18n import t
from console.widgets import escape_md
from domain.routing import AgentProfile, Presence, TeamProfile
from runtime.assignment import nudge_for_agent
from store import agents as agent_store

PRESENCES = [str(p) for p in agent_store.PRESENCES]


# ------------------------------------------------------------------------------ agents
def nudge_pending(agent_id: str) -> None:
    """Ask pending tickets this agent could take to retry now (else they wait for their timer)."""
    call = getattr(get_gateway(), "call", None)
    if call is None:  # a gateway without raw client access (tests' fakes): the timer still retries
        return
    sessions = services.sessions()

    async def action(client: Client) -> dict[str, str]:
        return {"detail": str(await nudge_for_agent(client, sessions, agent_id))}

    outcome = call(action)
    if outcome.ok:
        flash("f_agent", "info", t("adm_nudged", n=outcome.detail))
    else:
        flash("f_agent", "warning", t("adm_nudge_failed", reason=escape_md(outcome.message)))


def _frees_capacity(old: AgentProfile | None, new: AgentProfile) -> bool:
    if new.presence != Presence.ONLINE or not new.active:
        return False
    return old is None or old.presence != Presence.ONLINE or not old.active or new.capacity > old.capacity


def agent_editor(team_ids: list[str]) -> None:
    agents = services.query(read_with, agent_store.list_agents) or []
    choice = pick(t("adm_edit_agent"), [a.agent_id for a in agents], "adm_agent_pick")
    show_flash("f_agent")
    old = next((a for a in agents if a.agent_id == choice), None)
    cur = old or AgentProfile(agent_id="")
    k = f"_{choice}"  # per-agent widget keys: picking another agent shows its values
    with st.form("f_agent"):
        agent_id = st.text_input(t("adm_id"), cur.agent_id, disabled=old is not None, key="adm_agent_id" + k)
        name = st.text_input(t("adm_name"), cur.name, key="adm_agent_name" + k)
        email = st.text_input(t("adm_email"), cur.email, key="adm_agent_email" + k)
        role = st.selectbox(
            t("role"),
            ROLES,
            index=ROLES.index(cur.role) if cur.role in ROLES else 0,
            key="adm_agent_role" + k,
        )
        teams = ["", *team_ids]
        team = st.selectbox(
            t("col_team"),
            teams,
            index=teams.index(cur.team_id) if cur.team_id in teams else 0,
            format_func=or_none,
            key="adm_agent_team" + k,
        )
        languages = st.text_input(
            t("adm_languages"), format_languages(cur.languages), key="adm_agent_langs" + k
        )
        domains = st.text_input(t("adm_domains"), ";".join(cur.domains), key="adm_agent_domains" + k)
        industries = st.text_input(
            t("adm_industries"), ";".join(cur.industries), key="adm_agent_industries" + k
        )
        timezone = st.text_input(t("col_timezone"), cur.timezone, key="adm_agent_tz" + k)
        hours = st.text_input(t("adm_hours"), format_hours(cur.working_hours), key="adm_agent_hours" + k)
        capacity = st.number_input(
            t("col_capacity"),
            min_value=0,
            max_value=500,
            value=cur.capacity,
            step=1,
            key="adm_agent_capacity" + k,
        )
        presence = st.selectbox(
            t("col_presence"),
            PRESENCES,
            index=PRESENCES.index(cur.presence) if cur.presence in PRESENCES else 2,
            key="adm_agent_presence" + k,
        )
        active = st.checkbox(t("adm_active"), cur.active, key="adm_agent_active" + k)
        submitted = st.form_submit_button(t("adm_save"))
    if not submitted:
        return
    form = {
        "agent_id": agent_id,
        "name": name,
        "email": email,
        "role": role,
        "team_id": team,
        "languages": languages,
        "domains": domains,
        "industries": industries,
        "timezone": timezone,
        "working_hours": hours,
        "capacity": int(capacity),
        "presence": presence,
        "active": active,
    }
    try:
        agent = agent_from_form(form, team_ids)
    except AdminInputError as exc:
        services.record_audit("edit_agent", outcome="rejected", detail={"agent": agent_id.strip()[:64]})
        show_problems(exc)
        return
    if old is None and agent.agent_id in {a.agent_id for a in agents}:
        show_problems(AdminInputError([f"agent {agent.agent_id} already exists; pick it above to edit it"]))
        return
    if services.query(write_with, agent_store.save_agents, [agent]) is None:
        return
    services.record_audit("edit_agent",
                          detail={"agent": agent.agent_id, "changed": changed_fields(old, agent)})
    refresh_directory()
    flash("f_agent", "success", t("adm_agent_saved", name=escape_md(agent.agent_id)))
    if _frees_capacity(old, agent):
        nudge_pending(agent.agent_id)
    st.rerun()


# ------------------------------------------------------------------------------ teams
def team_editor(agent_ids: list[str], calendar_ids: list[str]) -> None:
    teams = services.query(read_with, agent_store.list_teams) or {}
    choice = pick(t("adm_edit_team"), list(teams), "adm_team_pick")
    show_flash("f_team")
    old = teams.get(choice)
    cur = old or TeamProfile(team_id="")
    k = f"_{choice}"
    ref = (
        cur.calendar.calendar_id
        if cur.calendar is not None and cur.calendar.calendar_id in calendar_ids
        else ""
    )
    people = ["", *agent_ids]
    with st.form("f_team"):
        team_id = st.text_input(t("adm_id"), cur.team_id, disabled=old is not None, key="adm_team_id" + k)
        name = st.text_input(t("adm_name"), cur.name, key="adm_team_name" + k)
        timezone = st.text_input(t("col_timezone"), cur.timezone, key="adm_team_tz" + k)
        languages = st.text_input(t("adm_team_languages"), ";".join(cur.languages), key="adm_team_langs" + k)
        domains = st.text_input(t("adm_domains"), ";".join(cur.domains), key="adm_team_domains" + k)
        supervisor = st.selectbox(
            t("col_supervisor"),
            people,
            index=people.index(cur.supervisor) if cur.supervisor in people else 0,
            format_func=or_none,
            key="adm_team_supervisor" + k,
        )
        manager = st.selectbox(
            t("col_manager"),
            people,
            index=people.index(cur.manager) if cur.manager in people else 0,
            format_func=or_none,
            key="adm_team_manager" + k,
        )
        calendars = ["", *calendar_ids]
        calendar_id = st.selectbox(
            t("adm_team_calendar"),
            calendars,
            index=calendars.index(ref),
            format_func=or_none,
            key="adm_team_calendar" + k,
        )
        hours = st.text_input(
            t("adm_hours"), format_hours(cur.calendar.hours) if cur.calendar else "", key="adm_team_hours" + k
        )
        country = st.text_input(
            t("adm_country"),
            (cur.calendar.country if cur.calendar else None) or "",
            key="adm_team_country" + k,
        )
        submitted = st.form_submit_button(t("adm_save"))
    if not submitted:
        return
    form: dict[str, Any] = {
        "team_id": team_id,
        "name": name,
        "timezone": timezone,
        "languages": languages,
        "domains": domains,
        "supervisor": supervisor,
        "manager": manager,
        "calendar_id": calendar_id,
    }
    problems: list[str] = []
    if not calendar_id and hours.strip():  # the team's own (inline) calendar
        try:
            form["inline_calendar"] = calendar_from_form(
                {"calendar_id": team_id.strip(), "timezone": timezone, "hours": hours, "country": country}
            )
        except AdminInputError as exc:
            problems += [p for p in exc.problems if p not in problems]
    try:
        team = team_from_form(form, agent_ids, calendar_ids)
    except AdminInputError as exc:
        problems += [p for p in exc.problems if p not in problems]
    if problems:  # every problem of both parts at once
        services.record_audit("edit_team", outcome="rejected", detail={"team": team_id.strip()[:64]})
        show_problems(AdminInputError(problems))
        return
    if services.query(write_with, agent_store.save_teams, [team]) is None:
        return
    services.record_audit("edit_team", detail={"team": team.team_id, "changed": changed_fields(old, team)})
    refresh_directory()
    flash("f_team", "success", t("adm_team_saved", name=escape_md(team.team_id)))
    st.rerun()
