"""Admin edit forms for business calendars, company closures and SLA policies.

Validated by console/admin_input.py, written through store/ functions, audited. An SLA policy
edit publishes a new version, so running tickets keep the one they started with.
"""

from datetime import date
from functools import partial
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from console import services
from console.admin_forms import (
    changed_fields,
    flash,
    or_any,
    or_none,
    pick,
    read_with,
    show_flash,
    show_problems,
    write_with,
)
from console.admin_input import (
    CHANNELS,
    PRIORITIES,
    TIERS,
    AdminInputError,
    calendar_from_form,
    format_chain,
    format_hours,
    policy_from_form,
)
from console.i18n import label, t
from console.widgets import escape_md
from domain.calendar import BusinessCalendar
from domain.sla import TEAM_CALENDAR, SlaPolicy, SlaTarget
from store import calendars as calendar_store
from store import sla_policies as policy_store


# ------------------------------------------------------------------------------ calendars
def _save_calendar(session: Session, calendar: BusinessCalendar) -> bool:
    calendar_store.save_calendar(session, calendar)
    return True  # services.query answers None when the database failed


def calendar_editor() -> None:
    calendars = services.query(read_with, calendar_store.list_calendars) or []
    choice = pick(t("adm_edit_calendar"), [c.calendar_id for c in calendars], "adm_cal_pick")
    show_flash("f_calendar")
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
        show_problems(exc)
        return
    if not services.query(write_with, _save_calendar, calendar):
        return
    services.record_audit(
        "edit_calendar", detail={"calendar": calendar.calendar_id, "changed": changed_fields(old, calendar)}
    )
    flash("f_calendar", "success", t("adm_calendar_saved", name=escape_md(calendar.calendar_id)))
    st.rerun()


def closures_table() -> None:
    rows = services.query(read_with, calendar_store.list_closures) or []
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
    show_flash("f_closure")
    with st.form("f_closure", clear_on_submit=True):
        st.markdown(f"**{t('adm_closures')}**")
        start = st.date_input("start", value=date.today(), key="adm_closure_start")
        end = st.date_input("end", value=date.today(), key="adm_closure_end")
        reason = st.text_input(t("col_summary"), key="adm_closure_reason")
        scope = st.selectbox(
            t("col_calendar"), ["", *calendar_ids], format_func=or_any, key="adm_closure_calendar"
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
        show_problems(exc)
        return
    closure_id = services.query(
        write_with, calendar_store.add_closure, start, end, reason.strip()[:200], scope or None
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
        flash("f_closure", "success", t("adm_calendar_saved", name=f"{start}..{end}"))
        st.rerun()


# ------------------------------------------------------------------------------ SLA policies
def _opt(values: tuple[str, ...]) -> list[str]:
    return ["", *values]


def policy_editor(calendar_ids: list[str]) -> None:
    published = services.query(read_with, policy_store.current_policies) or []
    choice = pick(t("adm_edit_policy"), [v.policy.policy_id for v in published], "adm_policy_pick")
    show_flash("f_policy")
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
                    format_func=or_any,
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
            format_func=or_none,
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
        history = services.query(read_with, policy_store.policy_versions, old.policy.policy_id) or []
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
        show_problems(exc)
        return
    new_match = policy_store.PolicyMatch(
        priority=picked[0] or None, tier=picked[1] or None, channel=picked[2] or None
    )
    # Always a new version: running tickets keep the one they started with.
    publish = partial(policy_store.publish_policy, active=active)
    version = services.query(write_with, publish, policy, new_match)
    if version is None:
        return
    services.record_audit(
        "edit_sla_policy",
        detail={"policy": policy.policy_id, "version": version, "changed": changed_fields(base, policy)},
    )
    flash(
        "f_policy", "success", t("adm_policy_published", name=escape_md(policy.policy_id), version=version)
    )
    st.rerun()
