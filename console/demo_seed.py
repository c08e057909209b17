"""Demo projection data for screenshots and tests when no workflows run.

    python -m console.demo_seed            # teams, agents, departments, 10 demo tickets, demo users

Tickets are built as `TicketState` and written with the real projection (store/projection.py),
so the console reads exactly the rows a workflow would write. They are DEMO PROJECTION DATA
(ids `DEMO-*`); no workflow exists behind them. `bulk_ticket_rows` makes many plain rows fast
for the 100k pagination test.
"""

import argparse
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session, sessionmaker

from console.demo_data import DEMO_PASSWORD, DEMO_TICKETS, DEMO_USERS, HOSTILE_BODY, NOTIFICATIONS
from domain.nlp import AppliedTerm, Classification, LanguageDetection, RequestDomain, TranslationState
from domain.sla import SlaClock, SlaTarget
from domain.status import TicketStatus
from domain.store_io import NotifyRequest, RecordTicketRequest
from domain.ticket import (
    Channel,
    Customer,
    DeliveryState,
    Direction,
    Priority,
    TicketMessage,
    TicketState,
    TimelineEvent,
)
from store.projection import project_ticket, record_notification, ticket_values
from store.tables import Base, TicketRow
from store.users import ensure_console_tables, upsert_user


def _clock(target: str, started: int, deadline: int, now: datetime) -> SlaClock:
    start, end = now + timedelta(minutes=started), now + timedelta(minutes=deadline)
    return SlaClock(
        target=SlaTarget(target),
        started_at=start,
        deadline=end,
        warn_at=start + (end - start) * 0.8,
        warned=now >= start + (end - start) * 0.8,
        breached=end <= now,
    )


def _message(
    seq: int, spec: tuple[Any, ...], lang: str, customer: str, agent: str, now: datetime, unavailable: bool
) -> TicketMessage:
    direction, text, translated, terms, minutes = spec
    inbound = direction == "inbound"
    if direction == "note":
        state = TranslationState.NOT_NEEDED
    elif unavailable and translated is None:
        state = TranslationState.UNAVAILABLE
    else:
        state = (
            TranslationState.NOT_NEEDED
            if lang == "zh" and translated is None
            else TranslationState.TRANSLATED
        )
    return TicketMessage(
        seq=seq,
        direction=Direction(direction),
        author=customer if inbound else agent,
        original_text=text,
        language=lang if inbound else "zh",
        translated_text=translated,
        translation_language=("zh" if inbound else lang) if direction != "note" else "",
        translation_state=state,
        engine="demo" if translated else "",
        model_id="demo-projection",
        applied_terms=[AppliedTerm(source=s, target=t) for s, t in terms],
        created_at=now + timedelta(minutes=minutes),
        delivery=DeliveryState.SENT if direction == "outbound" else DeliveryState.NONE,
        delivery_detail="no translation model for this language pair"
        if state is TranslationState.UNAVAILABLE
        else "",
    )


def demo_state(spec: dict[str, Any], now: datetime) -> TicketState:
    """One demo ticket as the workflow would hold it."""
    name, email, country = spec["customer"]
    created = now + timedelta(minutes=spec["created"])
    subject, subject_zh = spec["subject"]
    status = TicketStatus(spec["status"])
    unavailable = bool(spec.get("unavailable"))
    state = TicketState(
        ticket_id=spec["id"],
        status=status,
        channel=Channel(spec["channel"]),
        customer=Customer(name=name, email=email, country=country),
        subject=subject,
        subject_translated=subject_zh,
        priority=Priority(spec["priority"]),
        language=spec["lang"],
        detection=LanguageDetection(
            language=spec["lang"], confidence=spec["conf"], reliable=spec["conf"] >= 0.5, method="demo"
        ),
        classification=Classification(
            domain=RequestDomain(spec["domain"]), confidence=0.8, reliable=True, industry=spec.get("industry")
        ),
        needs_triage=bool(spec.get("triage")),
        triage_reasons=["low language confidence"] if spec.get("triage") else [],
        assignee=spec["assignee"],
        team=spec["team"],
        assignment_count=1 if spec["assignee"] else 0,
        sla_breached=bool(spec.get("breached")),
        escalation_level=spec.get("escalation", 0),
        created_at=created,
        updated_at=now + timedelta(minutes=max(m[4] for m in spec["messages"])),
        resolution=spec.get("resolution"),
    )
    for target, (started, deadline) in spec["clocks"].items():
        state.sla.clocks[SlaTarget(target)] = _clock(target, started, deadline, now)
    for i, m in enumerate(spec["messages"], start=1):
        state.messages.append(_message(i, m, spec["lang"], email, spec["assignee"] or "", now, unavailable))
    events = [
        ("demo", "DEMO PROJECTION DATA: no workflow runs for this ticket", "system", 0),
        ("created", f"Ticket received via {spec['channel']}", "customer", 0),
        ("language_detected", f"Language {spec['lang']} ({spec['conf']:.2f})", "system", 0),
    ]
    if spec["assignee"]:
        events.append(("assigned", f"Assigned to {spec['assignee']}", "router", 2))
    if spec.get("breached"):
        events.append(("sla_breach", "SLA breached", "system", 30))
    if status is TicketStatus.CLOSED:
        state.closed_at = state.resolved_at = state.updated_at
        events.append(("status", "Resolved: invoice reissued", spec["assignee"] or "system", 120))
    for seq, (kind, summary, actor, minutes) in enumerate(events, start=1):
        state.timeline.append(
            TimelineEvent(
                seq=seq, at=created + timedelta(minutes=minutes), kind=kind, actor=actor, summary=summary
            )
        )
    return state


def hostile_spec() -> dict[str, Any]:
    """A ticket whose text is HTML/Markdown/JS: the console must show it as text."""
    return {
        "id": "DEMO-0666",
        "lang": "en",
        "conf": 0.9,
        "domain": "other",
        "industry": None,
        "status": "processing",
        "priority": "normal",
        "assignee": "wang.lei",
        "team": "shenzhen",
        "channel": "web",
        "customer": ("<b>Mallory</b>", "mallory@example.com", "US"),
        "created": -10,
        "subject": (HOSTILE_BODY, HOSTILE_BODY),
        "messages": [("inbound", HOSTILE_BODY, HOSTILE_BODY, [("**bold**", "<i>term</i>")], -10)],
        "clocks": {"first_reply": (-10, 230)},
    }


def seed_console_demo(
    engine: Engine,
    now: datetime | None = None,
    include_hostile: bool = False,
    with_users: bool = True,
    migrate: bool = False,
) -> dict[str, int]:
    """Insert or refresh the demo set; running it twice changes nothing.

    `migrate` runs the Alembic chain first (the CLI does); tests use plain `create_all`. Tables
    without a migration yet (users, sessions, audit_log) are created where missing either way.
    """
    from store.seed import seed_demo

    now = now or datetime.now(UTC)
    if migrate:
        from store.migrate import upgrade

        upgrade(engine.url.render_as_string(hide_password=False))
    Base.metadata.create_all(engine, checkfirst=True)
    ensure_console_tables(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    counts = seed_demo(sessions)
    specs = DEMO_TICKETS + ([hostile_spec()] if include_hostile else [])
    with sessions.begin() as session:
        for spec in specs:
            state = demo_state(spec, now)
            header = state.model_copy(update={"messages": [], "timeline": []})
            project_ticket(
                session,
                RecordTicketRequest(
                    state=header, messages=state.messages, events=state.timeline, version=len(state.timeline)
                ),
            )
        for n in NOTIFICATIONS:
            record_notification(
                session,
                n["id"],
                NotifyRequest(
                    ticket_id=n["ticket"],
                    kind=n["kind"],
                    recipients=n["to"],
                    summary=n["summary"],
                    severity=n["severity"],
                ),
                now + timedelta(minutes=n["minutes"]),
            )
    if with_users:
        for user in DEMO_USERS:
            upsert_user(sessions, password=DEMO_PASSWORD, **user)
    return {
        **counts,
        "tickets": len(specs),
        "notifications": len(NOTIFICATIONS),
        "users": len(DEMO_USERS) if with_users else 0,
    }


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


def main(argv: list[str] | None = None) -> int:
    from runtime.settings import get_settings
    from store.db import make_engine

    parser = argparse.ArgumentParser(description="Write DEMO projection data for the console (no workflows).")
    parser.add_argument("--database-url", default=None, help="defaults to DATABASE_URL")
    parser.add_argument(
        "--hostile-sample", action="store_true", help="add DEMO-0666 with HTML/JS in its text"
    )
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url or get_settings().database_url)
    counts = seed_console_demo(engine, include_hostile=args.hostile_sample, migrate=True)
    print("demo projection data: " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
    print(f"demo sign-ins (password {DEMO_PASSWORD!r}): " + ", ".join(u["username"] for u in DEMO_USERS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
