"""A small store with known report figures: six tickets in three languages (see HAND-COMPUTED below).

Rows go straight into the projection tables, as `store/projection.py` would write them.

HAND-COMPUTED (T0 = 2026-03-02 08:00 UTC; durations in seconds):
ticket lang team channel agent domain   industry    created    assigned resp   resolved reopen reassigned
t1     en   eu   email   amy   orders   electronics T0         +10m     +30m   +2h      0      no
t2     en   eu   email   amy   orders   electronics T0+1d      +20m     +1h    +5h      1      no
t3     de   eu   web     ben   returns  apparel     T0+2h      +1h      +2h    +4h      1      yes
t4     de   asia email   chen  returns  -           T0+3h      +30m     -      -        0      no
t5     th   -    api     -     returns  apparel     T0+1d+1h   -        -      -        0      no
t6     en   asia email   chen  orders   -           T0+10d     +5m      +15m   +1h      0      no
Customers: t1, t2, t6 are a@x.com (orders): t2 repeats t1 after 1 day, t6 repeats t2 after 9 days.
SLA breaches: t2 first_reply (processing); t3 assign + resolution; t4 collaboration; t5 assign.
Status events: t1, t2, t6 -> processing; t3, t4 -> processing, pending_collaboration.
CSAT: t1 5; t2 3; t3 4 and 2 (two rounds).
Messages (inbound/outbound; notes do not count): t1 2 both MT; t2 2, 1 MT + 1 edited reply
("Your order has shipped" -> "Your order was shipped": 1 edit / 22 chars); t3 2, 1 MT + 1 edited
reply ("abcd" -> "abxy": 2/4) + 1 note; t4 1 MT; t5 1 MT; t6 1 needing no translation.
Glossary concepts (internal-language terms in inbound messages): t1, t2, t6 订单; t3, t4, t5 退货.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from store.tables import CsatResponseRow, MessageRow, TicketRow, TimelineEventRow

A = "a@x.com"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
M = timedelta(minutes=1)
H = timedelta(hours=1)
D = timedelta(days=1)

# id: (lang, team, channel, agent, domain, industry, email, created, assigned, responded, resolved,
#      reopen_count, reassigned)
TICKETS: dict[str, tuple[Any, ...]] = {
    "t1": ("en", "eu", "email", "amy", "orders", "electronics", A, T0, 10 * M, 30 * M, 2 * H, 0, False),
    "t2": ("en", "eu", "email", "amy", "orders", "electronics", A, T0 + D, 20 * M, H, 5 * H, 1, False),
    "t3": ("de", "eu", "web", "ben", "returns", "apparel", "b@x.com", T0 + 2 * H, H, 2 * H, 4 * H, 1, True),
    "t4": ("de", "asia", "email", "chen", "returns", None, "c@x.com", T0 + 3*H, 30 * M, None, None, 0, False),
    "t5": ("th", None, "api", None, "returns", "apparel", "d@x.com", T0 + D + H, None, None, None, 0, False),
    "t6": ("en", "asia", "email", "chen", "orders", None, "a@x.com", T0 + 10 * D, 5 * M, 15 * M, H, 0, False),
}
BREACHES = {"t2": ["first_reply"], "t3": ["assign", "resolution"], "t4": ["collaboration"], "t5": ["assign"]}
ENTERED = {"t1": ["processing"], "t2": ["processing"], "t6": ["processing"],
           "t3": ["processing", "pending_collaboration"], "t4": ["processing", "pending_collaboration"]}
CSAT = {"t1": [5], "t2": [3], "t3": [4, 2]}
CONCEPT = {"t1": "订单", "t2": "订单", "t6": "订单", "t3": "退货", "t4": "退货", "t5": "退货"}
EDITED = {"t2": ("Your order has shipped", "Your order was shipped"), "t3": ("abcd", "abxy")}
MT_REPLY = {"t1"}  # outbound replies machine-translated at send time


def ticket_row(tid: str, updated: datetime | None = None) -> TicketRow:
    lang, team, channel, agent, domain, industry, email, created, _, responded, resolved, reopen, re = (
        TICKETS[tid])
    return TicketRow(
        ticket_id=tid, status="closed" if resolved else ("processing" if agent else "pending_assignment"),
        channel=channel, customer_email=email, language=lang, domain=domain, industry=industry,
        assignee=agent, team=team, assignment_count=(2 if re else 1) if agent else 0, reassigned=re,
        sla_breached=tid in BREACHES, created_at=created, updated_at=updated or created + 6 * H,
        first_response_at=created + responded if responded else None,
        resolved_at=created + resolved if resolved else None, reopen_count=reopen,
    )


def ticket_children(tid: str) -> list[Any]:
    created = TICKETS[tid][7]
    assigned = TICKETS[tid][8]
    rows: list[Any] = []
    seq = 0

    def event(kind: str, at: datetime, data: dict[str, Any]) -> None:
        nonlocal seq
        seq += 1
        rows.append(TimelineEventRow(ticket_id=tid, seq=seq, at=at, kind=kind, summary=kind, data=data))

    event("created", created, {})
    if assigned is not None:
        event("assigned", created + assigned, {"agent": TICKETS[tid][3]})
    for node in ENTERED.get(tid, []):
        event("status", created + (assigned or H), {"from": "pending_assignment", "to": node})
    for target in BREACHES.get(tid, []):
        event("sla_breach", created + 3 * H, {"target": target})
    term = [{"source": "x", "target": CONCEPT[tid], "concept_domain": TICKETS[tid][4], "present": True}]
    inbound_state = "not_needed" if tid == "t6" else "translated"
    rows.append(_message(tid, 100, "inbound", inbound_state, "msg", terms=term))
    if tid in MT_REPLY:
        rows.append(_message(tid, 101, "outbound", "translated", "reply"))
    if tid in EDITED:
        machine, sent = EDITED[tid]
        rows.append(_message(tid, 101, "outbound", "not_needed", sent, machine=machine))
    if tid == "t3":
        rows.append(_message(tid, 102, "note", "not_needed", "internal note"))
    for round_, score in enumerate(CSAT.get(tid, [])):
        rows.append(CsatResponseRow(ticket_id=tid, resolution_round=round_, score=score,
                                    language=TICKETS[tid][0], agent_id=TICKETS[tid][3], team=TICKETS[tid][1],
                                    submitted_at=created + 6 * H + round_ * H))
    return rows


def _message(tid: str, seq: int, direction: str, state: str, text: str, terms: list[Any] | None = None,
             machine: str | None = None) -> MessageRow:
    return MessageRow(ticket_id=tid, seq=seq, direction=direction, original_text=text, translated_text=text,
                      translation_state=state, applied_terms=terms or [], machine_text=machine,
                      created_at=TICKETS[tid][7])


def seed(session: Session, only: list[str] | None = None) -> None:
    for tid in only or list(TICKETS):
        session.add(ticket_row(tid))
        session.flush()
        session.add_all(ticket_children(tid))
    session.flush()
