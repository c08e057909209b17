"""Ticket detail: every message next to its Chinese translation, timeline, live SLA clocks,
collaboration tasks, a link to the workflow, and the actions (Temporal updates only)."""

from datetime import UTC, datetime
from urllib.parse import quote

import streamlit as st

from console import auth, services
from console.deadline_form import deadline_form
from console.i18n import label, t
from console.ticket_actions import SCOPE as TICKET_SCOPE
from console.ticket_actions import action_panel
from console.widgets import clock_rows, escape_md, fmt_dt, message_card, remaining
from domain.ids import ticket_workflow_id
from domain.sla import SlaClock
from runtime.settings import get_settings

user = auth.require_user()
url = services.database_url()

current = (st.query_params.get("ticket") or st.session_state.get("ticket_id") or "").strip()
entered = st.text_input(
    t("ticket_id_input"), value=current, key=f"ticket_input_{current}", placeholder="DEMO-0001"
).strip()
if entered and entered != current:
    st.session_state["ticket_id"] = entered
    st.query_params["ticket"] = entered
    st.rerun()
if not current:
    st.info(t("pick_ticket"))
    st.stop()

db_ok, ticket = services.try_load(services.ticket_detail, url, current)
if ticket is None:
    if db_ok:
        st.info(t("ticket_not_found", id=escape_md(current)))
    st.stop()
if not auth.may_view_ticket(user, services.load(services.ticket_tasks, url, ticket.ticket_id)):
    services.record_audit("view_ticket", ticket.ticket_id, outcome="rejected")
    st.error(t("not_allowed"))
    st.stop()
services.record_ticket_view(ticket.ticket_id, "ticket")

st.title(t("ticket_title", id=escape_md(ticket.ticket_id)))
st.markdown(f"**{escape_md(ticket.subject)}**")
if ticket.subject_translated and ticket.subject_translated != ticket.subject:
    st.markdown(escape_md(ticket.subject_translated))
with st.container(horizontal=True):
    st.badge(label(ticket.status), color="blue")
    st.badge(label(ticket.priority), color="red" if ticket.priority in ("high", "urgent") else "gray")
    st.badge(
        t("detected", lang=ticket.language, conf=f"{ticket.language_confidence:.2f}"),
        icon=":material/translate:",
        color="violet",
    )
    if ticket.language_mixed:
        st.badge(t("mixed"), color="orange")
    st.badge(label(ticket.domain), color="green")
    if ticket.sla_breached:
        st.badge(t("breached"), icon=":material/alarm:", color="red")
    if ticket.needs_triage:
        st.badge(t("triage"), color="orange")
settings = get_settings()
st.link_button(
    t("temporal_link"),
    f"{settings.temporal_ui_url.rstrip('/')}/namespaces/"
    f"{quote(settings.temporal_namespace)}/workflows/{quote(ticket_workflow_id(ticket.ticket_id))}",
    icon=":material/open_in_new:",
)
if ticket.ticket_id.startswith("DEMO-"):
    st.info(t("demo_ticket"), icon=":material/science:")

main, side = st.columns([2, 1])
with main:
    messages_tab, timeline_tab, collab_tab = st.tabs([t("tab_messages"), t("tab_timeline"), t("tab_collab")])
    with messages_tab:
        for message in ticket.messages:
            message_card(message)
    with timeline_tab:
        st.dataframe(
            [
                {
                    t("col_time"): fmt_dt(e.at),
                    t("col_kind"): e.kind,
                    t("col_actor"): e.actor,
                    t("col_summary"): e.summary,
                }
                for e in reversed(ticket.timeline)
            ],
            hide_index=True,
            key="timeline_table",
        )
    with collab_tab:
        tasks = services.load(services.ticket_tasks, url, ticket.ticket_id)
        if tasks is None:
            st.caption(t("collab_missing"))
        elif not tasks:
            st.caption(t("collab_none"))
        else:
            now = datetime.now(UTC)
            st.dataframe(
                [
                    {
                        "#": task.task_no,
                        t("department"): task.department_name or task.department,
                        t("col_assignee"): task.assignee,
                        t("col_status"): label(str(task.status)),
                        t("col_deadline"): fmt_dt(task.deadline),
                        t("col_remaining"): remaining(task.deadline, now)
                        if str(task.status) == "open"
                        else "-",
                        t("col_question"): task.question,
                        t("task_result"): task.result or "",
                    }
                    for task in tasks
                ],
                hide_index=True,
                key="collab_table",
            )
            open_tasks = {task.task_id: task for task in tasks if str(task.status) == "open"}
            if open_tasks and auth.can(user, auth.Action.COLLABORATE):
                # Confirmed in the actions panel (scope "ticket"); the task workflow validates.
                picked = st.selectbox(
                    t("task"), list(open_tasks), key="deadline_task_pick",
                    format_func=lambda i: f"#{open_tasks[i].task_no} · {open_tasks[i].department}",
                )
                deadline_form(TICKET_SCOPE, open_tasks[picked], user.actor_id)

with side:
    st.subheader(t("sla_clocks"))

    @st.fragment(run_every=15)
    def live_clocks(clocks: list[SlaClock]) -> None:
        # Recomputed from the projected deadlines each tick, so the countdown moves between reads.
        if not clocks:
            st.caption(t("no_clocks"))
            return
        st.dataframe(clock_rows(clocks, datetime.now(UTC)), hide_index=True, key="clock_table")

    live_clocks(ticket.sla_clocks)
    st.subheader(t("customer"))
    st.text(f"{ticket.customer_name} <{ticket.customer_email}>")
    st.text(f"{ticket.customer_country or '-'} · {ticket.customer_tier} · {ticket.channel}")
    st.text(f"{t('col_assignee')}: {ticket.assignee or '-'} · {t('col_team')}: {ticket.team or '-'}")
    st.text(f"{t('col_created')}: {fmt_dt(ticket.created_at)}")
    st.subheader(t("tab_actions"))
    directory = services.load(services.directory, url)
    if directory is not None:
        action_panel(ticket, user, directory)
