"""Shared pieces of the admin edit forms (console/admin_editors.py, console/admin_sla_editors.py):
store reads and writes, input problems, audit field lists, pickers, messages across a rerun."""

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from console import services
from console.admin_input import AdminInputError
from console.i18n import t

R = TypeVar("R")
NEW = "__new__"


def read_with(sessions: sessionmaker[Session], fn: Callable[..., R], *args: Any) -> R:
    with sessions() as session:
        return fn(session, *args)


def write_with(sessions: sessionmaker[Session], fn: Callable[..., R], *args: Any) -> R:
    with sessions.begin() as session:
        return fn(session, *args)


def show_problems(exc: AdminInputError) -> None:
    st.error(t("adm_problems"))
    st.code("\n".join(exc.problems), language=None)  # a code block shows the text as text


def changed_fields(old: BaseModel | None, new: BaseModel) -> str:
    """Which fields an edit changed, for the audit log (values may be personal: names only)."""
    if old is None:
        return "created"
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    return ",".join(sorted(k for k in after if before.get(k) != after.get(k)))


# format_func also runs outside the script run (AppTest), so it must not call t(): plain text.
def new_or_id(value: str) -> str:
    return "+ new / 新建" if value == NEW else value


def or_none(value: str) -> str:
    return value or "-"


def or_any(value: str) -> str:
    return value or "*"


def pick(title: str, ids: list[str], key: str) -> str:
    return str(st.selectbox(title, [NEW, *ids], format_func=new_or_id, key=key))


def refresh_directory() -> None:
    services.directory.clear()


def flash(form: str, kind: str, text: str) -> None:
    """Keep a message for the rerun that follows a save (so the tables above show the change)."""
    st.session_state.setdefault(f"_flash_{form}", []).append((kind, text))


def show_flash(form: str) -> None:
    for kind, text in st.session_state.pop(f"_flash_{form}", []):
        {"success": st.success, "info": st.info, "warning": st.warning}[kind](text)
