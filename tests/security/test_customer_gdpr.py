"""GDPR/PIPL: `lingodesk customer export|erase EMAIL` against real workers, store, files and histories."""

import asyncio
import hashlib
import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from temporalio.service import RPCError, RPCStatusCode

from domain.actions import CustomerMessage
from domain.status import TicketStatus
from domain.ticket import AttachmentMeta, TicketInput
from runtime.tickets import start_ticket, ticket_handle
from security.customer_data import UnknownCustomer, erase_customer, export_customer
from store import audit
from store.gdpr import email_sha256
from store.tables import (
    AuditLogRow,
    Base,
    CollaborationEventRow,
    CollaborationTaskRow,
    CsatResponseRow,
    ErasureRecordRow,
    InboundEmailRow,
    MessageRow,
)
from tests.conftest import REPO_ROOT
from tests.security.conftest import KEYS_TEXT, SecureStack, wait_for_status
from workflows.ticket import TicketWorkflow


def stored_file(root: Path, folder: str, content: bytes) -> Path:
    digest = hashlib.sha256(content).hexdigest()
    path = root / "mail" / folder / digest[:2] / digest
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


async def seed_customer(stack: SecureStack, email: str, name: str, tmp: Path) -> dict[str, object]:
    """Two tickets through the real workers (one with an attachment and a follow-up with another),
    plus the rows other parts of Lingodesk write about them: inbound mail, a task, CSAT, audit."""
    tag = uuid.uuid4().hex[:6]
    invoice = stored_file(tmp, "attachments", f"invoice of {name} {tag}".encode())
    photo = stored_file(tmp, "attachments", f"photo of {name}'s device {tag}".encode())
    raw = stored_file(tmp, "raw", f"From: {email}\r\n\r\nmy address is {tag}".encode())
    ids = [f"g-{tag}-1", f"g-{tag}-2"]
    for n, ticket_id in enumerate(ids):
        await start_ticket(
            stack.client,
            TicketInput.model_validate(
                {
                    "ticket_id": ticket_id,
                    "channel": "email",
                    "customer": {"email": email, "name": name},
                    "subject": f"Rechnung {tag}",
                    "body": f"Guten Tag, ich heiße {name} und wohne in der Gartenstraße {tag}.",
                    "attachments": [
                        AttachmentMeta(
                            filename="rechnung.pdf", size=10, storage_path=str(invoice)
                        ).model_dump()
                    ]
                    if n == 0
                    else [],
                }
            ),
        )
    for ticket_id in ids:
        await wait_for_status(stack.client, ticket_id, TicketStatus.PENDING_ASSIGNMENT)
    await ticket_handle(stack.client, ids[0]).signal(
        TicketWorkflow.customer_message,
        CustomerMessage(
            text=f"Hier ein Foto {tag}.",
            attachments=[AttachmentMeta(filename="foto.jpg", size=20, storage_path=str(photo))],
        ),
    )
    sessions = stack.sessions()
    for _ in range(300):  # the follow-up is projected as message 2 of the first ticket
        with sessions() as s:
            if s.get(MessageRow, (ids[0], 2)) is not None:
                break
        await asyncio.sleep(0.1)
    now = datetime.now(UTC)
    task_id = f"ticket-{ids[0]}-task-1"
    with sessions.begin() as s:
        s.add(
            InboundEmailRow(
                message_id=f"<{tag}@mail.example>",
                kind="message",
                action="new_ticket",
                state="delivered",
                ticket_id=ids[1],
                sender=email,
                raw_path=str(raw),
                received_at=now,
            )
        )
        s.add(
            CollaborationTaskRow(
                task_id=task_id,
                ticket_id=ids[0],
                task_no=1,
                department="finance",
                assignee="chen.jie",
                question=f"Refund for {name}?",
                status="open",
                created_at=now,
                updated_at=now,
                deadline=now + timedelta(days=1),
                attachments=[],
            )
        )
        s.flush()  # the task row before its event (foreign key)
        s.add(
            CollaborationEventRow(
                task_id=task_id, seq=1, at=now, kind="opened", summary=f"asked about {name}"
            )
        )
        s.add(
            CsatResponseRow(
                ticket_id=ids[1], score=5, comment=f"Danke, {name}", language="de", submitted_at=now
            )
        )
    audit.record(sessions, "zhang.min", "agent", "reply", ids[0], detail={"text": f"Hallo {name}"})
    return {"ids": ids, "files": [invoice, photo, raw], "tag": tag, "task_id": task_id}


def cli(stack: SecureStack, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": stack.settings.database_url,
        "TEMPORAL_ADDRESS": stack.target,
        "LINGODESK_PAYLOAD_KEYS": KEYS_TEXT,
        "LINGODESK_DATA_DIR": str(stack.settings.data_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "customer", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def rows_about(stack: SecureStack, ticket_ids: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    with stack.sessions()() as s:
        for table in Base.metadata.sorted_tables:
            if "ticket_id" in table.c and table.name != "audit_log":
                n = len(s.execute(table.select().where(table.c.ticket_id.in_(ticket_ids))).all())
                if n:
                    counts[table.name] = n
    return counts


async def test_export_then_erase_a_customer(secure_stack: SecureStack, tmp_path: Path) -> None:
    alice = f"alice.{uuid.uuid4().hex[:6]}@example.de"
    a = await seed_customer(secure_stack, alice, "Alice Schmidt", tmp_path)
    b = await seed_customer(secure_stack, "bob@example.com", "Bob Jones", tmp_path)
    alice_ids, bob_ids = a["ids"], b["ids"]
    assert isinstance(alice_ids, list) and isinstance(bob_ids, list)

    # --- export, in process: every table, the attachments named in the histories, the files ---
    sessions = secure_stack.sessions()
    doc = await export_customer(sessions, secure_stack.client, alice.upper(), "dpo-jane", tmp_path / "export")
    assert doc.ticket_ids == sorted(alice_ids)
    assert {r["ticket_id"] for r in doc.tables["tickets"]} == set(alice_ids)
    bodies = [m["original_text"] for m in doc.tables["messages"]]
    assert any("Gartenstraße" in t for t in bodies) and any("Foto" in t for t in bodies)
    assert (
        doc.tables["timeline_events"] and doc.tables["csat_responses"][0]["comment"] == "Danke, Alice Schmidt"
    )
    assert doc.tables["collaboration_tasks"][0]["question"] == "Refund for Alice Schmidt?"
    assert len(doc.tables["collaboration_events"]) == 1 and len(doc.tables["inbound_emails"]) == 1
    assert [e["action"] for e in doc.tables["audit_log"]] == ["reply"]
    assert sorted(x.filename for x in doc.attachments) == ["foto.jpg", "rechnung.pdf"]
    assert len(doc.files) == 3 and all(f.exists and f.copied_to for f in doc.files)
    assert {w.workflow_id for w in doc.workflows} == {f"ticket-{t}" for t in alice_ids}
    assert "Bob" not in doc.model_dump_json()

    # --- export through the CLI: the same document as JSON on stdout ---
    out = await asyncio.to_thread(cli, secure_stack, "export", alice, "--by", "dpo-jane")
    assert out.returncode == 0, out.stderr
    exported = json.loads(out.stdout)
    assert exported["ticket_ids"] == sorted(alice_ids) and len(exported["attachments"]) == 2

    # --- erase through the CLI ---
    out = await asyncio.to_thread(cli, secure_stack, "erase", alice, "--by", "dpo-jane", "--yes")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record["tickets"] == 2 and record["workflows_deleted"] == 2 and record["files_deleted"] == 3
    assert record["email_sha256"] == email_sha256(alice) and alice not in out.stdout
    assert record["detail"]["workflow_runs"] == 2 and record["detail"]["workflow_runs_pending_deletion"] == 0

    assert rows_about(secure_stack, alice_ids) == {}
    assert set(rows_about(secure_stack, bob_ids)) >= {
        "tickets",
        "messages",
        "timeline_events",
        "csat_responses",
    }
    files_a, files_b = a["files"], b["files"]
    assert isinstance(files_a, list) and isinstance(files_b, list)
    assert not any(f.exists() for f in files_a) and all(f.exists() for f in files_b)
    with sessions() as s:
        assert s.scalars(select(InboundEmailRow).where(InboundEmailRow.sender == alice)).all() == []
        assert s.get(CollaborationTaskRow, a["task_id"]) is None
        [erasure] = s.scalars(select(ErasureRecordRow)).all()
        assert (erasure.erased_by, erasure.email_sha256) == ("dpo-jane", email_sha256(alice))
        assert alice not in json.dumps(erasure.detail) and "Alice" not in json.dumps(erasure.detail)
        kept = s.scalars(select(AuditLogRow).where(AuditLogRow.ticket_id.in_(alice_ids))).all()
        assert [(r.action, r.detail) for r in kept] == [("reply", {"erased": True})]
        actions = [
            (r.actor, r.action) for r in s.scalars(select(AuditLogRow).where(AuditLogRow.ticket_id.is_(None)))
        ]
        assert ("dpo-jane", "customer.export") in actions and ("dpo-jane", "customer.erase") in actions
    for ticket_id in alice_ids:
        await _gone(secure_stack, f"ticket-{ticket_id}")
    assert (await ticket_handle(secure_stack.client, bob_ids[0]).describe()).status is not None

    # --- erasing again is a no-op that points at the record; an unknown address is an error ---
    again = await erase_customer(sessions, secure_stack.client, alice, "dpo-jane", [tmp_path])
    assert again.already_erased and again.previous[0].erasure_id == erasure.erasure_id
    out = await asyncio.to_thread(cli, secure_stack, "erase", alice, "--yes")
    assert out.returncode == 0 and "already erased" in out.stdout
    out = await asyncio.to_thread(cli, secure_stack, "erase", "nobody@example.org", "--yes")
    assert out.returncode == 1 and "unknown customer" in out.stderr and "nobody@example.org" in out.stderr
    with pytest.raises(UnknownCustomer):
        await export_customer(sessions, None, "nobody@example.org", "dpo-jane")


async def _gone(stack: SecureStack, workflow_id: str) -> None:
    """Deletion is asynchronous on the server: wait until the history is no longer there."""
    for _ in range(300):
        try:
            await stack.client.get_workflow_handle(workflow_id).describe()
        except RPCError as exc:
            assert exc.status == RPCStatusCode.NOT_FOUND
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{workflow_id} still on the server")
