"""Agent workspace: my open tickets by urgency, the conversation in both languages, and a
Chinese reply with a translation preview (glossary terms marked) before it is sent."""

import uuid

import streamlit as st

from console import auth, integrations, services
from console.actions import PendingAction, confirm_box, propose
from console.i18n import t
from console.translation import preview_reply
from console.widgets import dataframe_pick, escape_md, highlight, message_card, term_strings, ticket_rows

user = auth.require_user()
url = services.database_url()
st.title(t("workspace_title"))

directory = services.load(services.directory, url)
if directory is None:
    st.stop()
agent_id = user.agent_id
if auth.can(user, auth.Action.ANY_QUEUE):
    names = {a.agent_id: f"{a.name} ({a.agent_id})" for a in directory.agents}
    ids = list(names)
    agent_id = st.selectbox(
        t("work_as"),
        ids,
        index=ids.index(agent_id) if agent_id in ids else 0,
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
    if integrations.templates_module() is None:
        st.caption(t("templates_missing"))
    text = st.text_area(t("reply_text"), height=180, key=f"reply_{ticket.ticket_id}")
    preview_col, send_col = st.columns(2)
    if preview_col.button(t("preview"), key="ws_preview", width="stretch", icon=":material/translate:"):
        if text.strip():
            st.session_state["_preview"] = (
                ticket.ticket_id,
                text,
                preview_reply(text, ticket.language, ticket.domain, ticket.industry),
            )
        else:
            st.warning(t("empty_reply"))
    shown = st.session_state.get("_preview")
    if shown and shown[0] == ticket.ticket_id and shown[1] == text:
        preview = shown[2]
        with st.container(border=True):
            st.caption(t("preview_into", lang=ticket.language))
            if preview.available and preview.text is not None:
                _, targets = term_strings(preview.applied_terms)
                st.markdown(highlight(preview.text, targets))
                if targets:
                    st.caption(
                        f"{t('terms_applied')}: "
                        + " · ".join(
                            f"{escape_md(x.source)} → {escape_md(x.target)}" for x in preview.applied_terms
                        )
                    )
            else:
                st.warning(
                    t("no_model", lang=ticket.language, detail=escape_md(preview.detail)),
                    icon=":material/translate:",
                )
    if send_col.button(
        t("send"),
        key="ws_send",
        type="primary",
        width="stretch",
        icon=":material/send:",
        disabled=not auth.can(user, auth.Action.REPLY),
    ):
        if not text.strip():
            st.warning(t("empty_reply"))
        else:
            # The request id makes a retried send idempotent in the workflow (ReplyRequest.request_id).
            propose(
                "reply",
                PendingAction(
                    ticket_id=ticket.ticket_id,
                    update="reply",
                    summary=t("sum_reply", id=ticket.ticket_id),
                    payload={"agent_id": user.actor_id, "text": text, "request_id": uuid.uuid4().hex},
                ),
            )
            st.rerun()
    confirm_box("reply")
