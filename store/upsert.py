"""A portable INSERT ... ON CONFLICT for SQLite and PostgreSQL."""

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import NamedFromClause


@functools.cache
def _excluded(table: Table) -> NamedFromClause:
    # What `stmt.excluded` builds, once per table: that property makes a fresh alias (a proxy for
    # every column) on each statement, the largest cost left in a projection write.
    return table.alias("excluded")


def upsert(session: Session, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str],
           update_where: ColumnElement[bool] | None = None, do_nothing: bool = False,
           update_with: dict[str, ColumnElement[Any]] | None = None) -> None:
    """Insert rows, updating every non-key column on conflict (or leaving the row, `do_nothing`).

    `update_with`: expressions for some columns on conflict instead of the new value (a counter's
    `column + 1`)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert_fn: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # The rows go as execute parameters, not `.values(rows)`: values baked into the statement made
    # every call a new statement for SQLAlchemy's compiled cache, and compiling the 40-column
    # ticket upsert cost ~1 ms of CPU per projection write (bench/pipeline_bench.py).
    stmt = insert_fn(table)
    if do_nothing:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
    else:
        excluded = _excluded(table)
        updates: dict[str, Any] = {c: excluded.c[c] for c in rows[0] if c not in keys}
        updates.update(update_with or {})
        stmt = stmt.on_conflict_do_update(index_elements=list(keys), set_=updates, where=update_where)
    session.execute(stmt, rows[0] if len(rows) == 1 else list(rows))
