"""Agent workspace: my open tickets by urgency, the conversation in both languages, and a
Chinese reply with a translation preview (glossary terms marked) before it is sent."""

import uuid

import streamlit as st

from console import auth, services
from console.actions import PendingAction, confirm_box, propose
from console.i18n import t
from console.template_ui import current_preview, reply_payload, show_customer_text, template_picker
from console.translation import preview_reply
from console.widgets import dataframe_pick, message_card, mt_preview_box, ticket_rows

user = auth.require_user()
url = services.database_url()
st.title(t("workspace_title"))

directory = services.load(services.directory, url)
if directory is None:
    st.stop()
agent_id = user.agent_id
if auth.can(user, auth.Action.ANY_QUEUE):
    # Busiest queues first, so a supervisor lands on one with work in it.
    overview = services.load(services.overview, url)
    load = {a.agent_id: a.open_tickets for a in overview.agents} if overview else {}
    agents = sorted(directory.agents, key=lambda a: (-load.get(a.agent_id, 0), a.agent_id))
    names = {a.agent_id: f"{a.name} ({a.agent_id}) · {load.get(a.agent_id, 0)}" for a in agents}
    ids = list(names)
    own = agent_id is not None and load.get(agent_id, 0) > 0  # one's own queue first, unless empty
    agent_id = st.selectbox(
        t("work_as"),
        ids,
        index=ids.index(agent_id) if own and agent_id in ids else 0,
        format_func=names.__getitem__,
        key="ws_agent",
    )
if not agent_id:
    st.info(t("no_agent_link"))
    st.stop()

queue = services.load(services.agent_queue, url, agent_id)
if queue is None:
    st.stop()
st.subheader(t("my_queue"))
if not queue:
    st.info(t("empty"))
    st.stop()
event = st.dataframe(
    ticket_rows(queue), hide_index=True, on_select="rerun", selection_mode="single-row", key="ws_queue"
)
picked_row = dataframe_pick(event)
ids = [i.ticket_id for i in queue]
if picked_row is not None and picked_row < len(ids):
    st.session_state["ws_ticket"] = ids[picked_row]
labels = {i.ticket_id: f"{i.ticket_id} · {(i.subject_translated or i.subject)[:60]}" for i in queue}
if st.session_state.get("ws_ticket") not in labels:
    st.session_state.pop("ws_ticket", None)
ticket_id = st.selectbox(t("open_ticket"), ids, format_func=labels.__getitem__, key="ws_ticket")

ticket = services.load(services.ticket_detail, url, ticket_id)
if ticket is None:
    st.stop()
services.record_ticket_view(ticket.ticket_id, "workspace")

history, compose = st.columns([3, 2])
with history:
    st.subheader(t("history"))
    for message in ticket.messages:
        if message.direction in ("inbound", "outbound"):
            message_card(message)

with compose:
    st.subheader(t("compose"))
    reply_key = f"reply_{ticket.ticket_id}"
    template_picker(ticket, reply_key)  # before the text area: a filled template writes into it
    text = st.text_area(t("reply_text"), height=180, key=reply_key)
    template_preview = current_preview(ticket.ticket_id)
    if template_preview is not None:
        show_customer_text(template_preview)
    preview_col, send_col = st.columns(2)
    if preview_col.button(t("preview"), key="ws_preview", width="stretch", icon=":material/translate:"):
        if text.strip():
            mt = preview_reply(text, ticket.language, ticket.domain, ticket.industry)
            st.session_state["_preview"] = (ticket.ticket_id, text, mt)
        else:
            st.warning(t("empty_reply"))
    shown = st.session_state.get("_preview")
    if shown and shown[0] == ticket.ticket_id and shown[1] == text:
        mt_preview_box(shown[2], ticket.language)
    can_reply = auth.can(user, auth.Action.REPLY)
    if send_col.button(
        t("send"),
        key="ws_send",
        type="primary",
        width="stretch",
        icon=":material/send:",
        disabled=not can_reply,
    ):
        if not text.strip():
            st.warning(t("empty_reply"))
        else:
            # The request id makes a retried send idempotent in the workflow (ReplyRequest.request_id).
            request_id = uuid.uuid4().hex
            payload = reply_payload(ticket.ticket_id, user.actor_id, text, request_id) or {
                "agent_id": user.actor_id,
                "text": text,
                "request_id": request_id,
            }
            propose(
                "reply",
                PendingAction(
                    ticket_id=ticket.ticket_id,
                    update="reply",
                    payload=payload,
                    summary=t("sum_reply", id=ticket.ticket_id),
                ),
            )
            st.rerun()
    confirm_box("reply")
