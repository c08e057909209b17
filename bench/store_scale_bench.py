"""The console's queries over a million tickets in PostgreSQL, with EXPLAIN (ANALYZE, BUFFERS) evidence.

    .venv/bin/python -m bench.store_scale_bench [--quick] [--tickets 1000000] [--database-url URL]

Without --database-url it starts a private PostgreSQL (pgserver) in a temporary folder. The store
is migrated (alembic heads), the demo teams/agents seeded, then bench/store_data.py generates the
tickets with set-based SQL and VACUUM ANALYZE runs. Timed, each as the median of --repeat runs
after one warm-up: the console overview (every query console/services.py::overview makes), the
ticket list (store/queries/tickets.py: first page, filtered pages, a page half the table
deep), and the per-language/agent/team reports (store.reports; see fill_report_facts for how the
facts tables are filled at this size). Every SQL statement a timed call runs is captured and EXPLAINed with
ANALYZE and BUFFERS; the plans go to bench/results/store_scale.json, with a flag per statement
when a plan reads a big table (tickets, messages, timeline_events) by sequential scan.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, sessionmaker

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results"
BIG_TABLES = ("tickets", "messages", "timeline_events")


class Plan(BaseModel):
    sql: str
    plan: list[str]
    seq_scan_on_big_table: bool


class Timing(BaseModel):
    name: str
    group: str
    median_ms: float  # the whole call as the console makes it (Python, driver, pydantic views)
    min_ms: float
    db_ms: float  # PostgreSQL's own "Execution Time" summed over the call's statements (EXPLAIN ANALYZE)
    rows: int
    plans: list[Plan]


class Rollup(BaseModel):
    sample_tickets: int
    sample_s: float  # the real per-ticket rollup (store.reports.refresh_tickets) on the sample
    ms_per_ticket: float
    copy_s: float  # sample facts copied onto every other ticket (set-based, bench only)
    rebuild_days_s: float  # store.reports.rebuild_days over every day (set-based)


class Report(BaseModel):
    name: str = "store_scale"
    command: str
    quick: bool
    started_at: datetime
    generated: dict[str, int]
    generate_s: float
    analyze_s: float
    rollup: Rollup | None
    table_sizes: dict[str, str]
    timings: list[Timing]


# ------------------------------------------------------------------------------ capture + explain
class Capture:
    """Collects the statements an engine runs, so each timed call can be EXPLAINed afterwards."""

    def __init__(self, engine: Engine) -> None:
        self.statements: list[tuple[str, Any]] = []
        self.on = False
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if self.on and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((statement, parameters))

    @contextmanager
    def capturing(self) -> Iterator[list[tuple[str, Any]]]:
        self.statements = []
        self.on = True
        try:
            yield self.statements
        finally:
            self.on = False


def explain(engine: Engine, statement: str, parameters: Any) -> Plan:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        lines = [str(r[0]) for r in cur.fetchall()]
        raw.rollback()
    finally:
        raw.close()
    seq = any("Seq Scan on " + t + " " in line or line.rstrip().endswith("Seq Scan on " + t)
              for line in lines for t in BIG_TABLES)
    return Plan(sql=" ".join(statement.split()), plan=lines, seq_scan_on_big_table=seq)


def timed(name: str, group: str, fn: Callable[[], Any], engine: Engine, capture: Capture,
          repeat: int) -> Timing:
    start = time.perf_counter()
    fn()  # warm-up: caches, prepared plans
    if time.perf_counter() - start > 2.0:
        repeat = 1  # a query this slow is a finding already; more runs only cost minutes
    samples: list[float] = []
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    with capture.capturing() as statements:
        fn()
    plans = [explain(engine, s, p) for s, p in statements]
    rows = len(result) if hasattr(result, "__len__") else len(getattr(result, "items", []))
    db_ms = sum(float(line.split(":", 1)[1].split()[0]) for p in plans for line in p.plan
                if line.startswith("Execution Time:"))
    timing = Timing(name=name, group=group, median_ms=round(statistics.median(samples), 2),
                    min_ms=round(min(samples), 2), db_ms=round(db_ms, 2), rows=rows, plans=plans)
    flag = "  SEQ SCAN" if any(p.seq_scan_on_big_table for p in plans) else ""
    print(f"  {group:9s} {name:42s} {timing.median_ms:9.2f} ms  (in PostgreSQL {timing.db_ms:8.2f} ms, "
          f"{rows} rows){flag}", flush=True)
    return timing


# ------------------------------------------------------------------------------------ queries
def query_suite(sessions: sessionmaker[Session], tickets: int) -> list[tuple[str, str, Callable[[], Any]]]:
    from store.queries import overview as ov
    from store.queries.tickets import list_tickets
    from store.queries.views import OPEN, Cursor, SlaState, TicketFilter, TicketSort

    deep_offset = tickets // 2
    with sessions() as session:
        row = session.execute(text(
            "SELECT created_at, ticket_id FROM tickets ORDER BY created_at DESC, ticket_id DESC "
            "OFFSET :o LIMIT 1"), {"o": deep_offset}).one()
        de_count = session.scalar(text("SELECT count(*) FROM tickets WHERE language = 'de'")) or 0
        de_row = session.execute(text(
            "SELECT created_at, ticket_id FROM tickets WHERE language = 'de' "
            "ORDER BY created_at DESC, ticket_id DESC OFFSET :o LIMIT 1"), {"o": de_count // 2}).one()
    deep = Cursor(key=row[0], ticket_id=row[1])
    deep_de = Cursor(key=de_row[0], ticket_id=de_row[1])

    def page(f: TicketFilter, sort: TicketSort = TicketSort.NEWEST, cursor: Cursor | None = None
             ) -> Callable[[], Any]:
        return lambda: list_tickets(sessions, f, sort, cursor, 50).items

    suite: list[tuple[str, str, Callable[[], Any]]] = [
        ("overview", "status_counts", lambda: ov.status_counts(sessions)),
        ("overview", "language_counts (open)", lambda: ov.language_counts(sessions)),
        ("overview", "sla_risk", lambda: ov.sla_risk(sessions)),
        ("overview", "alerts", lambda: ov.alerts(sessions)),
        ("overview", "agent_load", lambda: ov.agent_load(sessions)),
        ("overview", "triage_queue", lambda: ov.triage_queue(sessions)),
        ("list", "first page, all, newest", page(TicketFilter())),
        ("list", "first page, open, newest", page(TicketFilter(status=OPEN))),
        ("list", "first page, open + de", page(TicketFilter(status=OPEN, language="de"))),
        ("list", "first page, assignee agent007", page(TicketFilter(assignee="agent007"))),
        ("list", "first page, breached", page(TicketFilter(sla=SlaState.BREACHED))),
        ("list", "first page, open, by deadline", page(TicketFilter(status=OPEN), TicketSort.DEADLINE)),
        ("list", "first page, text 'Order 4242'", page(TicketFilter(text="Order 4242"))),
        ("list", f"deep page (row {deep_offset:,}), all", page(TicketFilter(), cursor=deep)),
        ("list", "deep page, language de", page(TicketFilter(language="de"), cursor=deep_de)),
    ]
    suite += _report_suite(sessions)
    return suite


def _report_call(sessions: sessionmaker[Session], fn: Callable[[Session, Any], Any], filters: Any) -> Any:
    with sessions() as session:
        return fn(session, filters)


def _report_suite(sessions: sessionmaker[Session]) -> list[tuple[str, str, Callable[[], Any]]]:
    try:
        from store import reports
    except ImportError:
        return []
    suite: list[tuple[str, str, Callable[[], Any]]] = []
    year = reports.ReportFilters(start=datetime.now(UTC).date().replace(day=1, month=1))
    month = reports.ReportFilters(start=datetime.now(UTC).date() - timedelta(days=29))
    for name in ("language_report", "agent_report", "team_report", "domain_language_distribution"):
        fn = getattr(reports, name, None)
        if fn is None:
            continue

        for label, filters in (("all time", reports.ReportFilters()), ("this year", year),
                               ("last 30 days, the console's default", month)):
            suite.append(("reports", f"{name} ({label})", partial(_report_call, sessions, fn, filters)))
    return suite


# The facts columns that describe the ticket itself; all others are copied from a sample fact.
_FROM_TICKET = {
    "ticket_id": "t.ticket_id", "day": "CAST(t.created_at AT TIME ZONE 'UTC' AS date)",
    "created_at": "t.created_at", "language": "t.language", "team": "coalesce(t.team, '')",
    "channel": "t.channel", "agent": "coalesce(t.assignee, '')", "domain": "t.domain",
}


def fill_report_facts(sessions: sessionmaker[Session], sample: int) -> Rollup | None:
    """Report facts for every ticket without hours of per-ticket Python rollup.

    The real rollup (store.reports.refresh_tickets) runs on `sample` tickets and is timed; its facts
    are then copied onto the other tickets with their own day/language/team/agent/channel/domain
    (one INSERT ... SELECT built from the table's columns), and the real set-based
    store.reports.rebuild_days sums every day. The report queries then read full-size tables.
    """
    try:
        from store.reports import rebuild_days, refresh_tickets
        from store.tables import ReportTicketFactRow
    except ImportError:
        return None
    now = datetime.now(UTC)
    with sessions.begin() as session:
        ids = list(session.scalars(text("SELECT ticket_id FROM tickets ORDER BY md5(ticket_id) LIMIT :n"),
                                   {"n": sample}))
        start = time.perf_counter()
        refresh_tickets(session, ids, now)
        sample_s = time.perf_counter() - start
    columns = [c.name for c in ReportTicketFactRow.__table__.columns]
    exprs = [_FROM_TICKET.get(c, f"s.{c}") for c in columns]
    copy_sql = (
        f"WITH s AS (SELECT f.*, row_number() OVER (ORDER BY f.ticket_id) - 1 AS rn "
        f"FROM report_ticket_facts f) "
        f"INSERT INTO report_ticket_facts ({', '.join(columns)}) SELECT {', '.join(exprs)} "
        f"FROM tickets t JOIN s ON s.rn = (hashtext(t.ticket_id) & 2147483647) % {len(ids)} "
        f"WHERE NOT EXISTS (SELECT 1 FROM report_ticket_facts x WHERE x.ticket_id = t.ticket_id)")
    with sessions.begin() as session:
        start = time.perf_counter()
        session.execute(text(copy_sql))
        copy_s = time.perf_counter() - start
        days = list(session.scalars(text("SELECT DISTINCT day FROM report_ticket_facts")))
        start = time.perf_counter()
        rebuild_days(session, days)
        rebuild_s = time.perf_counter() - start
    return Rollup(sample_tickets=len(ids), sample_s=round(sample_s, 2),
                  ms_per_ticket=round(sample_s * 1000 / max(len(ids), 1), 2), copy_s=round(copy_s, 2),
                  rebuild_days_s=round(rebuild_s, 2))


# --------------------------------------------------------------------------------------- main
@contextmanager
def database(url: str | None, work_dir: Path) -> Iterator[str]:
    if url:
        yield url
        return
    import pgserver

    server = pgserver.get_server(str(work_dir / "pg"), cleanup_mode="stop")
    try:
        from sqlalchemy import create_engine

        from store.db import normalize_url

        admin = create_engine(normalize_url(server.get_uri()), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS lingodesk_bench"))
            conn.execute(text("CREATE DATABASE lingodesk_bench"))
        admin.dispose()
        from sqlalchemy import make_url

        yield make_url(normalize_url(server.get_uri())).set(database="lingodesk_bench").render_as_string(
            hide_password=False)
    finally:
        server.cleanup()


def run(url: str, tickets: int, detail_share: float, repeat: int, rollup_sample: int) -> Report:
    from bench.store_data import generate
    from store.db import make_engine, make_session_factory
    from store.migrate import upgrade
    from store.seed import seed_demo

    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    seed_demo(sessions)
    print(f"[store_scale] generating {tickets:,} tickets ...", flush=True)
    start = time.perf_counter()
    with engine.begin() as conn:
        generated = generate(conn, tickets, detail_share)
    generate_s = time.perf_counter() - start
    start = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    analyze_s = time.perf_counter() - start
    print(f"[store_scale] generated {generated} in {generate_s:.1f} s, VACUUM ANALYZE {analyze_s:.1f} s",
          flush=True)
    rollup = fill_report_facts(sessions, min(rollup_sample, tickets))
    if rollup is not None:
        print(f"[store_scale] report facts: {rollup}", flush=True)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    with engine.connect() as conn:
        sizes = {t: str(conn.scalar(text(f"SELECT pg_size_pretty(pg_total_relation_size('{t}'))")))
                 for t in (*BIG_TABLES, "notifications")}
    capture = Capture(engine)
    timings = [timed(name, group, fn, engine, capture, repeat)
               for group, name, fn in query_suite(sessions, tickets)]
    engine.dispose()
    return Report(command="", quick=False, started_at=datetime.now(UTC), generated=generated,
                  generate_s=round(generate_s, 1), analyze_s=round(analyze_s, 1),
                  rollup=rollup,
                  table_sizes=sizes, timings=timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5,000 tickets (a smoke run)")
    parser.add_argument("--tickets", type=int, help="default 1,000,000 (quick: 5,000)")
    parser.add_argument("--detail-share", type=float, default=0.2,
                        help="share of tickets that get messages and timeline rows")
    parser.add_argument("--rollup-sample", type=int, default=5_000,
                        help="tickets the real report rollup runs on (facts are copied to the rest)")
    parser.add_argument("--repeat", type=int, help="timed runs per query (default 5, quick 2)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="an empty PostgreSQL database (default: a private pgserver)")
    parser.add_argument("--out", type=Path, default=RESULTS / "store_scale.json")
    args = parser.parse_args(argv)
    tickets = args.tickets or (5_000 if args.quick else 1_000_000)
    repeat = args.repeat or (2 if args.quick else 5)
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="lingodesk-store-bench-") as tmp, \
            database(args.database_url, Path(tmp)) as url:
        report = run(url, tickets, args.detail_share, repeat, args.rollup_sample)
    args_text = " ".join(argv if argv is not None else sys.argv[1:])
    report.command = f"python -m bench.store_scale_bench {args_text}".strip()
    report.quick = args.quick
    report.started_at = started
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report.model_dump(mode="json"), indent=2) + "\n", encoding="utf-8")
    print(f"[store_scale] wrote {args.out}")
    return 0


if __name__ == "__main__":
    # `kill` then still stops the servers this run started (finally blocks run on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    raise SystemExit(main())
