"""GDPR/PIPL in the SQL store: everything about one customer (by e-mail), its erasure, and the record.

A customer's data is every row of a table with a `ticket_id` column for the customer's tickets
(tables added later are covered without changes here), the collaboration events of those tickets'
tasks, the inbound e-mails they sent (also those that never became a ticket), and the files those
rows point at. Audit entries are kept (they prove who did what) but their free-text detail is
cleared on erasure. The erasure record names the customer only by the SHA-256 of the e-mail.
"""

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import FromClause, Table, delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from store.tables import (
    AuditLogRow,
    Base,
    CollaborationEventRow,
    CollaborationTaskRow,
    ErasureRecordRow,
    InboundEmailRow,
    MessageRow,
    OutboundRow,
    TicketRow,
)

# Kept on erasure (rows scrubbed, not deleted), and never part of the per-ticket sweep.
_KEPT_TABLES = {AuditLogRow.__tablename__}


class UnknownCustomer(LookupError):
    """No ticket, e-mail or earlier erasure for this address."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def email_sha256(email: str) -> str:
    return hashlib.sha256(normalize_email(email).encode("utf-8")).hexdigest()


class CustomerFootprint(BaseModel):
    """What the store holds about one customer: enough to export it or erase it."""

    email: str
    ticket_ids: list[str] = Field(default_factory=list)
    collaboration_task_ids: list[str] = Field(default_factory=list)
    inbound_message_ids: list[str] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)  # raw mails and attachments on disk

    @property
    def empty(self) -> bool:
        return not (self.ticket_ids or self.inbound_message_ids)


class ErasureRecord(BaseModel):
    erasure_id: int
    email_sha256: str
    erased_at: datetime
    erased_by: str
    tickets: int
    rows_deleted: int
    files_deleted: int
    workflows_deleted: int
    detail: dict[str, Any] = Field(default_factory=dict)


def _ticket_tables() -> list[Table]:
    # Children before parents, so foreign keys hold on databases that enforce them.
    return [
        t for t in reversed(Base.metadata.sorted_tables) if "ticket_id" in t.c and t.name not in _KEPT_TABLES
    ]


def _affected(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _rows(session: Session, table: FromClause, where: Any) -> list[dict[str, Any]]:
    return [
        {k: _jsonable(v) for k, v in row._mapping.items()}
        for row in session.execute(table.select().where(where))
    ]


def find_customer(session: Session, email: str) -> CustomerFootprint:
    address = normalize_email(email)
    ticket_ids = list(
        session.scalars(
            select(TicketRow.ticket_id)
            .where(func.lower(TicketRow.customer_email) == address)
            .order_by(TicketRow.ticket_id)
        )
    )
    inbound = session.execute(
        select(InboundEmailRow.message_id, InboundEmailRow.raw_path).where(
            (func.lower(InboundEmailRow.sender) == address) | InboundEmailRow.ticket_id.in_(ticket_ids)
        )
    ).all()
    tasks = session.execute(
        select(CollaborationTaskRow.task_id, CollaborationTaskRow.attachments).where(
            CollaborationTaskRow.ticket_id.in_(ticket_ids)
        )
    ).all()
    files = {raw_path for _, raw_path in inbound if raw_path}
    for _, attachments in tasks:
        files.update(a["storage_path"] for a in attachments or [] if a.get("storage_path"))
    return CustomerFootprint(
        email=address,
        ticket_ids=ticket_ids,
        collaboration_task_ids=sorted(t for t, _ in tasks),
        inbound_message_ids=sorted(m for m, _ in inbound),
        files=sorted(files),
    )


def export_rows(session: Session, footprint: CustomerFootprint) -> dict[str, list[dict[str, Any]]]:
    """Every row about the customer, by table name (audit entries about the tickets included)."""
    ids = footprint.ticket_ids
    out: dict[str, list[dict[str, Any]]] = {}
    for table in [*reversed(_ticket_tables()), AuditLogRow.__table__]:
        assert isinstance(table, Table)
        out[table.name] = _rows(session, table, table.c.ticket_id.in_(ids)) if ids else []
    out[CollaborationEventRow.__tablename__] = _rows(
        session,
        CollaborationEventRow.__table__,
        CollaborationEventRow.task_id.in_(footprint.collaboration_task_ids),
    )
    out[InboundEmailRow.__tablename__] = _rows(
        session,
        InboundEmailRow.__table__,
        InboundEmailRow.message_id.in_(footprint.inbound_message_ids),
    )
    outbound = {(r["ticket_id"], r["seq"]) for r in out.get(OutboundRow.__tablename__, [])}
    # Replies to this address on other channels' tickets (rare) are the customer's data too.
    for row in _rows(session, OutboundRow.__table__, func.lower(OutboundRow.recipient) == footprint.email):
        if (row["ticket_id"], row["seq"]) not in outbound:
            out[OutboundRow.__tablename__].append(row)
    return out


def message_texts(session: Session, ticket_ids: list[str]) -> list[str]:
    """The customer's message texts in both languages (to purge derived copies: the translation memory)."""
    if not ticket_ids:
        return []
    rows = session.execute(
        select(MessageRow.original_text, MessageRow.translated_text).where(
            MessageRow.ticket_id.in_(ticket_ids)
        )
    )
    return [text for pair in rows for text in pair if text]


def erase_rows(
    sessions: sessionmaker[Session],
    footprint: CustomerFootprint,
    erased_by: str,
    files_deleted: int,
    workflows_deleted: int,
    detail: dict[str, Any],
    now: datetime | None = None,
) -> ErasureRecord:
    """Delete the customer's rows, scrub audit detail, and write the erasure record, in one transaction."""
    ids = footprint.ticket_ids
    counts: dict[str, int] = {}
    with sessions.begin() as session:
        if footprint.collaboration_task_ids:
            counts["collaboration_events"] = _affected(
                session.execute(
                    delete(CollaborationEventRow).where(
                        CollaborationEventRow.task_id.in_(footprint.collaboration_task_ids)
                    )
                )
            )
        if footprint.inbound_message_ids:
            counts["inbound_emails"] = _affected(
                session.execute(
                    delete(InboundEmailRow).where(
                        InboundEmailRow.message_id.in_(footprint.inbound_message_ids)
                    )
                )
            )
        counts["outbound_messages"] = _affected(
            session.execute(delete(OutboundRow).where(func.lower(OutboundRow.recipient) == footprint.email))
        )
        for table in _ticket_tables() if ids else []:
            counts[table.name] = counts.get(table.name, 0) + _affected(
                session.execute(delete(table).where(table.c.ticket_id.in_(ids)))
            )
        if ids:
            counts["audit_log (detail cleared)"] = _affected(
                session.execute(
                    update(AuditLogRow).where(AuditLogRow.ticket_id.in_(ids)).values(detail={"erased": True})
                )
            )
        deleted = sum(v for k, v in counts.items() if not k.startswith("audit_log"))
        row = ErasureRecordRow(
            email_sha256=email_sha256(footprint.email),
            erased_at=now or datetime.now(UTC),
            erased_by=erased_by,
            tickets=len(ids),
            rows_deleted=deleted,
            files_deleted=files_deleted,
            workflows_deleted=workflows_deleted,
            detail={**detail, "rows": {k: v for k, v in counts.items() if v}},
        )
        session.add(row)
        session.flush()
        return _record(row)


def _record(row: ErasureRecordRow) -> ErasureRecord:
    return ErasureRecord(
        erasure_id=row.erasure_id,
        email_sha256=row.email_sha256,
        erased_at=row.erased_at,
        erased_by=row.erased_by,
        tickets=row.tickets,
        rows_deleted=row.rows_deleted,
        files_deleted=row.files_deleted,
        workflows_deleted=row.workflows_deleted,
        detail=row.detail or {},
    )


def erasure_records(session: Session, email: str) -> list[ErasureRecord]:
    stmt = select(ErasureRecordRow).where(ErasureRecordRow.email_sha256 == email_sha256(email))
    return [_record(r) for r in session.scalars(stmt.order_by(ErasureRecordRow.erasure_id))]


def delete_files(paths: list[str], allowed_roots: list[Path]) -> int:
    """Delete the customer's files; only under the configured storage roots (never follow a crafted path)."""
    roots = [r.resolve() for r in allowed_roots]
    deleted = 0
    for raw in paths:
        path = Path(raw).resolve()
        if not any(path.is_relative_to(root) for root in roots):
            continue
        if path.is_file():
            path.unlink()
            deleted += 1
    return deleted
