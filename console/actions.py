"""Acting on tickets and tasks: propose -> confirm -> Temporal update -> audit -> outcome shown.

Nothing here writes ticket state to SQL; the workflow does, and the projection follows.
"""

from typing import Any

import streamlit as st
from pydantic import BaseModel

from console import services
from console.gateway import ActionOutcome, OutcomeKind, get_gateway
from console.i18n import t
from console.widgets import escape_md, outcome_message
from domain.actions import (
    AssignRequest,
    EscalateRequest,
    NoteRequest,
    ReopenRequest,
    ReplyRequest,
    ResolveRequest,
)
from domain.collaboration_actions import (
    ChangeDeadlineRequest,
    CollaborationRequest,
    CompleteTaskRequest,
    TaskCommentRequest,
)

# Temporal update name -> its input model (domain/actions.py, domain/collaboration_actions.py).
REQUEST_TYPES: dict[str, type[BaseModel]] = {
    "assign": AssignRequest,
    "escalate": EscalateRequest,
    "add_note": NoteRequest,
    "resolve": ResolveRequest,
    "reopen": ReopenRequest,
    "reply": ReplyRequest,
    "request_collaboration": CollaborationRequest,
    "complete_task": CompleteTaskRequest,
    "comment": TaskCommentRequest,
    "change_deadline": ChangeDeadlineRequest,
}


class PendingAction(BaseModel):
    ticket_id: str
    update: str
    payload: dict[str, Any]
    summary: str
    task_id: str | None = None  # set for collaboration-task updates (sent to the task workflow)


def propose(scope: str, action: PendingAction) -> None:
    """Park an action until the person confirms it (one pending action per scope)."""
    st.session_state[f"_pending_{scope}"] = action


def execute(action: PendingAction) -> ActionOutcome:
    arg = REQUEST_TYPES[action.update].model_validate(action.payload)
    gateway = get_gateway()
    if action.task_id:
        outcome = gateway.task_update(action.task_id, arg)
    else:
        outcome = gateway.ticket_update(action.ticket_id, action.update, arg)
    audit_outcome = {OutcomeKind.OK: "ok", OutcomeKind.INVALID: "rejected"}.get(outcome.kind, "failed")
    services.record_audit(
        action.update,
        action.ticket_id,
        outcome=audit_outcome,
        detail={
            "summary": action.summary,
            "task_id": action.task_id,
            "result": outcome.kind,
            "message": outcome.message[:500],
            "input": _audit_input(action.payload),
        },
    )
    if outcome.ok:
        services.refresh_after_action()
    return outcome


def _audit_input(payload: dict[str, Any]) -> str:
    # Free text (replies, notes) is customer-facing content: the audit keeps its length, not its words.
    return ", ".join(
        f"{k}={v!s:.60}" if k not in {"text", "question", "result"} else f"{k}=<{len(str(v))} chars>"
        for k, v in payload.items()
        if v not in (None, "", [], {})
    )


def confirm_box(scope: str) -> None:
    """The confirmation of a pending action, and the outcome of the last one in this scope."""
    outcome: ActionOutcome | None = st.session_state.pop(f"_outcome_{scope}", None)
    if outcome is not None:
        outcome_message(outcome.kind, outcome.message, outcome.detail)
    pending: PendingAction | None = st.session_state.get(f"_pending_{scope}")
    if pending is None:
        return
    with st.container(border=True):
        st.warning(t("confirm_question", summary=escape_md(pending.summary)), icon=":material/help:")
        yes, no = st.columns(2)
        if yes.button(t("confirm"), type="primary", key=f"{scope}_confirm", width="stretch"):
            st.session_state.pop(f"_pending_{scope}", None)
            st.session_state[f"_outcome_{scope}"] = execute(pending)
            st.rerun()
        if no.button(t("cancel"), key=f"{scope}_cancel", width="stretch"):
            st.session_state.pop(f"_pending_{scope}", None)
            st.rerun()


def last_outcome_kind(scope: str) -> OutcomeKind | None:
    outcome: ActionOutcome | None = st.session_state.get(f"_outcome_{scope}")
    return outcome.kind if outcome else None
