"""CSAT answers in SQL (`csat_responses`, one row per ticket and resolution round)."""

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.csat import RecordCsatRequest
from store.tables import CsatResponseRow, TicketRow
from store.upsert import upsert


class CsatOffer(BaseModel):
    """What the status page needs to offer (or not) the survey of a resolved ticket."""

    ticket_id: str
    round: int
    closed_at: datetime
    rated: bool
    language: str = ""


class CsatResponseView(BaseModel):
    ticket_id: str
    resolution_round: int
    score: int
    comment: str
    comment_language: str
    comment_translated: str | None
    language: str
    agent_id: str | None
    team: str | None
    submitted_at: datetime


def record_response(session: Session, req: RecordCsatRequest) -> None:
    """Idempotent on (ticket_id, resolution_round): a retried activity writes one row."""
    upsert(
        session,
        CsatResponseRow.__table__,  # type: ignore[arg-type]
        [
            {
                "ticket_id": req.ticket_id,
                "resolution_round": req.round,
                "score": req.score,
                "comment": req.comment,
                "comment_language": req.comment_language,
                "comment_translated": req.comment_translated,
                "language": req.language,
                "agent_id": req.agent_id,
                "team": req.team,
                "submitted_at": req.submitted_at,
            }
        ],
        ["ticket_id", "resolution_round"],
        do_nothing=True,
    )


def responses(session: Session, ticket_id: str) -> list[CsatResponseView]:
    rows = session.scalars(
        select(CsatResponseRow)
        .where(CsatResponseRow.ticket_id == ticket_id)
        .order_by(CsatResponseRow.resolution_round)
    )
    return [
        CsatResponseView.model_validate(
            {c: getattr(r, c) for c in CsatResponseView.model_fields}, from_attributes=False
        )
        for r in rows
    ]


def survey_offer(session: Session, ticket_id: str) -> CsatOffer | None:
    """The current round of a resolved ticket, and whether it was rated; None when not resolved."""
    ticket = session.get(TicketRow, ticket_id)
    if ticket is None or ticket.status != "closed" or ticket.closed_at is None:
        return None
    rated = session.scalar(
        select(CsatResponseRow.id).where(
            CsatResponseRow.ticket_id == ticket_id, CsatResponseRow.resolution_round == ticket.reopen_count
        )
    )
    closed_at = ticket.closed_at if ticket.closed_at.tzinfo else ticket.closed_at.replace(tzinfo=UTC)
    return CsatOffer(
        ticket_id=ticket_id,
        round=ticket.reopen_count,
        closed_at=closed_at,
        rated=rated is not None,
        language=ticket.language,
    )
