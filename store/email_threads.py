"""Queries of the e-mail channel: inbound mail by Message-ID, thread lookup, rejects, IMAP cursors.

Every write is keyed (Message-ID, raw SHA-256, mailbox name), so a mail seen twice — a second
poller, a re-delivery, a crash between steps — finds its first row instead of adding one.
"""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.store_io import NotifyRequest
from store.projection import record_notification
from store.tables import (
    InboundEmailRow,
    MailboxCursorRow,
    MessageRow,
    OutboundRow,
    RejectedEmailRow,
    TicketRow,
)
from store.upsert import upsert


def find_inbound(session: Session, message_id: str) -> InboundEmailRow | None:
    return session.get(InboundEmailRow, message_id)


def claim_inbound(session: Session, values: dict[str, object]) -> InboundEmailRow:
    """Insert the row for a Message-ID unless one exists; returns the row that won."""
    upsert(session, InboundEmailRow.__table__, [values], ["message_id"], do_nothing=True)  # type: ignore[arg-type]
    session.flush()
    row = session.get(InboundEmailRow, str(values["message_id"]), populate_existing=True)
    assert row is not None
    return row


def finish_inbound(
    session: Session,
    message_id: str,
    state: str,
    ticket_id: str | None,
    action: str,
    detail: str | None = None,
) -> None:
    row = session.get(InboundEmailRow, message_id)
    if row is None:
        return
    row.state = state
    row.ticket_id = ticket_id
    row.action = action
    if detail is not None:
        row.detail = detail
    row.processed_at = datetime.now(UTC)


def ticket_for_message_ids(session: Session, message_ids: list[str]) -> str | None:
    """The ticket one of these Message-IDs belongs to, trying them in the order given."""
    if not message_ids:
        return None
    lookups = [
        select(InboundEmailRow.message_id, InboundEmailRow.ticket_id).where(
            InboundEmailRow.message_id.in_(message_ids), InboundEmailRow.ticket_id.is_not(None)
        ),
        select(OutboundRow.message_id, OutboundRow.ticket_id).where(OutboundRow.message_id.in_(message_ids)),
        select(MessageRow.external_message_id, MessageRow.ticket_id).where(
            MessageRow.external_message_id.in_(message_ids)
        ),
    ]
    found: dict[str, str] = {}
    for stmt in lookups:
        for message_id, ticket_id in session.execute(stmt):
            if message_id and ticket_id:
                found.setdefault(str(message_id), str(ticket_id))
    return next((found[m] for m in message_ids if m in found), None)


def ticket_known(session: Session, ticket_id: str) -> bool:
    """Whether Lingodesk knows this ticket (projected, or started from a mail not yet projected)."""
    if session.get(TicketRow, ticket_id) is not None:
        return True
    return (
        session.execute(
            select(InboundEmailRow.message_id).where(InboundEmailRow.ticket_id == ticket_id).limit(1)
        ).first()
        is not None
    )


def record_rejected(
    session: Session,
    raw_sha256: str,
    mailbox: str,
    message_id: str | None,
    reason: str,
    raw_path: str,
    size: int,
) -> None:
    upsert(
        session,
        RejectedEmailRow.__table__,  # type: ignore[arg-type]
        [
            {
                "raw_sha256": raw_sha256,
                "mailbox": mailbox,
                "message_id": message_id,
                "reason": reason,
                "raw_path": raw_path,
                "size": size,
                "created_at": datetime.now(UTC),
            }
        ],
        ["raw_sha256"],
        do_nothing=True,
    )


def rejected(session: Session, limit: int = 100) -> list[RejectedEmailRow]:
    stmt = select(RejectedEmailRow).order_by(RejectedEmailRow.created_at.desc()).limit(limit)
    return list(session.scalars(stmt))


def alert_bounce(session: Session, bounce_message_id: str, ticket_id: str, summary: str) -> None:
    """A reply to this ticket bounced: an alert for the assignee (or supervisors) in the console."""
    ticket = session.get(TicketRow, ticket_id)
    recipients = [ticket.assignee] if ticket is not None and ticket.assignee else ["supervisor"]
    req = NotifyRequest(
        ticket_id=ticket_id,
        kind="delivery_failed",
        recipients=recipients,
        summary=summary,
        severity="warning",
    )
    record_notification(session, f"bounce:{bounce_message_id}"[:256], req, datetime.now(UTC))


def get_cursor(session: Session, mailbox: str) -> tuple[int, int]:
    """(uidvalidity, last_uid) of a mailbox; (0, 0) when it was never polled."""
    row = session.get(MailboxCursorRow, mailbox)
    return (row.uidvalidity, row.last_uid) if row is not None else (0, 0)


def set_cursor(session: Session, mailbox: str, uidvalidity: int, last_uid: int) -> None:
    upsert(
        session,
        MailboxCursorRow.__table__,  # type: ignore[arg-type]
        [
            {
                "mailbox": mailbox,
                "uidvalidity": uidvalidity,
                "last_uid": last_uid,
                "updated_at": datetime.now(UTC),
            }
        ],
        ["mailbox"],
    )
