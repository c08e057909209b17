"""Admin: agents and skills, teams and calendars, SLA policies (all editable: console/admin_editors.py,
console/admin_sla_editors.py), glossaries (validated upload), templates, users, and the audit log."""

import streamlit as st

from console import auth, integrations, services
from console.admin_editors import agent_editor, team_editor
from console.admin_sla_editors import calendar_editor, closure_form, closures_table, policy_editor
from console.i18n import label, t
from console.template_ui import admin_templates
from console.widgets import escape_md, fmt_dt
from domain.sla import SlaPolicy
from runtime.settings import get_settings
from store import audit
from store.users import Role, UserError, list_users, upsert_user

user = auth.require_user()
if not auth.can(user, auth.Action.ADMIN):
    st.error(t("not_allowed"))
    st.stop()
url = services.database_url()
st.title(t("admin_title"))
directory = services.load(services.directory, url)
if directory is None:
    st.stop()

tabs = st.tabs(
    [
        t(k)
        for k in (
            "tab_agents",
            "tab_teams",
            "tab_sla",
            "tab_glossaries",
            "tab_templates",
            "tab_users",
            "tab_audit",
        )
    ]
)
agents_tab, teams_tab, sla_tab, glossary_tab, templates_tab, users_tab, audit_tab = tabs

with agents_tab:
    st.dataframe(
        [
            {
                t("col_agent"): a.agent_id,
                t("col_name"): a.name,
                t("role"): a.role,
                t("col_team"): a.team_id,
                t("col_language"): ", ".join(
                    f"{k}:{v}" for k, v in sorted(a.languages.items(), key=lambda kv: -kv[1])
                ),
                t("col_domain"): ", ".join(label(d) for d in a.domains),
                t("col_industries"): ", ".join(a.industries),
                t("col_capacity"): a.capacity,
                t("col_presence"): label(a.presence),
                t("col_timezone"): a.timezone,
            }
            for a in directory.agents
        ],
        hide_index=True,
        key="admin_agents",
    )
    agent_editor([tm.team_id for tm in directory.teams])

with teams_tab:
    st.dataframe(
        [
            {
                t("col_team"): tm.team_id,
                t("col_name"): tm.name,
                t("col_timezone"): tm.timezone,
                t("col_language"): ", ".join(tm.languages),
                t("col_supervisor"): tm.supervisor,
                t("col_manager"): tm.manager,
                t("col_calendar"): str(tm.calendar),
            }
            for tm in directory.teams
        ],
        hide_index=True,
        key="admin_teams",
    )
    calendars = services.query(integrations.calendars)
    if calendars:
        st.dataframe(
            [
                {
                    t("col_calendar"): c.calendar_id,
                    t("col_name"): c.name,
                    t("col_timezone"): c.timezone,
                    t("col_country"): c.country,
                    t("col_hours"): str(c.hours),
                    t("col_closures"): len(c.closures),
                }
                for c in calendars
            ],
            hide_index=True,
            key="admin_calendars",
        )
    calendar_ids = [c.calendar_id for c in calendars or []]
    agent_ids = [a.agent_id for a in directory.agents]
    team_editor(agent_ids, calendar_ids)
    calendar_editor()
    closures_table()
    closure_form(calendar_ids)


def policy_row(policy: SlaPolicy, match: str = "*", active: bool = True) -> dict[str, object]:
    row: dict[str, object] = {
        t("col_policy"): policy.policy_id,
        t("col_version"): policy.version,
        t("col_name"): policy.name,
        t("col_match"): match,
        t("col_active"): active,
        t("col_calendar"): policy.calendar_id or "-",
    }
    row.update({label(str(k)): f"{v / 3600:g} h" for k, v in policy.targets_s.items()})
    return row


with sla_tab:
    published = services.query(integrations.sla_policies) or []
    rows = [
        policy_row(
            v.policy, ", ".join(f"{k}={x}" for k, x in v.match.model_dump().items() if x) or "*", v.active
        )
        for v in published
    ]
    if rows:
        st.dataframe(rows, hide_index=True, key="admin_sla")
    st.caption(t("default_policy"))
    st.dataframe([policy_row(SlaPolicy())], hide_index=True, key="admin_sla_default")
    policy_editor([c.calendar_id for c in services.query(integrations.calendars) or []])

with glossary_tab:
    folder = get_settings().glossaries_dir
    files = sorted(p.name for p in folder.glob("*.csv")) if folder.is_dir() else []
    st.caption(t("glossary_files") + ": " + (escape_md(", ".join(files)) or t("none")))
    upload = st.file_uploader(t("upload_glossary"), type=["csv", "tbx", "xml"], key="glossary_upload")
    # Validate, save and audit once per uploaded file, not on every rerun while it stays selected.
    if upload is not None and st.session_state.get("_glossary_file") != upload.file_id:
        check = integrations.validate_glossary(upload.name, upload.getvalue())
        path = integrations.save_glossary(folder, upload.name, check) if check.ok else None
        services.record_audit(
            "upload_glossary",
            outcome="ok" if check.ok else "rejected",
            detail={"file": upload.name, "concepts": check.concepts},
        )
        st.session_state["_glossary_file"] = upload.file_id
        st.session_state["_glossary_result"] = (check, path)
    result = st.session_state.get("_glossary_result") if upload is not None else None
    if result is not None:
        check, stored = result
        if check.ok:
            st.success(
                t(
                    "glossary_ok",
                    n=check.concepts,
                    langs=", ".join(check.languages),
                    path=escape_md(str(stored)),
                )
            )
            if check.warnings:
                st.code("\n".join(check.warnings), language=None)
        else:
            st.error(t("glossary_errors"))
            st.code("\n".join(check.errors + check.warnings), language=None)

with templates_tab:
    admin_templates(user)

with users_tab:
    users = services.query(list_users) or []
    st.dataframe(
        [
            {
                t("username"): u.username,
                t("display_name"): u.display_name,
                t("role"): auth.role_label(u.role),
                t("agent_id"): u.agent_id,
                t("department_id"): u.department_id,
                t("col_active"): u.active,
            }
            for u in users
        ],
        hide_index=True,
        key="admin_users",
    )
    roles = {r.value: auth.role_label(r) for r in Role}
    with st.form("f_user", clear_on_submit=True):
        st.markdown(f"**{t('add_user')}**")
        username = st.text_input(t("username"))
        display = st.text_input(t("display_name"))
        role = st.selectbox(t("role"), list(roles), format_func=roles.__getitem__)
        agent_id = st.text_input(t("agent_id"))
        department_id = st.text_input(t("department_id"))
        password = st.text_input(t("password"), type="password")
        if st.form_submit_button(t("submit")):
            try:
                saved = services.query(
                    upsert_user,
                    username,
                    password,
                    role,
                    display,
                    agent_id.strip() or None,
                    department_id.strip() or None,
                )
            except UserError as exc:
                st.error(escape_md(str(exc)))
            else:
                if saved is not None:
                    services.record_audit(
                        "upsert_user", detail={"username": saved.username, "role": saved.role}
                    )
                    st.success(t("user_saved", name=escape_md(saved.username)))

with audit_tab:
    entries = services.query(audit.recent, 300) or []
    st.dataframe(
        [
            {
                t("col_time"): fmt_dt(e.at),
                t("col_actor"): e.actor,
                t("role"): e.role,
                t("col_kind"): e.action,
                t("col_ticket"): e.ticket_id or "",
                t("col_outcome"): e.outcome,
                t("col_summary"): str(e.detail),
            }
            for e in entries
        ],
        hide_index=True,
        key="admin_audit",
    )
