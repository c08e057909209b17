"""Derive each ticket's report figures from its row, timeline events, messages and CSAT answers.

Definitions (docs/reports.md has the full list): durations are wall-clock seconds between the
recorded timestamps; a node is *reached* when a `status` event entered it (pending_assignment and
the resolution clock: every ticket); a node is *breached* when an `sla_breach` event names a
clock of that node (store/reports/nodes.py).
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.reports.editdistance import post_edit_distance
from store.reports.nodes import ALWAYS_REACHED, NODES, TARGET_NODE
from store.tables import CsatResponseRow, MessageRow, TicketRow, TimelineEventRow

FACT_EVENT_KINDS = ("assigned", "status", "sla_breach")


def utc(at: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything the workflow writes is UTC.
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def seconds(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    span = (utc(end) - utc(start)).total_seconds()
    return span if span >= 0 else None


class _Inputs:
    """Everything the facts of one batch of tickets need, loaded with one query per table."""

    def __init__(self, session: Session, ids: Sequence[str]) -> None:
        self.tickets = list(session.scalars(select(TicketRow).where(TicketRow.ticket_id.in_(ids))))
        self.events: dict[str, list[TimelineEventRow]] = defaultdict(list)
        for e in session.scalars(select(TimelineEventRow).where(
                TimelineEventRow.ticket_id.in_(ids), TimelineEventRow.kind.in_(FACT_EVENT_KINDS))):
            self.events[e.ticket_id].append(e)
        self.messages: dict[str, list[MessageRow]] = defaultdict(list)
        for m in session.scalars(select(MessageRow).where(MessageRow.ticket_id.in_(ids))):
            self.messages[m.ticket_id].append(m)
        self.csat: dict[str, list[int]] = defaultdict(list)
        for tid, score in session.execute(select(CsatResponseRow.ticket_id, CsatResponseRow.score)
                                          .where(CsatResponseRow.ticket_id.in_(ids))):
            self.csat[tid].append(int(score))
        self.previous = self._previous_same_topic(session)

    def _previous_same_topic(self, session: Session) -> dict[str, datetime]:
        """ticket_id -> created_at of the same customer's latest earlier ticket in the same domain."""
        emails = {t.customer_email for t in self.tickets if t.customer_email}
        if not emails:
            return {}
        history: dict[tuple[str, str], list[datetime]] = defaultdict(list)
        for email, domain, created in session.execute(
                select(TicketRow.customer_email, TicketRow.domain, TicketRow.created_at)
                .where(TicketRow.customer_email.in_(emails))):
            history[(email, domain)].append(utc(created))
        found: dict[str, datetime] = {}
        for t in self.tickets:
            earlier = [c for c in history.get((t.customer_email, t.domain), []) if c < utc(t.created_at)]
            if t.customer_email and earlier:
                found[t.ticket_id] = max(earlier)
        return found


def ticket_fact(t: TicketRow, inp: _Inputs, now: datetime) -> dict[str, Any]:
    events = inp.events.get(t.ticket_id, [])
    assigned_at = min((e.at for e in events if e.kind == "assigned"), default=None)
    entered = {str(e.data.get("to")) for e in events if e.kind == "status"}
    breaches = [e for e in events if e.kind == "sla_breach"]
    breached_nodes = {TARGET_NODE.get(str(e.data.get("target")), "") for e in breaches}
    messages = [m for m in inp.messages.get(t.ticket_id, []) if m.direction in ("inbound", "outbound")]
    edits = [post_edit_distance(m.machine_text, m.translated_text or "") for m in messages
             if m.direction == "outbound" and m.machine_text is not None]
    concepts = sorted({str(term.get("target", "")) for m in messages if m.direction == "inbound"
                       for term in (m.applied_terms or []) if isinstance(term, dict) and term.get("target")})
    previous = inp.previous.get(t.ticket_id)
    scores = inp.csat.get(t.ticket_id, [])
    created = utc(t.created_at)
    fact: dict[str, Any] = {
        "ticket_id": t.ticket_id,
        "day": created.date(),
        "created_at": created,
        "language": t.language,
        "team": t.team or "",
        "channel": t.channel,
        "agent": t.assignee or "",
        "domain": t.domain,
        "industry": t.industry or "",
        "resolved": t.resolved_at is not None,
        "handling_s": seconds(assigned_at, t.resolved_at),
        "first_response_s": seconds(t.created_at, t.first_response_at),
        "resolution_s": seconds(t.created_at, t.resolved_at),
        "reopened": t.reopen_count > 0,
        "assigned": t.assignment_count > 0,
        "reassigned": bool(t.reassigned),
        "repeat_gap_s": seconds(previous, created) if previous is not None else None,
        "messages": len(messages),
        "machine_translated": sum(1 for m in messages if m.translation_state == "translated"),
        "post_edits": len(edits),
        "post_edit_sum": sum(edits),
        "breached_any": int(bool(breached_nodes - {""})),
        "csat_sum": sum(scores),
        "csat_count": len(scores),
        "concepts": concepts,
        "computed_at": now,
    }
    for node in NODES:
        fact[f"reached_{node}"] = int(node in ALWAYS_REACHED or node in entered or node in breached_nodes)
        fact[f"breach_{node}"] = int(node in breached_nodes)
    return fact


def ticket_facts(session: Session, ids: Sequence[str], now: datetime) -> list[dict[str, Any]]:
    inp = _Inputs(session, ids)
    return [ticket_fact(t, inp, now) for t in inp.tickets]
