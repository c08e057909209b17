"""The Overview's "Hot issues" section: cross-language spike alerts, their tickets, acknowledge.

Alerts come from store/hot_issues.py (written by the scheduled HotIssueScanWorkflow). Acknowledging
is console state (who/when on the alert row, like ticket notifications) and is audited.
"""

import streamlit as st

from console import auth, services
from console.i18n import label, t
from console.widgets import escape_md, fmt_dt
from store.hot_issues import HotIssueAlertView, acknowledge_alert, list_alerts
from store.users import UserView


def _acknowledge(alert_id: int, user: UserView) -> None:
    # A callback runs before the rerun, so the section redraws with the acknowledgement shown.
    if services.query(acknowledge_alert, alert_id, user.actor_id):
        services.record_audit("acknowledge_hot_issue", None, detail={"alert": alert_id})
        st.toast(t("acknowledged"))


def _alert(alert: HotIssueAlertView, user: UserView) -> None:
    icon = "🔥" if alert.status == "open" else "✔️"
    with st.container(border=True):
        cols = st.columns([6, 1], vertical_alignment="center")
        cols[0].markdown(f"{icon} **{escape_md(alert.summary)}**")
        cols[0].caption(
            t("hot_issue_first_seen", time=fmt_dt(alert.first_seen_at), time2=fmt_dt(alert.updated_at))
            + " · "
            + t("hot_issue_tickets", count=str(alert.ticket_count))
            + " · "
            + ", ".join(alert.languages)
        )
        if alert.acknowledged_at is not None:
            cols[1].caption(
                t(
                    "hot_issue_acked",
                    name=escape_md(alert.acknowledged_by or "-"),
                    time=fmt_dt(alert.acknowledged_at),
                )
            )
        elif auth.can(user, auth.Action.ACK_ALERT):
            cols[1].button(
                t("acknowledge"),
                key=f"ack_hot_{alert.alert_id}",
                on_click=_acknowledge,
                args=(alert.alert_id, user),
            )
        st.dataframe(
            [
                {
                    t("col_ticket"): ticket.ticket_id,
                    t("col_language"): ticket.language,
                    t("col_status"): label(ticket.status) if ticket.status else "-",
                    t("col_subject"): ticket.subject,
                    t("col_created"): fmt_dt(ticket.created_at),
                }
                for ticket in alert.tickets
            ],
            hide_index=True,
            key=f"hot_tickets_{alert.alert_id}",
        )


def hot_issues_section(user: UserView) -> None:
    st.subheader(t("hot_issues"))
    show_closed = st.toggle(t("hot_issue_show_closed"), key="hot_show_closed")
    alerts = services.query(list_alerts, include_closed=show_closed)
    if alerts is None:
        return
    if not alerts:
        st.caption(t("empty"))
    for alert in alerts:
        _alert(alert, user)
