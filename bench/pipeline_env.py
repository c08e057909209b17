"""The pipeline benchmark's environment: dev server, store, workers' settings, CPU counters."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import update
from temporalio.client import Client

REPO_ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def nlp_cpu_s(env: Env) -> float:
    return sum(proc_cpu_s(pid) for pid in env.nlp_pids)


# ------------------------------------------------------------------------------- environment
class Env(BaseModel):
    model_config = {"arbitrary_types_allowed": True}
    address: str
    server_pid: int
    nlp_pids: list[int] = Field(default_factory=list)
    repeat_texts: bool = False
    rounds: int = 3  # bursts per variant from 50 tickets; the median round is reported
    paced_tickets: int = 0  # 0: no paced phase
    paced_rate: float = 2.0
    models_dir: Path
    data_dir: Path
    work_dir: Path


@asynccontextmanager
async def dev_server(work_dir: Path, mode: str) -> AsyncIterator[tuple[str, int]]:
    from runtime.devserver import free_port, start_dev_server

    port = free_port()
    db_file = work_dir / f"temporal-{port}.db" if mode == "sqlite" else None
    proc = await asyncio.to_thread(start_dev_server, port, free_port(), db_file, None, True)
    try:
        yield f"127.0.0.1:{port}", proc.pid
    finally:
        proc.terminate()
        try:
            await asyncio.to_thread(proc.wait, 20)
        except subprocess.TimeoutExpired:
            proc.kill()


def settings_env(env: Env, database_url: str) -> dict[str, str]:
    """The settings every worker of a run reads, in-process or as `worker.py` children."""
    return {"TEMPORAL_ADDRESS": env.address, "DATABASE_URL": database_url,
            "LINGODESK_MODELS_DIR": str(env.models_dir), "LINGODESK_DATA_DIR": str(env.data_dir)}


def worker_settings(env: Env, database_url: str) -> Any:
    from runtime.settings import Settings

    return Settings.model_validate(settings_env(env, database_url))


def prepare_store(database_url: str) -> Any:
    """Migrated store with the demo teams/agents, everyone online with room for every ticket.

    Every team works around the clock. With the demo's 09:00-18:00 desks, the benchmark's
    tickets (technical support in German, routed to Shanghai or Berlin) got the after-hours
    acknowledgement depending on the hour the run started: two more activities to assigned
    for some of the burst, while the bare workflow mirrors the warm-up ticket's count. Business
    time is still computed, through the same code, from a 24/7 calendar.
    """
    from domain.calendar import always_open
    from store.db import make_engine, make_session_factory
    from store.migrate import upgrade
    from store.seed import seed_demo
    from store.tables import AgentRow, TeamRow

    upgrade(database_url)
    sessions = make_session_factory(make_engine(database_url))
    seed_demo(sessions)
    around_the_clock = {"hours": always_open().model_dump(mode="json")["hours"]}
    with sessions.begin() as session:
        session.execute(update(AgentRow).values(presence="online", capacity=1_000_000, working_hours={}))
        session.execute(update(TeamRow).values(calendar=around_the_clock))
    return sessions


def nlp_processes(env: Env, database_url: str, count: int) -> list[subprocess.Popen[bytes]]:
    child_env = os.environ | settings_env(env, database_url)
    return [subprocess.Popen([sys.executable, str(REPO_ROOT / "worker.py"), "--only", "nlp"], env=child_env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(count)]


async def connect(address: str, attempts: int = 60) -> Client:
    """The dev server opens its port before its frontend is healthy: retry for a while."""
    from runtime.client import data_converter

    for attempt in range(attempts):
        try:
            return await Client.connect(address, data_converter=data_converter())
        except RuntimeError:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")
