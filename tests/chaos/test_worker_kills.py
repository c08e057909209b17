"""SIGKILL the real worker process at random points of the pipeline, many times, and restart it.

Every ticket completes; exactly one ticket row and one message row per message; every reply is
mailed once (the loopback SMTP sink counts) and recorded once. The kill points come from a
seeded RNG (CHAOS_SEED, default 20261123) so a failing run can be repeated.
"""

import asyncio
import os
import random
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from temporalio.testing import WorkflowEnvironment

from domain.actions import AssignRequest, ReplyRequest, ResolveRequest
from domain.sla import SlaPolicy
from domain.status import TicketStatus
from domain.ticket import Channel, Customer, TicketInput
from runtime.tickets import start_ticket, ticket_handle
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from store.tables import MessageRow, OutboundRow, TicketRow
from tests.channels.conftest import SmtpSink
from tests.chaos import figures
from tests.chaos.conftest import smtp_env
from tests.chaos.workers import sigkill, spawn_worker, wait_status
from workflows.ticket import TicketWorkflow

SEED = int(os.environ.get("CHAOS_SEED", "20261123"))
TEXTS = [
    "Das Gerät startet nach dem Update nicht mehr.",
    "Meine Bestellung A12345 ist noch nicht angekommen.",
    "Das Paket hängt seit einer Woche im Zoll fest.",
    "Das Lager macht nach einer Woche ein lautes Geräusch.",
    "Ich möchte die Rechnung für den Auftrag 7781 bekommen.",
]
# Kills per phase: while tickets are taken in, while replies are translated and mailed, while closing.
PHASE_KILLS = (4, 4, 3)


class KillingWorker:
    """The worker process and a seeded schedule of SIGKILLs; counts each kill."""

    def __init__(self, start: Any, rng: random.Random) -> None:
        self.start, self.rng = start, rng
        self.proc = start()
        self.kills = 0

    async def kill_randomly(self, times: int) -> None:
        for _ in range(times):
            await asyncio.sleep(self.rng.uniform(0.3, 3.0))
            sigkill(self.proc)
            self.kills += 1
            figures.add("worker kills")
            self.proc = self.start()

    def stop(self) -> None:
        sigkill(self.proc)


async def test_random_sigkills_lose_and_duplicate_nothing(
    dev_env: WorkflowEnvironment, chaos_models_dir: Path, smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'chaos.db'}"
    upgrade(db_url)
    rng = random.Random(SEED)
    worker = KillingWorker(
        lambda: spawn_worker(dev_env, db_url, chaos_models_dir, tmp_path, smtp_env(smtp_sink)), rng
    )
    ids = [f"chaos-{uuid.uuid4().hex[:6]}-{i}" for i in range(len(TEXTS))]
    try:
        for ticket_id, text in zip(ids, TEXTS, strict=True):
            await start_ticket(
                dev_env.client,
                TicketInput(
                    ticket_id=ticket_id,
                    channel=Channel.EMAIL,
                    customer=Customer(email=f"{ticket_id}@example.de", name="Kunde"),
                    subject="Problem",
                    body=text,
                    message_id=f"<{ticket_id}@example.de>",
                    sla=SlaPolicy(close_grace_s=1),
                ),
            )
        await worker.kill_randomly(PHASE_KILLS[0])
        for ticket_id in ids:
            await wait_status(dev_env, ticket_id, TicketStatus.PENDING_ASSIGNMENT)
            handle = ticket_handle(dev_env.client, ticket_id)
            _ = await handle.execute_update(TicketWorkflow.assign, AssignRequest(agent_id="lukas.meyer"))
            _ = await handle.execute_update(
                TicketWorkflow.reply,
                ReplyRequest(agent_id="lukas.meyer", text="请重启设备。", request_id=f"{ticket_id}-r1"),
            )
        await worker.kill_randomly(PHASE_KILLS[1])
        for ticket_id in ids:
            handle = ticket_handle(dev_env.client, ticket_id)
            # Resolve once the reply is out (a processing ticket that already answered).
            await wait_status(dev_env, ticket_id, TicketStatus.PROCESSING)
            _ = await handle.execute_update(TicketWorkflow.resolve, ResolveRequest(by="lukas.meyer"))
        await worker.kill_randomly(PHASE_KILLS[2])
        for ticket_id in ids:
            await asyncio.wait_for(ticket_handle(dev_env.client, ticket_id).result(), timeout=180)
    finally:
        worker.stop()

    sessions = make_session_factory(make_engine(db_url))
    with sessions() as session:
        rows = session.scalar(select(func.count()).select_from(TicketRow).where(TicketRow.ticket_id.in_(ids)))
        closed = session.scalar(
            select(func.count())
            .select_from(TicketRow)
            .where(TicketRow.ticket_id.in_(ids), TicketRow.status == "closed")
        )
        figures.add("losses", len(ids) - (closed or 0))
        assert rows == len(ids) and closed == len(ids)
        for ticket_id in ids:
            seqs = session.scalars(select(MessageRow.seq).where(MessageRow.ticket_id == ticket_id)).all()
            assert sorted(seqs) == [1, 2], (ticket_id, seqs)  # the customer's message and the reply
            outbound = session.scalars(select(OutboundRow).where(OutboundRow.ticket_id == ticket_id)).all()
            assert [(o.seq, o.state) for o in outbound] == [(2, "sent")], ticket_id
    mailed = Counter(str(m["Message-ID"]) for m in smtp_sink.received)
    assert len(mailed) == len(ids), mailed
    assert set(mailed.values()) == {1}, f"a reply was mailed twice: {mailed}"
    assert worker.kills == sum(PHASE_KILLS) >= 10
