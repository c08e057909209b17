"""Sign-in, expiring sessions, and what each role may see and do.

The browser session keeps only a random bearer token; every rerun resolves it against the
`sessions` table, so expiry, idle timeout, sign-out and a disabled user take effect at once.

A page reload starts a new Streamlit session with empty state, so the token is also kept in
the page URL (query parameter `URL_TOKEN_KEY`): a reload resumes the session while it lives.
The store keeps only the token's SHA-256; sign-out revokes it and drops it from the URL.
"""

from datetime import timedelta
from enum import StrEnum
from typing import Any

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from console import services
from console.i18n import t
from runtime.settings import get_settings
from store.users import Role, UserView, authenticate, resolve_session, revoke_session

TOKEN_KEY = "session_token"
URL_TOKEN_KEY = "session"  # query parameter that survives a browser reload


class Action(StrEnum):
    ASSIGN = "assign"  # to anyone
    ASSIGN_SELF = "assign_self"
    REPLY = "reply"
    NOTE = "add_note"
    ESCALATE = "escalate"
    COLLABORATE = "request_collaboration"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    ACK_ALERT = "acknowledge_alert"
    WORK_TASK = "work_task"  # complete / comment on collaboration tasks
    ANY_QUEUE = "any_queue"  # look at another agent's workspace
    ANY_DEPARTMENT = "any_department"
    ADMIN = "admin"


_AGENT = {
    Action.ASSIGN_SELF,
    Action.REPLY,
    Action.NOTE,
    Action.ESCALATE,
    Action.COLLABORATE,
    Action.RESOLVE,
    Action.REOPEN,
}
_SUPERVISOR = _AGENT | {
    Action.ASSIGN,
    Action.ACK_ALERT,
    Action.WORK_TASK,
    Action.ANY_QUEUE,
    Action.ANY_DEPARTMENT,
}
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.AGENT: frozenset(_AGENT),
    Role.DEPARTMENT: frozenset({Action.NOTE, Action.WORK_TASK}),
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.ADMIN: frozenset(_SUPERVISOR | {Action.ADMIN}),
}

# Page keys (console/layout.py) per role; the first one is the role's home page.
ROLE_PAGES: dict[Role, list[str]] = {
    Role.AGENT: ["workspace", "tickets", "ticket"],
    Role.DEPARTMENT: ["departments", "ticket"],
    Role.SUPERVISOR: ["overview", "tickets", "ticket", "workspace", "departments", "reports"],
    Role.ADMIN: ["overview", "tickets", "ticket", "workspace", "departments", "admin", "reports"],
}


def can(user: UserView | None, action: Action) -> bool:
    return user is not None and action in PERMISSIONS[user.role]


def may_view_ticket(user: UserView, tasks: list[Any] | None) -> bool:
    """Department members see only tickets their department has a collaboration task on."""
    if user.role is not Role.DEPARTMENT:
        return True
    return any(getattr(task, "department", None) == user.department_id for task in tasks or [])


def session_ttl() -> timedelta:
    return timedelta(seconds=get_settings().console_session_ttl_s)


def idle_timeout() -> timedelta:
    return timedelta(seconds=get_settings().console_idle_timeout_s)


def _url_token() -> str | None:
    value = st.query_params.get(URL_TOKEN_KEY)
    # A token is 43 URL-safe characters (secrets.token_urlsafe(32)); anything else is not one.
    return value if isinstance(value, str) and 20 <= len(value) <= 128 else None


def _keep_in_url(token: str | None) -> None:
    """Put the token in the URL (page switches clear query parameters) or take it out."""
    if token is None:
        if URL_TOKEN_KEY in st.query_params:
            del st.query_params[URL_TOKEN_KEY]
    elif st.query_params.get(URL_TOKEN_KEY) != token:
        st.query_params[URL_TOKEN_KEY] = token


def current_user() -> UserView | None:
    """The signed-in user for this rerun, or None (never signed in, expired, revoked, disabled).

    The browser session's token wins; a fresh session (a reload) resumes from the URL's token.
    """
    token = st.session_state.get(TOKEN_KEY) or _url_token()
    if not token:
        _keep_in_url(None)
        return None
    ok, user = services.try_load(lambda: resolve_session(services.sessions(), token, idle_timeout()))
    if not ok:
        st.stop()  # the database is down (message shown); keep the token, the outage is not a sign-out
    if user is None:
        st.session_state.pop(TOKEN_KEY, None)
        st.session_state.pop("user", None)
        st.session_state["_expired"] = True
        _keep_in_url(None)
        return None
    if st.session_state.get(TOKEN_KEY) != token:
        st.session_state[TOKEN_KEY] = token
        services.record_audit_as(user.username, str(user.role), "resume_session")
    st.session_state["user"] = user
    _keep_in_url(token)
    return user


def require_user() -> UserView:
    """For pages: app.py only runs a page for a signed-in user, so this is always set."""
    user: UserView | None = st.session_state.get("user")
    if user is None:
        st.stop()
    return user


def sign_in_form() -> None:
    st.title(t("app_title"))
    if st.session_state.pop("_expired", False):
        st.info(t("session_expired"))
    with st.form("sign_in"):
        username = st.text_input(t("username"), key="sign_in_username")
        password = st.text_input(t("password"), type="password", key="sign_in_password")
        submitted = st.form_submit_button(t("sign_in"), type="primary")
    if get_settings().console_demo:
        st.caption(t("demo_hint"))
    if not submitted:
        return
    try:
        opened = authenticate(services.sessions(), username, password, session_ttl())
    except (SQLAlchemyError, OSError) as exc:
        if "users" in str(exc) and ("no such table" in str(exc).lower() or "does not exist" in str(exc)):
            st.error(t("no_users"))
        else:
            services.load(_raise, exc)
        return
    if opened is None:
        services.record_audit_as(username.strip()[:64] or "anonymous", "", "sign_in", outcome="rejected")
        st.error(t("bad_credentials"))
        return
    st.session_state[TOKEN_KEY] = opened.token
    st.session_state["user"] = opened.user
    _keep_in_url(opened.token)
    services.record_audit_as(opened.user.username, str(opened.user.role), "sign_in")
    st.rerun()


def _raise(exc: Exception) -> None:
    raise exc


def sign_out() -> None:
    token = st.session_state.pop(TOKEN_KEY, None)
    _keep_in_url(None)
    services.record_audit("sign_out")
    if token:
        services.query(revoke_session, token)
    for key in ("user", "_viewed"):
        st.session_state.pop(key, None)


def role_label(role: Role) -> str:
    return t(f"role_{role.value}")
