"""Admin edit forms: agents, teams, business calendars, SLA policies.

Each form is prefilled from the store, validated by console/admin_input.py (the same parsers
as `lingodesk agents import`), written through store/ functions, and audited. A presence or
capacity change nudges pending tickets through the Temporal gateway (runtime/assignment.py);
an SLA policy edit publishes a new version, so running tickets keep the one they started with.
"""

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import streamlit as st
from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from console import services
from console.admin_input import (
    CHANNELS,
    PRIORITIES,
    ROLES,
    TIERS,
    AdminInputError,
    agent_from_form,
    calendar_from_form,
    format_chain,
    format_hours,
    format_languages,
    policy_from_form,
    team_from_form,
)
from console.gateway import get_gateway
from console.i18n import label, t
from console.widgets import escape_md
from domain.calendar import BusinessCalendar
from domain.routing import AgentProfile, Presence, TeamProfile
from domain.sla import TEAM_CALENDAR, SlaPolicy, SlaTarget
from runtime.assignment import nudge_for_agent
from store import agents as agent_store
from store import calendars as calendar_store
from store import sla_policies as policy_store

R = TypeVar("R")
NEW = "__new__"
PRESENCES = [str(p) for p in agent_store.PRESENCES]


def _read(sessions: sessionmaker[Session], fn: Callable[..., R], *args: Any) -> R:
    with sessions() as session:
        return fn(session, *args)


def _write(sessions: sessionmaker[Session], fn: Callable[..., R], *args: Any) -> R:
    with sessions.begin() as session:
        return fn(session, *args)


def _problems(exc: AdminInputError) -> None:
    st.error(t("adm_problems"))
    st.code("\n".join(exc.problems), language=None)  # a code block shows the text as text


def _changed(old: BaseModel | None, new: BaseModel) -> str:
    """Which fields an edit changed, for the audit log (values may be personal: names only)."""
    if old is None:
        return "created"
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    return ",".join(sorted(k for k in after if before.get(k) != after.get(k)))


# format_func also runs outside the script run (AppTest), so it must not call t(): plain text.
def _new_or_id(value: str) -> str:
    return "+ new / 新建" if value == NEW else value


def _or_none(value: str) -> str:
    return value or "-"


def _or_any(value: str) -> str:
    return value or "*"


def _pick(title: str, ids: list[str], key: str) -> str:
    return str(st.selectbox(title, [NEW, *ids], format_func=_new_or_id, key=key))


def _refresh() -> None:
    services.directory.clear()


def _flash(form: str, kind: str, text: str) -> None:
    """Keep a message for the rerun that follows a save (so the tables above show the change)."""
    st.session_state.setdefault(f"_flash_{form}", []).append((kind, text))


def _show_flash(form: str) -> None:
    for kind, text in st.session_state.pop(f"_flash_{form}", []):
        {"success": st.success, "info": st.info, "warning": st.warning}[kind](text)


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
        _flash("f_agent", "info", t("adm_nudged", n=outcome.detail))
    else:
        _flash("f_agent", "warning", t("adm_nudge_failed", reason=escape_md(outcome.message)))


def _frees_capacity(old: AgentProfile | None, new: AgentProfile) -> bool:
    if new.presence != Presence.ONLINE or not new.active:
        return False
    return old is None or old.presence != Presence.ONLINE or not old.active or new.capacity > old.capacity


def agent_editor(team_ids: list[str]) -> None:
    agents = services.query(_read, agent_store.list_agents) or []
    choice = _pick(t("adm_edit_agent"), [a.agent_id for a in agents], "adm_agent_pick")
    _show_flash("f_agent")
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
            format_func=_or_none,
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
        _problems(exc)
        return
    if old is None and agent.agent_id in {a.agent_id for a in agents}:
        _problems(AdminInputError([f"agent {agent.agent_id} already exists; pick it above to edit it"]))
        return
    if services.query(_write, agent_store.save_agents, [agent]) is None:
        return
    services.record_audit("edit_agent", detail={"agent": agent.agent_id, "changed": _changed(old, agent)})
    _refresh()
    _flash("f_agent", "success", t("adm_agent_saved", name=escape_md(agent.agent_id)))
    if _frees_capacity(old, agent):
        nudge_pending(agent.agent_id)
    st.rerun()


# ------------------------------------------------------------------------------ teams
def team_editor(agent_ids: list[str], calendar_ids: list[str]) -> None:
    teams = services.query(_read, agent_store.list_teams) or {}
    choice = _pick(t("adm_edit_team"), list(teams), "adm_team_pick")
    _show_flash("f_team")
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
            format_func=_or_none,
            key="adm_team_supervisor" + k,
        )
        manager = st.selectbox(
            t("col_manager"),
            people,
            index=people.index(cur.manager) if cur.manager in people else 0,
            format_func=_or_none,
            key="adm_team_manager" + k,
        )
        calendars = ["", *calendar_ids]
        calendar_id = st.selectbox(
            t("adm_team_calendar"),
            calendars,
            index=calendars.index(ref),
            format_func=_or_none,
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
        _problems(AdminInputError(problems))
        return
    if services.query(_write, agent_store.save_teams, [team]) is None:
        return
    services.record_audit("edit_team", detail={"team": team.team_id, "changed": _changed(old, team)})
    _refresh()
    _flash("f_team", "success", t("adm_team_saved", name=escape_md(team.team_id)))
    st.rerun()


# ------------------------------------------------------------------------------ calendars
def _save_calendar(session: Session, calendar: BusinessCalendar) -> bool:
    calendar_store.save_calendar(session, calendar)
    return True  # services.query answers None when the database failed


def calendar_editor() -> None:
    calendars = services.query(_read, calendar_store.list_calendars) or []
    choice = _pick(t("adm_edit_calendar"), [c.calendar_id for c in calendars], "adm_cal_pick")
    _show_flash("f_calendar")
    old = next((c for c in calendars if c.calendar_id == choice), None)
    cur = old or BusinessCalendar(calendar_id="")
    k = f"_{choice}"
    with st.form("f_calendar"):
        calendar_id = st.text_input(
            t("adm_id"), cur.calendar_id, disabled=old is not None, key="adm_cal_id" + k
        )
        name = st.text_input(t("adm_name"), cur.name, key="adm_cal_name" + k)
        timezone = st.text_input(t("col_timezone"), cur.timezone, key="adm_cal_tz" + k)
        hours = st.text_input(t("adm_hours"), format_hours(cur.hours), key="adm_cal_hours" + k)
        country = st.text_input(t("adm_country"), cur.country or "", key="adm_cal_country" + k)
        subdivision = st.text_input(t("adm_subdivision"), cur.subdivision or "", key="adm_cal_sub" + k)
        closures = st.text_input(
            t("adm_closures"), ";".join(d.isoformat() for d in cur.closures), key="adm_cal_closures" + k
        )
        working = st.text_input(
            t("adm_working_holidays"),
            ";".join(d.isoformat() for d in cur.working_holidays),
            key="adm_cal_working" + k,
        )
        submitted = st.form_submit_button(t("adm_save"))
    if not submitted:
        return
    form = {
        "calendar_id": calendar_id,
        "name": name,
        "timezone": timezone,
        "hours": hours,
        "country": country,
        "subdivision": subdivision,
        "closures": closures,
        "working_holidays": working,
    }
    try:
        calendar = calendar_from_form(form)
    except AdminInputError as exc:
        services.record_audit(
            "edit_calendar", outcome="rejected", detail={"calendar": calendar_id.strip()[:64]}
        )
        _problems(exc)
        return
    if not services.query(_write, _save_calendar, calendar):
        return
    services.record_audit(
        "edit_calendar", detail={"calendar": calendar.calendar_id, "changed": _changed(old, calendar)}
    )
    _flash("f_calendar", "success", t("adm_calendar_saved", name=escape_md(calendar.calendar_id)))
    st.rerun()


def closures_table() -> None:
    rows = services.query(_read, calendar_store.list_closures) or []
    if rows:
        st.dataframe(
            [
                {
                    t("col_calendar"): r.calendar_id or "*",
                    "start": r.start.isoformat(),
                    "end": r.end.isoformat(),
                    t("col_summary"): r.reason,
                }
                for r in rows
            ],
            hide_index=True,
            key="admin_closures",
        )


def closure_form(calendar_ids: list[str]) -> None:
    _show_flash("f_closure")
    with st.form("f_closure", clear_on_submit=True):
        st.markdown(f"**{t('adm_closures')}**")
        start = st.date_input("start", value=date.today(), key="adm_closure_start")
        end = st.date_input("end", value=date.today(), key="adm_closure_end")
        reason = st.text_input(t("col_summary"), key="adm_closure_reason")
        scope = st.selectbox(
            t("col_calendar"), ["", *calendar_ids], format_func=_or_any, key="adm_closure_calendar"
        )
        submitted = st.form_submit_button(t("adm_save"))
    if not submitted or not isinstance(start, date) or not isinstance(end, date):
        return
    try:
        if end < start or (end - start).days > calendar_store.MAX_CLOSURE_DAYS:
            raise AdminInputError(
                [
                    f"a closure runs from its start to its end, at most "
                    f"{calendar_store.MAX_CLOSURE_DAYS} days ({start} .. {end})"
                ]
            )
    except AdminInputError as exc:
        _problems(exc)
        return
    closure_id = services.query(
        _write, calendar_store.add_closure, start, end, reason.strip()[:200], scope or None
    )
    if closure_id is not None:
        services.record_audit(
            "add_closure",
            detail={
                "closure": closure_id,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "calendar": scope or "*",
            },
        )
        _flash("f_closure", "success", t("adm_calendar_saved", name=f"{start}..{end}"))
        st.rerun()


# ------------------------------------------------------------------------------ SLA policies
def _opt(values: tuple[str, ...]) -> list[str]:
    return ["", *values]


def policy_editor(calendar_ids: list[str]) -> None:
    published = services.query(_read, policy_store.current_policies) or []
    choice = _pick(t("adm_edit_policy"), [v.policy.policy_id for v in published], "adm_policy_pick")
    _show_flash("f_policy")
    old = next((v for v in published if v.policy.policy_id == choice), None)
    base = old.policy if old is not None else SlaPolicy(policy_id="", calendar_id=TEAM_CALENDAR)
    match = old.match if old is not None else policy_store.PolicyMatch()
    k = f"_{choice}_{base.version}"  # a new version shows fresh values
    calendars = ["", TEAM_CALENDAR, *calendar_ids]
    with st.form("f_policy"):
        policy_id = st.text_input(t("adm_id"), base.policy_id, disabled=old is not None, key="adm_pol_id" + k)
        name = st.text_input(t("adm_name"), base.name, key="adm_pol_name" + k)
        fields = (
            (t("adm_priority"), PRIORITIES, match.priority, "prio"),
            (t("adm_tier"), TIERS, match.tier, "tier"),
            (t("adm_channel"), CHANNELS, match.channel, "chan"),
        )
        picked = []
        for title, values, now, key in fields:
            opts = _opt(values)
            picked.append(
                st.selectbox(
                    title,
                    opts,
                    index=opts.index(now) if now in opts else 0,
                    format_func=_or_any,
                    key=f"adm_pol_{key}" + k,
                )
            )
        targets = {
            target: st.number_input(
                t("adm_target", target=label(str(target))),
                min_value=0.0,
                value=base.targets_s.get(target, 0) / 3600,
                step=0.25,
                key=f"adm_pol_t_{target.value}" + k,
            )
            for target in SlaTarget
        }
        warn = st.number_input(
            t("adm_warn"),
            min_value=0.0,
            max_value=1.0,
            value=base.warn_ratio,
            step=0.05,
            key="adm_pol_warn" + k,
        )
        cal = base.calendar_id or ""
        calendar_id = st.selectbox(
            t("adm_policy_calendar"),
            calendars,
            index=calendars.index(cal) if cal in calendars else 0,
            format_func=_or_none,
            key="adm_pol_cal" + k,
        )
        chain = st.text_area(t("adm_chain"), format_chain(base.chain), key="adm_pol_chain" + k)
        active = st.checkbox(
            t("adm_active"), old.active if old is not None else True, key="adm_pol_active" + k
        )
        submitted = st.form_submit_button(t("adm_save"))
    if submitted:
        _publish(base, policy_id, name, picked, targets, float(warn), calendar_id, bool(active), chain)
    if old is not None:  # after publishing, so the new version is listed at once
        history = services.query(_read, policy_store.policy_versions, old.policy.policy_id) or []
        st.caption(t("adm_versions") + ": " + ", ".join(f"v{v.policy.version}" for v in history))


def _publish(
    base: SlaPolicy,
    policy_id: str,
    name: str,
    picked: list[str],
    targets: dict[SlaTarget, float],
    warn: float,
    calendar_id: str,
    active: bool,
    chain: str,
) -> None:
    form: dict[str, Any] = {f"target_{tg.value}": float(h) for tg, h in targets.items()}
    form |= {"name": name, "warn_ratio": float(warn), "calendar_id": calendar_id, "chain": chain}
    try:
        pid = policy_id.strip()
        if not pid:
            raise AdminInputError(["policy id is required"])
        policy = policy_from_form(base.model_copy(update={"policy_id": pid}), form)
    except AdminInputError as exc:
        services.record_audit(
            "edit_sla_policy", outcome="rejected", detail={"policy": policy_id.strip()[:64]}
        )
        _problems(exc)
        return
    new_match = policy_store.PolicyMatch(
        priority=picked[0] or None, tier=picked[1] or None, channel=picked[2] or None
    )
    version = services.query(_write, policy_store.publish_edit, policy, new_match, active)
    if version is None:
        return
    services.record_audit(
        "edit_sla_policy",
        detail={"policy": policy.policy_id, "version": version, "changed": _changed(base, policy)},
    )
    _flash(
        "f_policy", "success", t("adm_policy_published", name=escape_md(policy.policy_id), version=version)
    )
    st.rerun()
