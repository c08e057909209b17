"""Demo projection data for screenshots and tests when no workflows run.

    python -m console.demo_seed            # teams, agents, departments, 10 demo tickets, demo users

Tickets are built as `TicketState` and written with the real projection (store/projection.py),
so the console reads exactly the rows a workflow would write. They are DEMO PROJECTION DATA
(ids `DEMO-*`); no workflow exists behind them. `bulk_ticket_rows` makes many plain rows fast
for the 100k pagination test.
"""

import argparse
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from console.demo_bulk import bulk_insert_tickets
from console.demo_data import DEMO_PASSWORD, DEMO_TICKETS, DEMO_USERS, NOTIFICATIONS
from console.demo_state import demo_state, demo_task_requests, hostile_spec
from domain.store_io import NotifyRequest, RecordTicketRequest
from store.projection import project_ticket, record_notification
from store.tables import Base
from store.users import ensure_console_tables, upsert_user

__all__ = ["bulk_insert_tickets", "demo_state", "seed_console_demo"]


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
        tasks = demo_task_requests(now)
        if tasks:
            # The collaboration engineer's projection, so the rows match what task workflows write.
            from activities.collaboration_activities import project_task

            for req in tasks:
                project_task(session, req)
    with sessions.begin() as session:
        # The Reports page reads facts the worker's 15-minute schedule computes; the demo has them now.
        from store.reports import rollup

        rollup(session, now=now, full=True)
    if with_users:
        for user in DEMO_USERS:
            upsert_user(sessions, password=DEMO_PASSWORD, **user)
    return {
        **counts,
        "tickets": len(specs),
        "notifications": len(NOTIFICATIONS),
        "collaboration_tasks": len(tasks),
        "users": len(DEMO_USERS) if with_users else 0,
    }


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
