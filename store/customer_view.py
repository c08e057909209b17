"""What a customer may see of one ticket, read from the SQL projection.

Only: the status node, the public timeline events (`public` is True) as kinds the page
translates (never the internal English summaries, which can name agents), the customer's own
messages in their original text, and replies that were actually sent, in the customer's
language. Internal notes, unsent drafts, other tickets and, unless configured, agent names stay
out. Every query is keyed by the one ticket id the caller was authorised for.
"""

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.tables import AgentRow, MessageRow, TicketRow, TimelineEventRow

PUBLIC_EVENT_KINDS = frozenset({"created", "status", "customer_message", "reply_sent"})


class PublicEvent(BaseModel):
    at: datetime
    kind: str  # created | status | customer_message | reply_sent | other
    status: str | None = None  # for kind "status": the status entered
    actor: str | None = None  # agent display name, only when configured


class PublicMessage(BaseModel):
    seq: int
    at: datetime | None = None
    from_customer: bool
    text: str
    author: str | None = None  # agent display name, only when configured


class CustomerTicketView(BaseModel):
    ticket_id: str
    status: str
    language: str
    subject: str
    created_at: datetime
    updated_at: datetime
    events: list[PublicEvent] = Field(default_factory=list)
    messages: list[PublicMessage] = Field(default_factory=list)


def _agent_names(session: Session, agent_ids: set[str]) -> dict[str, str]:
    if not agent_ids:
        return {}
    rows = session.execute(select(AgentRow.agent_id, AgentRow.name).where(AgentRow.agent_id.in_(agent_ids)))
    return {str(agent_id): str(name) for agent_id, name in rows if name}


def load_customer_view(
    session: Session, ticket_id: str, show_agent_names: bool = False
) -> CustomerTicketView | None:
    ticket = session.get(TicketRow, ticket_id)
    if ticket is None:
        return None
    message_rows = list(
        session.scalars(
            select(MessageRow)
            .where(MessageRow.ticket_id == ticket_id, MessageRow.direction.in_(["inbound", "outbound"]))
            .order_by(MessageRow.seq)
        )
    )
    event_rows = list(
        session.scalars(
            select(TimelineEventRow)
            .where(TimelineEventRow.ticket_id == ticket_id, TimelineEventRow.public.is_(True))
            .order_by(TimelineEventRow.seq)
        )
    )
    names: dict[str, str] = {}
    if show_agent_names:
        ids = {m.author for m in message_rows if m.direction == "outbound" and m.author}
        ids |= {e.actor for e in event_rows if e.kind == "reply_sent" and e.actor}
        names = _agent_names(session, ids)

    messages: list[PublicMessage] = []
    for m in message_rows:
        if m.direction == "inbound":
            messages.append(
                PublicMessage(seq=m.seq, at=m.created_at, from_customer=True, text=m.original_text)
            )
        elif m.delivery == "sent" and m.translated_text:
            # The reply as the customer received it, in their language (not the agent's draft).
            messages.append(
                PublicMessage(
                    seq=m.seq,
                    at=m.created_at,
                    from_customer=False,
                    text=m.translated_text,
                    author=names.get(m.author),
                )
            )
    events: list[PublicEvent] = []
    for e in event_rows:
        kind = e.kind if e.kind in PUBLIC_EVENT_KINDS else "other"
        status = str(e.data.get("to")) if kind == "status" and e.data.get("to") else None
        actor = names.get(e.actor) if kind == "reply_sent" else None
        events.append(PublicEvent(at=e.at, kind=kind, status=status, actor=actor))
    return CustomerTicketView(
        ticket_id=ticket.ticket_id,
        status=ticket.status,
        language=ticket.language,
        subject=ticket.subject,
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        events=events,
        messages=messages,
    )


def ticket_matches_email(session: Session, ticket_id: str, email: str) -> bool:
    """Whether `email` is the customer address of the ticket (case-insensitive)."""
    email = email.strip().lower()
    if not email or not ticket_id.strip():
        return False
    found = session.execute(
        select(TicketRow.ticket_id).where(
            TicketRow.ticket_id == ticket_id.strip(), func.lower(TicketRow.customer_email) == email
        )
    ).first()
    return found is not None
