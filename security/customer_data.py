"""`lingodesk customer export|erase EMAIL`: the store, the files and the Temporal histories together.

Erasure order makes a failed run safe to repeat: histories and files go first while the store
still lists the customer's tickets; the store rows and the erasure record go last, in one
transaction. A second run finds nothing left and reports the earlier erasure.
"""

import asyncio
import hashlib
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import EventType
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from domain.actions import CustomerMessage
from domain.ids import ticket_workflow_id
from domain.ticket import AttachmentMeta, TicketInput
from store import audit, gdpr
from store.gdpr import CustomerFootprint, ErasureRecord, UnknownCustomer

__all__ = ["UnknownCustomer", "erase_customer", "export_customer"]


class WorkflowRun(BaseModel):
    workflow_id: str
    run_id: str
    status: str


class ExportedFile(BaseModel):
    path: str
    exists: bool
    size: int = 0
    sha256: str | None = None
    copied_to: str | None = None


class CustomerExport(BaseModel):
    format: str = "lingodesk-customer-export/1"
    email: str
    exported_at: datetime
    exported_by: str
    ticket_ids: list[str] = Field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    attachments: list[AttachmentMeta] = Field(default_factory=list)  # from the tickets' workflow inputs
    files: list[ExportedFile] = Field(default_factory=list)
    workflows: list[WorkflowRun] = Field(default_factory=list)
    erasures: list[ErasureRecord] = Field(default_factory=list)


class ErasureOutcome(BaseModel):
    already_erased: bool = False
    record: ErasureRecord | None = None
    previous: list[ErasureRecord] = Field(default_factory=list)


def _workflow_ids(footprint: CustomerFootprint) -> list[str]:
    return [ticket_workflow_id(t) for t in footprint.ticket_ids] + footprint.collaboration_task_ids


async def _runs(client: Client, workflow_id: str) -> list[WorkflowRun]:
    """Every run of the id (continue-as-new leaves several), from visibility plus the current run."""
    runs: dict[str, WorkflowRun] = {}
    escaped = workflow_id.replace("\\", "\\\\").replace('"', '\\"')
    async for wf in client.list_workflows(f'WorkflowId = "{escaped}"'):
        runs[wf.run_id] = WorkflowRun(workflow_id=wf.id, run_id=wf.run_id, status=_status(wf.status))
    try:
        desc = await client.get_workflow_handle(workflow_id).describe()
        runs[desc.run_id] = WorkflowRun(
            workflow_id=workflow_id, run_id=desc.run_id, status=_status(desc.status)
        )
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
    return list(runs.values())


def _status(status: WorkflowExecutionStatus | None) -> str:
    return status.name.lower() if status is not None else "unknown"


async def _history_attachments(client: Client, run: WorkflowRun) -> list[AttachmentMeta]:
    """Attachments named in the ticket's start input and customer messages (not kept in SQL)."""
    if not run.workflow_id.startswith("ticket-") or "-task-" in run.workflow_id:
        return []
    found: list[AttachmentMeta] = []
    history = await client.get_workflow_handle(run.workflow_id, run_id=run.run_id).fetch_history()
    converter = client.data_converter
    for event in history.events:
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
            payloads = event.workflow_execution_started_event_attributes.input.payloads
            if payloads:
                [inp] = await converter.decode(payloads[:1], [TicketInput])
                found.extend(inp.attachments)
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            attrs = event.workflow_execution_signaled_event_attributes
            if attrs.signal_name == "customer_message" and attrs.input.payloads:
                [msg] = await converter.decode(attrs.input.payloads[:1], [CustomerMessage])
                found.extend(msg.attachments)
    return found


def _file_info(path: str, copy_dir: Path | None) -> ExportedFile:
    p = Path(path)
    if not p.is_file():
        return ExportedFile(path=path, exists=False)
    data = p.read_bytes()
    info = ExportedFile(path=path, exists=True, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    if copy_dir is not None:
        copy_dir.mkdir(parents=True, exist_ok=True)
        target = copy_dir / f"{info.sha256}{p.suffix}"
        shutil.copyfile(p, target)
        info.copied_to = str(target)
    return info


def _find(sessions: sessionmaker[Session], email: str) -> CustomerFootprint:
    with sessions() as session:
        return gdpr.find_customer(session, email)


async def export_customer(
    sessions: sessionmaker[Session],
    client: Client | None,
    email: str,
    actor: str,
    copy_files_to: Path | None = None,
) -> CustomerExport:
    footprint = _find(sessions, email)
    with sessions() as session:
        erasures = gdpr.erasure_records(session, email)
        if footprint.empty and not erasures:
            raise UnknownCustomer(f"no tickets, e-mails or erasure records for {gdpr.normalize_email(email)}")
        tables = gdpr.export_rows(session, footprint)
    runs: list[WorkflowRun] = []
    attachments: list[AttachmentMeta] = []
    if client is not None:
        for workflow_id in _workflow_ids(footprint):
            for run in await _runs(client, workflow_id):
                runs.append(run)
                attachments.extend(await _history_attachments(client, run))
    paths = sorted({*footprint.files, *(a.storage_path for a in attachments if a.storage_path)})
    doc = CustomerExport(
        email=footprint.email,
        exported_at=datetime.now(UTC),
        exported_by=actor,
        ticket_ids=footprint.ticket_ids,
        tables=tables,
        attachments=attachments,
        files=[_file_info(p, copy_files_to) for p in paths],
        workflows=runs,
        erasures=erasures,
    )
    audit.record(
        sessions,
        actor,
        "admin",
        "customer.export",
        detail={"email_sha256": gdpr.email_sha256(email), "tickets": len(footprint.ticket_ids)},
    )
    return doc


async def _delete_run(client: Client, run: WorkflowRun) -> str:
    handle = client.get_workflow_handle(run.workflow_id, run_id=run.run_id)
    if run.status == "running":
        try:
            await handle.terminate(reason="customer data erasure")
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
    try:
        await client.workflow_service.delete_workflow_execution(
            DeleteWorkflowExecutionRequest(
                namespace=client.namespace,
                workflow_execution=WorkflowExecution(workflow_id=run.workflow_id, run_id=run.run_id),
            )
        )
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return "absent"
        raise
    return "deleted"


def purge_translation_memory(path: Path | None, texts: list[str]) -> int:
    """Drop cached sentence translations that appear in the customer's messages.

    The memory is keyed by a hash of the source sentence, so entries are found by their stored
    translation instead; removing a sentence another ticket shares only costs a re-translation.
    Running workers' in-process LRU copies are bounded and gone on restart.
    """
    if path is None or not path.is_file() or not texts:
        return 0
    conn = sqlite3.connect(str(path), timeout=10)
    try:
        doomed = [
            key
            for key, text in conn.execute("SELECT key, text FROM translation_memory")
            if text and any(text in t for t in texts)
        ]
        with conn:
            conn.executemany("DELETE FROM translation_memory WHERE key = ?", [(k,) for k in doomed])
    except sqlite3.OperationalError:
        return 0  # no memory table yet
    finally:
        conn.close()
    return len(doomed)


async def _still_there(client: Client, runs: list[WorkflowRun], timeout_s: float) -> list[WorkflowRun]:
    """Wait (bounded) until the server has removed the runs; the ones it has not yet removed."""
    left = list(runs)
    deadline = asyncio.get_running_loop().time() + timeout_s
    while left:
        remaining = []
        for run in left:
            try:
                await client.get_workflow_handle(run.workflow_id, run_id=run.run_id).describe()
                remaining.append(run)
            except RPCError as exc:
                if exc.status != RPCStatusCode.NOT_FOUND:
                    raise
        left = remaining
        if not left or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.5)
    return left


async def erase_customer(
    sessions: sessionmaker[Session],
    client: Client,
    email: str,
    actor: str,
    file_roots: list[Path],
    translation_memory: Path | None = None,
    confirm_timeout_s: float = 120.0,
) -> ErasureOutcome:
    footprint = _find(sessions, email)
    with sessions() as session:
        previous = gdpr.erasure_records(session, email)
    if footprint.empty:
        if previous:
            return ErasureOutcome(already_erased=True, previous=previous)
        raise UnknownCustomer(f"no tickets, e-mails or erasure records for {gdpr.normalize_email(email)}")
    runs = [run for wid in _workflow_ids(footprint) for run in await _runs(client, wid)]
    files = set(footprint.files)
    for run in runs:  # read attachment paths before the histories go
        files.update(a.storage_path for a in await _history_attachments(client, run) if a.storage_path)
    outcomes = [await _delete_run(client, run) for run in runs]
    pending = await _still_there(client, runs, confirm_timeout_s)
    files_deleted = gdpr.delete_files(sorted(files), file_roots)
    with sessions() as session:
        texts = gdpr.message_texts(session, footprint.ticket_ids)
    memory_entries = purge_translation_memory(translation_memory, texts)
    record = gdpr.erase_rows(
        sessions,
        footprint,
        erased_by=actor,
        files_deleted=files_deleted,
        workflows_deleted=outcomes.count("deleted"),
        detail={
            "workflow_runs": len(runs),
            # Deletion is asynchronous: the server finishes an accepted deletion on its own (durable task).
            "workflow_runs_pending_deletion": len(pending),
            "files_listed": len(files),
            "inbound_emails": len(footprint.inbound_message_ids),
            "translation_memory_entries": memory_entries,
        },
    )
    audit.record(
        sessions,
        actor,
        "admin",
        "customer.erase",
        detail={
            "email_sha256": record.email_sha256,
            "erasure_id": record.erasure_id,
            "tickets": record.tickets,
            "rows": record.rows_deleted,
            "workflows": record.workflows_deleted,
            "files": record.files_deleted,
        },
    )
    return ErasureOutcome(record=record, previous=previous)
