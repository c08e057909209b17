"""A portable INSERT ... ON CONFLICT for SQLite and PostgreSQL."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def upsert(session: Session, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str],
           update_where: ColumnElement[bool] | None = None, do_nothing: bool = False) -> None:
    """Insert rows, updating every non-key column on conflict (or leaving the row, `do_nothing`)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert_fn: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert_fn(table).values(list(rows))
    if do_nothing:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
    else:
        updates = {c: stmt.excluded[c] for c in rows[0] if c not in keys}
        stmt = stmt.on_conflict_do_update(index_elements=list(keys), set_=updates, where=update_where)
    session.execute(stmt)
