"""Supervisor overview: status and language counts, SLA risk, alerts, agent load, triage queue.

The live part is a fragment that reruns every REFRESH_S seconds on its own.
"""

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from console import auth, services
from console.hot_issues_panel import hot_issues_section
from console.i18n import label, t
from console.widgets import escape_md, fmt_dt, remaining, ticket_opener, ticket_rows
from store.queries import TicketListItem, acknowledge

REFRESH_S = 30
user = auth.require_user()

st.title(t("overview_title"))


def acknowledge_alert(notification_id: str, ticket_id: str) -> None:
    # A callback runs before the rerun, so the list redraws without the acknowledged alert.
    if services.query(acknowledge, notification_id, user.actor_id):
        services.record_audit("acknowledge_alert", ticket_id, detail={"alert": notification_id})
        st.toast(t("acknowledged"))
    services.overview.clear()


@st.fragment(run_every=REFRESH_S)
def live_overview() -> None:
    data = services.load(services.overview, services.database_url())
    if data is None:
        return
    st.caption(t("refreshed_at", time=fmt_dt(data.loaded_at), seconds=REFRESH_S))

    st.subheader(t("by_status"))
    nodes = ["pending_assignment", "processing", "pending_collaboration", "pending_reply", "closed"]
    with st.container(horizontal=True):
        for node in nodes:
            st.metric(label(node), data.status_counts.get(node, 0), border=True, width=170)

    left, right = st.columns([3, 2])
    with left:
        st.subheader(t("sla_risk"))
        now = datetime.now(UTC)
        risk_rows = [
            {
                t("col_ticket"): r.ticket_id,
                t("col_target"): label(r.target),
                t("col_remaining"): ("🔴 " if r.breached else "🟠 ") + remaining(r.deadline, now),
                t("col_status"): label(r.status),
                t("col_language"): r.language,
                t("col_priority"): label(r.priority),
                t("col_assignee"): r.assignee or "-",
                t("col_subject"): r.subject,
            }
            for r in data.risk
        ]
        if risk_rows:
            st.dataframe(risk_rows, hide_index=True, key="risk_table")
        else:
            st.caption(t("empty"))
    with right:
        st.subheader(t("by_language"))
        if data.language_counts:
            chart = pd.DataFrame(
                {
                    t("col_language"): list(data.language_counts),
                    t("col_count"): list(data.language_counts.values()),
                }
            )
            st.bar_chart(chart, x=t("col_language"), y=t("col_count"), horizontal=True, height=260)
        else:
            st.caption(t("empty"))

    st.subheader(t("alerts"))
    if not data.alerts:
        st.caption(t("empty"))
    for alert in data.alerts:
        icon = "🔴" if alert.severity == "critical" else "🟠"
        cols = st.columns([6, 1], vertical_alignment="center")
        cols[0].markdown(
            f"{icon} **{escape_md(alert.ticket_id)}** · {escape_md(label(alert.kind))} · "
            f"{escape_md(alert.summary)} · {fmt_dt(alert.created_at)}"
        )
        if auth.can(user, auth.Action.ACK_ALERT):
            cols[1].button(
                t("acknowledge"),
                key=f"ack_{alert.notification_id}",
                on_click=acknowledge_alert,
                args=(alert.notification_id, alert.ticket_id),
            )

    hot_issues_section(user)  # cross-language spikes (HotIssueScanWorkflow), acknowledge

    agents_col, triage_col = st.columns(2)
    with agents_col:
        st.subheader(t("agents_online"))
        online = [a for a in data.agents if a.presence == "online"]
        st.dataframe(
            [
                {
                    t("col_agent"): a.name,
                    t("col_team"): a.team_id or "-",
                    t("col_presence"): label(a.presence),
                    t("col_load"): a.open_tickets / a.capacity if a.capacity else 0.0,
                    t("col_count"): a.open_tickets,
                }
                for a in online
            ],
            hide_index=True,
            key="agents_table",
            column_config={
                t("col_load"): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent")
            },
        )
    with triage_col:
        st.subheader(t("triage"))
        if data.triage:
            st.dataframe(ticket_rows(data.triage), hide_index=True, key="triage_table")
        else:
            st.caption(t("empty"))


live_overview()

# Outside the fragment: opening a ticket switches pages, which needs a full-app rerun.
risky = services.load(services.overview, services.database_url())
if risky is not None:
    st.divider()
    ticket_opener(
        [
            TicketListItem(
                ticket_id=r.ticket_id,
                status=r.status,
                subject=r.subject,
                created_at=r.deadline,
                updated_at=r.deadline,
            )
            for r in risky.risk
        ]
        + risky.triage,
        key="overview",
    )
