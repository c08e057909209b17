"""Helpers for the admin edit tests: open the admin page, fill a form, save it."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from store.db import make_engine, make_session_factory
from store.tables import AuditLogRow
from tests.console.conftest import no_exceptions, on_page, signed_in


def admin_page(url: str) -> AppTest:
    return on_page(signed_in(url, "admin"), "admin")


def store(url: str) -> sessionmaker[Session]:
    return make_session_factory(make_engine(url))


def pick(at: AppTest, key: str, value: str) -> AppTest:
    at.selectbox(key=key).set_value(value).run()
    no_exceptions(at)
    return at


def fill(at: AppTest, fields: dict[str, Any]) -> None:
    """Set widgets by key: text inputs and areas, number inputs, selectboxes and checkboxes."""
    for key, value in fields.items():
        for kind in ("text_input", "text_area", "number_input", "selectbox", "checkbox"):
            found = [w for w in getattr(at, kind) if w.key == key]
            if found:
                found[0].set_value(value)
                break
        else:
            raise AssertionError(f"no widget {key}")


def save(at: AppTest, form: str) -> AppTest:
    next(b for b in at.button if b.label == "Save" and form in str(b.form_id)).click().run()
    no_exceptions(at)
    return at


def audit_rows(url: str, action: str) -> list[AuditLogRow]:
    with store(url)() as session:
        return list(session.scalars(select(AuditLogRow).where(AuditLogRow.action == action)))


def errors(at: AppTest) -> str:
    return "\n".join([e.value for e in at.error] + [c.value for c in at.code])
