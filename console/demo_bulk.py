"""Many plain ticket rows, fast, for the 100,000-ticket pagination test (header rows only)."""

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from domain.nlp import RequestDomain
from domain.status import TicketStatus
from domain.ticket import TicketState
from store.projection import ticket_values
from store.tables import TicketRow

LANGS = ["de", "fr", "es", "th", "vi", "ja", "ko", "en", "it", "pt", "ar", "ru"]
STATUSES = [str(s) for s in TicketStatus]
DOMAINS = [str(d) for d in RequestDomain]
AGENT_IDS = [None, "lukas.meyer", "chloe.martin", "somchai.k", "nguyen.an", "wang.lei", "kim.jiwoo"]


def bulk_ticket_rows(n: int, now: datetime, seed: int = 7) -> Iterator[dict[str, Any]]:
    """`n` varied ticket rows (header only) built from one projected template; for load tests."""
    rng = random.Random(seed)
    template = ticket_values(TicketState(ticket_id="x", created_at=now, updated_at=now), 1)
    for i in range(n):
        created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 90))
        status = rng.choice(STATUSES)
        deadline = None if status == "closed" else created + timedelta(minutes=rng.randint(5, 60 * 24 * 5))
        yield {
            **template,
            "ticket_id": f"BULK-{i:06d}",
            "status": status,
            "language": rng.choice(LANGS),
            "domain": rng.choice(DOMAINS),
            "priority": rng.choice(["low", "normal", "normal", "high", "urgent"]),
            "assignee": rng.choice(AGENT_IDS),
            "team": rng.choice([None, "berlin", "manila", "shenzhen"]),
            "subject": f"Order {i} question",
            "customer_email": f"c{i}@example.com",
            "sla_breached": rng.random() < 0.05,
            "needs_triage": rng.random() < 0.03,
            "next_deadline": deadline,
            "created_at": created,
            "updated_at": created,
        }


def bulk_insert_tickets(
    sessions: sessionmaker[Session], n: int, now: datetime | None = None, chunk: int = 5000
) -> int:
    now = now or datetime.now(UTC)
    batch: list[dict[str, Any]] = []
    with sessions.begin() as session:
        for row in bulk_ticket_rows(n, now):
            batch.append(row)
            if len(batch) >= chunk:
                session.execute(insert(TicketRow), batch)
                batch = []
        if batch:
            session.execute(insert(TicketRow), batch)
    return n
