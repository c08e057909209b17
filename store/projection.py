"""Idempotent projection of workflow state into SQL (retries and replays never duplicate rows)."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from domain.store_io import NotifyRequest, RecordTicketRequest
from domain.ticket import TicketMessage, TicketState, TimelineEvent
from store.tables import MessageRow, NotificationRow, TicketRow, TimelineEventRow
from store.upsert import upsert


def ticket_values(state: TicketState, version: int) -> dict[str, Any]:
    d, c = state.detection, state.classification
    clocks = {str(k): v.model_dump(mode="json") for k, v in state.sla.clocks.items()}
    deadlines = [v.deadline for v in state.sla.clocks.values() if not v.breached and v.paused_at is None]
    created = state.created_at or state.updated_at
    return {
        "ticket_id": state.ticket_id,
        "status": str(state.status),
        "channel": str(state.channel),
        "customer_email": state.customer.email,
        "customer_name": state.customer.name,
        "customer_country": state.customer.country,
        "customer_tier": str(state.customer.tier),
        "subject": state.subject,
        "subject_translated": state.subject_translated,
        "language": state.language,
        "language_confidence": d.confidence,
        "language_mixed": d.mixed,
        "domain": str(c.domain),
        "domain_confidence": c.confidence,
        "industry": str(c.industry) if c.industry else None,
        "urgency": str(c.urgency),
        "needs_triage": state.needs_triage,
        "priority": str(state.priority),
        "assignee": state.assignee,
        "team": state.team,
        "assignment_count": state.assignment_count,
        "reassigned": state.reassigned,
        "sla_breached": state.sla_breached,
        "escalation_level": state.escalation_level,
        "sla_clocks": clocks,
        "next_deadline": min(deadlines) if deadlines else None,
        "created_at": created,
        "updated_at": state.updated_at or created,
        "first_response_at": state.first_response_at,
        "resolved_at": state.resolved_at,
        "closed_at": state.closed_at,
        "resolution": state.resolution,
        "reopen_count": state.reopen_count,
        "workflow_runs": state.runs,
        "state_version": version,
    }


def message_values(ticket_id: str, m: TicketMessage) -> dict[str, Any]:
    return {
        "ticket_id": ticket_id,
        "seq": m.seq,
        "direction": str(m.direction),
        "author": m.author,
        "original_text": m.original_text,
        "language": m.language,
        "translated_text": m.translated_text,
        "translation_language": m.translation_language,
        "translation_state": str(m.translation_state),
        "engine": m.engine,
        "model_id": m.model_id,
        "glossary_version": m.glossary_version,
        "applied_terms": [t.model_dump(mode="json") for t in m.applied_terms],
        "created_at": m.created_at,
        "external_message_id": m.external_message_id,
        "delivery": str(m.delivery),
        "delivery_detail": m.delivery_detail,
        "template": m.template,
        "machine_text": m.machine_text,
    }


def event_values(ticket_id: str, e: TimelineEvent) -> dict[str, Any]:
    return {"ticket_id": ticket_id, "seq": e.seq, "at": e.at, "kind": e.kind, "actor": e.actor,
            "summary": e.summary, "data": e.data, "public": e.public}


def project_ticket(session: Session, req: RecordTicketRequest) -> None:
    state = req.state
    version = req.version
    table = TicketRow.__table__
    upsert(session, table, [ticket_values(state, version)], ["ticket_id"],  # type: ignore[arg-type]
           update_where=table.c.state_version <= version)
    upsert(session, MessageRow.__table__, [message_values(state.ticket_id, m) for m in req.messages],  # type: ignore[arg-type]
           ["ticket_id", "seq"])
    upsert(session, TimelineEventRow.__table__,  # type: ignore[arg-type]
           [event_values(state.ticket_id, e) for e in req.events], ["ticket_id", "seq"], do_nothing=True)


def record_notification(session: Session, notification_id: str, req: NotifyRequest, now: datetime) -> None:
    upsert(session, NotificationRow.__table__,  # type: ignore[arg-type]
           [{"notification_id": notification_id, "ticket_id": req.ticket_id, "kind": req.kind,
             "recipients": req.recipients, "summary": req.summary, "severity": req.severity,
             "created_at": now, "acknowledged_by": None, "acknowledged_at": None}],
           ["notification_id"], do_nothing=True)
