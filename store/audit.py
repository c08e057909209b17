"""Append-only audit trail: every console action and every view of a ticket's customer data."""

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.tables import AuditLogRow


class AuditEntry(BaseModel):
    audit_id: int
    at: datetime
    actor: str
    role: str = ""
    action: str
    ticket_id: str | None = None
    outcome: str = "ok"
    detail: dict[str, Any] = Field(default_factory=dict)


def record(
    sessions: sessionmaker[Session],
    actor: str,
    role: str,
    action: str,
    ticket_id: str | None = None,
    outcome: str = "ok",
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    # Detail values are stringified: free text from forms must not break the JSON column.
    clean = {
        k: (v if isinstance(v, int | float | bool) or v is None else str(v))
        for k, v in (detail or {}).items()
    }
    with sessions.begin() as session:
        session.add(
            AuditLogRow(
                at=at or datetime.now(UTC),
                actor=actor,
                role=role,
                action=action,
                ticket_id=ticket_id,
                outcome=outcome,
                detail=clean,
            )
        )


def recent(
    sessions: sessionmaker[Session], limit: int = 200, ticket_id: str | None = None, actor: str | None = None
) -> list[AuditEntry]:
    stmt = select(AuditLogRow).order_by(AuditLogRow.at.desc(), AuditLogRow.audit_id.desc()).limit(limit)
    if ticket_id:
        stmt = stmt.where(AuditLogRow.ticket_id == ticket_id)
    if actor:
        stmt = stmt.where(AuditLogRow.actor == actor)
    with sessions() as session:
        return [
            AuditEntry(
                audit_id=r.audit_id,
                at=r.at,
                actor=r.actor,
                role=r.role,
                action=r.action,
                ticket_id=r.ticket_id,
                outcome=r.outcome,
                detail=r.detail or {},
            )
            for r in session.scalars(stmt)
        ]
