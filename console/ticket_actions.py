"""The action forms of the ticket page: assign, escalate, note, collaboration, resolve, reopen."""

import uuid

import streamlit as st

from console.actions import PendingAction, confirm_box, propose
from console.auth import Action, can
from console.i18n import t
from console.services import Directory
from store.queries import TicketDetail
from store.users import UserView

SCOPE = "ticket"


def action_panel(ticket: TicketDetail, user: UserView, directory: Directory) -> None:
    confirm_box(SCOPE)
    closed = ticket.status == "closed"
    forms = []
    if not closed and (can(user, Action.ASSIGN) or (can(user, Action.ASSIGN_SELF) and user.agent_id)):
        forms.append(("act_assign", _assign))
    if not closed and can(user, Action.ESCALATE):
        forms.append(("act_escalate", _escalate))
    if can(user, Action.NOTE):
        forms.append(("act_note", _note))
    if not closed and can(user, Action.COLLABORATE):
        forms.append(("act_collab", _collaborate))
    if not closed and can(user, Action.RESOLVE):
        forms.append(("act_resolve", _resolve))
    if closed and can(user, Action.REOPEN):
        forms.append(("act_reopen", _reopen))
    if closed:
        st.caption(t("closed_no_actions"))
    if not forms:
        return
    tabs = st.tabs([t(key) for key, _ in forms])
    for tab, (_, render) in zip(tabs, forms, strict=True):
        with tab:
            render(ticket, user, directory)


def _assign(ticket: TicketDetail, user: UserView, directory: Directory) -> None:
    agents = {a.agent_id: f"{a.name} ({a.agent_id})" for a in directory.agents if a.active}
    if not can(user, Action.ASSIGN):  # an agent may only take the ticket
        agents = {k: v for k, v in agents.items() if k == user.agent_id} or {user.actor_id: user.actor_id}
    with st.form("f_assign", clear_on_submit=True):
        ids = list(agents)
        current = (
            ids.index(ticket.assignee) if ticket.assignee in ids else 0
        )  # reassigning starts from the owner
        agent = st.selectbox(t("agent"), ids, index=current, format_func=agents.__getitem__)
        reason = st.text_input(t("reason"))
        if st.form_submit_button(t("submit")) and agent:
            team = next((a.team_id for a in directory.agents if a.agent_id == agent), None)
            propose(
                SCOPE,
                PendingAction(
                    ticket_id=ticket.ticket_id,
                    update="assign",
                    summary=t("sum_assign", id=ticket.ticket_id, agent=agents[agent]),
                    payload={"agent_id": agent, "team": team, "by": user.actor_id, "reason": reason},
                ),
            )
            st.rerun()


def _escalate(ticket: TicketDetail, user: UserView, directory: Directory) -> None:
    with st.form("f_escalate", clear_on_submit=True):
        reason = st.text_input(t("reason"))
        raise_priority = st.checkbox(t("raise_priority"), value=True)
        if st.form_submit_button(t("submit")):
            propose(
                SCOPE,
                PendingAction(
                    ticket_id=ticket.ticket_id,
                    update="escalate",
                    summary=t("sum_escalate", id=ticket.ticket_id),
                    payload={"by": user.actor_id, "reason": reason, "raise_priority": raise_priority},
                ),
            )
            st.rerun()


def _note(ticket: TicketDetail, user: UserView, directory: Directory) -> None:
    with st.form("f_note", clear_on_submit=True):
        text = st.text_area(t("note_text"), height=100)
        if st.form_submit_button(t("submit")):
            # Empty text is sent as is: the workflow's validator owns the rule and its message.
            propose(
                SCOPE,
                PendingAction(
                    ticket_id=ticket.ticket_id,
                    update="add_note",
                    summary=t("sum_note", id=ticket.ticket_id),
                    payload={"author": user.actor_id, "text": text},
                ),
            )
            st.rerun()


def _collaborate(ticket: TicketDetail, user: UserView, directory: Directory) -> None:
    departments = {
        d.department_id: f"{d.name_zh or d.name} ({d.department_id})" for d in directory.departments
    }
    with st.form("f_collab", clear_on_submit=True):
        dept = st.selectbox(t("department"), list(departments), format_func=departments.__getitem__)
        question = st.text_area(t("question"), height=100)
        hours = st.number_input(t("deadline_hours"), min_value=1, max_value=24 * 14, value=8, step=1)
        pause = st.checkbox(t("pause_sla"))
        notify = st.checkbox(t("notify_customer"))
        if st.form_submit_button(t("submit")) and dept:
            propose(
                SCOPE,
                PendingAction(
                    ticket_id=ticket.ticket_id,
                    update="request_collaboration",
                    summary=t("sum_collab", id=ticket.ticket_id, dept=departments[dept]),
                    payload={
                        "department": dept,
                        "question": question,
                        "by": user.actor_id,
                        "deadline_s": int(hours) * 3600,
                        "pause_customer_sla": pause,
                        "notify_customer": notify,
                        "request_id": uuid.uuid4().hex,
                    },
                ),
            )
            st.rerun()


def _resolve(ticket: TicketDetail, user: UserView, directory: Directory) -> None:
    with st.form("f_resolve", clear_on_submit=True):
        resolution = st.text_input(t("resolution"))
        if st.form_submit_button(t("submit")):
            propose(
                SCOPE,
                PendingAction(
                    ticket_id=ticket.ticket_id,
                    update="resolve",
                    summary=t("sum_resolve", id=ticket.ticket_id),
                    payload={"by": user.actor_id, "resolution": resolution},
                ),
            )
            st.rerun()


def _reopen(ticket: TicketDetail, user: UserView, directory: Directory) -> None:
    with st.form("f_reopen", clear_on_submit=True):
        reason = st.text_input(t("reason"))
        if st.form_submit_button(t("submit")):
            propose(
                SCOPE,
                PendingAction(
                    ticket_id=ticket.ticket_id,
                    update="reopen",
                    summary=t("sum_reopen", id=ticket.ticket_id),
                    payload={"by": user.actor_id, "reason": reason},
                ),
            )
            st.rerun()
