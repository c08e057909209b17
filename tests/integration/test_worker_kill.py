"""SIGKILL the real worker process mid-ticket, restart it: tickets finish, no duplicate rows."""

import asyncio
import signal
import uuid
from pathlib import Path

from sqlalchemy import func, select
from temporalio.testing import WorkflowEnvironment

from domain.actions import AssignRequest, ReplyRequest, ResolveRequest
from domain.sla import SlaPolicy
from domain.status import TicketStatus
from domain.ticket import Channel, Customer, TicketInput
from runtime.tickets import start_ticket, ticket_handle
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from store.tables import MessageRow, OutboundRow, TicketRow, TimelineEventRow
from tests.chaos import figures
from tests.chaos.workers import spawn_worker, wait_status
from workflows.ticket import TicketWorkflow

TEXTS = [
    "Das Gerät startet nach dem Update nicht mehr.",
    "Mi pedido A12345 no ha llegado todavía.",
    "Le colis est bloqué en douane depuis une semaine.",
    "The bearing makes a loud noise after a week.",
]


async def test_killed_worker_loses_nothing(
    dev_env: WorkflowEnvironment, tiny_models_dir: Path, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'kill.db'}"
    upgrade(db_url)
    proc = spawn_worker(dev_env, db_url, tiny_models_dir, tmp_path)
    kills = 0
    try:
        ids = [f"kill-{uuid.uuid4().hex[:6]}-{i}" for i in range(len(TEXTS))]
        for ticket_id, text in zip(ids, TEXTS, strict=True):
            await start_ticket(
                dev_env.client,
                TicketInput(
                    ticket_id=ticket_id,
                    channel=Channel.API,
                    customer=Customer(email=f"{ticket_id}@example.com"),
                    body=text,
                    sla=SlaPolicy(close_grace_s=1),
                ),
            )
        for delay in (1.5, 0.7):  # mid-intake, then again soon after the restart
            await asyncio.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            figures.add("worker kills")
            proc = spawn_worker(dev_env, db_url, tiny_models_dir, tmp_path)
        for ticket_id in ids:
            await wait_status(dev_env, ticket_id, TicketStatus.PENDING_ASSIGNMENT)
            handle = ticket_handle(dev_env.client, ticket_id)
            _ = await handle.execute_update(TicketWorkflow.assign, AssignRequest(agent_id="lukas.meyer"))
            _ = await handle.execute_update(
                TicketWorkflow.reply,
                ReplyRequest(agent_id="lukas.meyer", text="已处理。", request_id=f"{ticket_id}-r1"),
            )
        proc.send_signal(signal.SIGKILL)  # while replies are being translated and sent
        proc.wait()
        kills += 1
        figures.add("worker kills")
        proc = spawn_worker(dev_env, db_url, tiny_models_dir, tmp_path)
        for ticket_id in ids:
            handle = ticket_handle(dev_env.client, ticket_id)
            _ = await handle.execute_update(TicketWorkflow.resolve, ResolveRequest(by="lukas.meyer"))
            await asyncio.wait_for(handle.result(), timeout=180)
    finally:
        proc.kill()
        proc.wait()

    sessions = make_session_factory(make_engine(db_url))
    with sessions() as session:
        assert (
            session.scalar(select(func.count()).select_from(TicketRow).where(TicketRow.ticket_id.in_(ids)))
            == 4
        )
        for ticket_id in ids:
            seqs = session.scalars(select(MessageRow.seq).where(MessageRow.ticket_id == ticket_id)).all()
            assert sorted(seqs) == [1, 2], (ticket_id, seqs)
            events = session.scalars(
                select(TimelineEventRow.seq).where(TimelineEventRow.ticket_id == ticket_id)
            )
            seq_list = sorted(events.all())
            assert seq_list == list(range(1, len(seq_list) + 1))
            assert session.get(TicketRow, ticket_id).status == "closed"  # type: ignore[union-attr]
            assert (
                session.scalar(
                    select(func.count()).select_from(OutboundRow).where(OutboundRow.ticket_id == ticket_id)
                )
                or 0
            ) <= 1
    print(f"worker kills: {kills}, tickets: {len(ids)}, lost: 0")
