"""Where language variants live after they leave the catalog: machine drafts and approvals.

`SqlVariantStore` uses the `template_variants` table of the main store (SQLite or PostgreSQL);
`MemoryVariantStore` serves tests and a CLI without a migrated database. One row per
(template, language): approving or editing replaces the text and bumps `revision`.
"""

from typing import Any, Protocol, cast

from sqlalchemy import Table, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from runtime.settings import Settings
from store.tables import TemplateVariantRow
from store.upsert import upsert
from templates.model import VariantRecord

_TABLE = cast(Table, TemplateVariantRow.__table__)  # declarative tables are typed as FromClause
_COLUMNS = [c.name for c in _TABLE.columns]


class VariantStore(Protocol):
    def get(self, template: str, language: str) -> VariantRecord | None: ...

    def list(self, template: str | None = None) -> list[VariantRecord]: ...

    def put(self, record: VariantRecord) -> VariantRecord: ...


class MemoryVariantStore:
    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], VariantRecord] = {}

    def get(self, template: str, language: str) -> VariantRecord | None:
        return self._rows.get((template, language))

    def list(self, template: str | None = None) -> list[VariantRecord]:
        return [r for key, r in sorted(self._rows.items()) if template is None or key[0] == template]

    def put(self, record: VariantRecord) -> VariantRecord:
        self._rows[(record.template, record.language)] = record
        return record


class SqlVariantStore:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def get(self, template: str, language: str) -> VariantRecord | None:
        with self.sessions() as session:
            row = session.get(TemplateVariantRow, (template, language))
            return _record(row) if row is not None else None

    def list(self, template: str | None = None) -> list[VariantRecord]:
        query = select(TemplateVariantRow).order_by(TemplateVariantRow.template, TemplateVariantRow.language)
        if template is not None:
            query = query.where(TemplateVariantRow.template == template)
        with self.sessions() as session:
            return [_record(row) for row in session.scalars(query)]

    def put(self, record: VariantRecord) -> VariantRecord:
        values: dict[str, Any] = {name: getattr(record, name) for name in _COLUMNS}
        values["status"] = str(record.status)
        # Upsert keyed on (template, language): two supervisors saving at once leave one whole row.
        with self.sessions.begin() as session:
            upsert(session, _TABLE, [values], ["template", "language"])
        return record


def _record(row: TemplateVariantRow) -> VariantRecord:
    return VariantRecord.model_validate({name: getattr(row, name) for name in _COLUMNS})


def open_variant_store(settings: Settings) -> SqlVariantStore | None:
    """The SQL store, or None when the database has no `template_variants` table yet.

    The table arrives with the store's migrations (`lingodesk db upgrade`); until then the
    catalog's approved variants still work and drafts are simply not saved.
    """
    from store.db import make_engine, make_session_factory

    engine = make_engine(settings.database_url)
    try:
        if not inspect(engine).has_table(TemplateVariantRow.__tablename__):
            engine.dispose()
            return None
    except Exception:  # an unreachable database: same as no store, the caller says so
        engine.dispose()
        return None
    return SqlVariantStore(make_session_factory(engine))
