"""Departments work collaboration tasks by e-mail, end to end on real servers on 127.0.0.1.

The production ticket worker (worker.build_ticket_worker: TicketWorkflow + CollaborationWorkflow,
real store and collaboration activities on SQLite, SMTP to an aiosmtpd sink) mails the department
when a task opens, is reassigned, falls due and is overdue; the department's replies are put into
a real IMAP folder (dovecot) and polled by the production ImapPoller -> EmailIngestor, which turns
them into `comment` / `complete_task` on the task. Forged tokens and answers to a closed task are
recorded in `rejected_emails`, the raw mail kept on disk. Polling loops only, no timing assertions.
"""

import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import make_msgid, parseaddr
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from imap_tools import MailBoxUnencrypted
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

import worker
from channels.email.attachments import MailStore
from channels.email.config import MailboxConfig
from channels.email.imap_poller import ImapPoller
from channels.email.ingest import EmailIngestor, IngestAction, IngestOutcome
from channels.email.task_mail import sent_mails
from channels.email.task_replies import TaskReplyRouter
from channels.email.task_token import TaskTokenSigner, subject_tag, task_signer_from_settings
from channels.gateway import TemporalTickets
from domain.collaboration import CollaborationStatus, ReminderPolicy
from domain.collaboration_actions import CollaborationOpened, CollaborationRequest, ReassignTaskRequest
from domain.ids import NLP_TASK_QUEUE, TICKETS_TASK_QUEUE
from domain.status import TicketStatus
from runtime.collaboration import request_collaboration, send_task_update
from runtime.settings import Settings
from store.seed import seed_demo
from store.tables import InboundEmailRow, RejectedEmailRow
from tests.channels.conftest import (  # noqa: F401  (fixtures: the channel tests' real servers)
    MAIL_DOMAIN,
    Dovecot,
    SmtpSink,
    dovecot,
    ingest_config,
    mail_sessions,
    smtp_sink,
    stack_settings,
    stop_running_tickets,
)
from tests.channels.helpers import eventually
from tests.helpers.collaboration_flow import AGENT, assigned_ticket, snapshot, task_state, wait_for
from tests.helpers.fake_activities import FakeBackend

QUESTION = "请核实集装箱 MSKU1234567 的延误原因和预计到港时间"
DEPT_ADDRESS = "logistics@lingodesk.local"  # store/seed.py
REPLIER = "zhou.bo@lingodesk.test"


@dataclass
class DeptStack:
    env: WorkflowEnvironment
    sessions: sessionmaker[Session]
    sink: SmtpSink
    settings: Settings
    poller: ImapPoller
    imap: Dovecot
    folder: str


@pytest.fixture
def imap_folder(dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Dovecot, str]]:  # noqa: F811
    monkeypatch.setenv("LINGODESK_TEST_IMAP_PASSWORD", dovecot.password)
    name = f"D{uuid.uuid4().hex[:8]}"
    with MailBoxUnencrypted(dovecot.host, dovecot.port).login(dovecot.user, dovecot.password) as box:
        box.folder.create(name)
    yield dovecot, name


@pytest.fixture
async def dept_stack(dev_env: WorkflowEnvironment, sqlite_url: str,
                     mail_sessions: sessionmaker[Session],  # noqa: F811
                     smtp_sink: SmtpSink, imap_folder: tuple[Dovecot, str],  # noqa: F811
                     tmp_path: Path) -> AsyncIterator[DeptStack]:
    settings = stack_settings(sqlite_url, smtp_sink, tmp_path)
    seed_demo(mail_sessions)  # departments with their addresses, agents with theirs
    _, nlp = FakeBackend().activities()
    updates = TaskReplyRouter(task_signer_from_settings(settings),
                              lambda task_id, req: send_task_update(dev_env.client, task_id, req),
                              MAIL_DOMAIN)
    prefix = f"T{uuid.uuid4().hex[:6].upper()}-"
    ingestor = EmailIngestor(mail_sessions, TemporalTickets(dev_env.client), MailStore(tmp_path / "mail"),
                             ingest_config(prefix), task_replies=updates)
    server, folder = imap_folder
    config = MailboxConfig.model_validate({
        "name": f"dept-{folder}", "kind": "imap", "host": server.host, "port": server.port,
        "security": "none",
        "username": server.user, "password_env": "LINGODESK_TEST_IMAP_PASSWORD", "folder": folder,
        "poll_interval_s": 1, "timeout_s": 10})
    poller = ImapPoller(config, ingestor, mail_sessions)
    await stop_running_tickets(dev_env)
    with ThreadPoolExecutor(max_workers=8) as executor:
        async with (
            worker.build_ticket_worker(dev_env.client, settings, executor),
            Worker(dev_env.client, task_queue=NLP_TASK_QUEUE, activities=nlp),
        ):
            try:
                yield DeptStack(dev_env, mail_sessions, smtp_sink, settings, poller, server, folder)
            finally:
                await poller.close()
                await stop_running_tickets(dev_env)


def text_of(msg: Message) -> str:
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text/plain part")


def subject_of(msg: Message) -> str:
    return str(make_header(decode_header(str(msg["Subject"]))))


def address_of(msg: Message) -> str:
    return parseaddr(str(msg["To"]))[1]


async def mails_for(stack: DeptStack, task_id: str, count: int) -> list[Message]:
    token = task_signer_from_settings(stack.settings)
    assert token is not None
    tag = subject_tag(token.sign(task_id))

    def check() -> list[Message] | None:
        found = [m for m in stack.sink.received if tag in subject_of(m)]
        return found if len(found) >= count else None

    return await eventually(check, f"{count} task mails for {task_id}")


def reply(to: Message, body: str, *, sender: str = REPLIER, subject: str | None = None,
          attachment: tuple[str, bytes] | None = None, message_id: str | None = None) -> bytes:
    """A department member's reply the way a mail client writes it (Re: subject, threading, quote)."""
    msg = EmailMessage()
    msg["From"] = f"Zhou Bo <{sender}>"
    msg["To"] = "support@lingodesk.test"
    msg["Subject"] = subject if subject is not None else f"回复：{subject_of(to)}"
    msg["Message-ID"] = message_id or make_msgid(domain="lingodesk.test")
    msg["In-Reply-To"] = str(to["Message-ID"])
    msg["References"] = str(to["Message-ID"])
    quoted = "\n".join(f"> {line}" for line in text_of(to).splitlines()[:6])
    msg.set_content(f"{body}\n\n{to['Date']}，support@lingodesk.test 写道：\n{quoted}\n", charset="utf-8")
    if attachment:
        msg.add_attachment(attachment[1], maintype="application", subtype="pdf", filename=attachment[0])
    return msg.as_bytes()


async def deliver(stack: DeptStack, *raws: bytes) -> list[IngestOutcome]:
    with MailBoxUnencrypted(stack.imap.host, stack.imap.port).login(
            stack.imap.user, stack.imap.password, stack.folder) as box:
        for raw in raws:
            box.append(raw, stack.folder)
    stats = await stack.poller.poll_once()
    assert stats.deferred == 0
    return stats.outcomes


async def open_task(stack: DeptStack, **kw: object) -> tuple[str, CollaborationOpened]:
    ticket = await assigned_ticket(stack.env, TICKETS_TASK_QUEUE)
    ticket_id = (await snapshot(ticket)).ticket_id
    opened = await request_collaboration(stack.env.client, ticket_id, CollaborationRequest.model_validate({
        "department": "logistics", "by": AGENT, "question": QUESTION,
        **kw}))
    return ticket_id, opened


async def test_department_gets_the_task_by_mail_and_answers_by_mail(dept_stack: DeptStack) -> None:
    stack = dept_stack
    ticket_id, opened = await open_task(stack)
    (first,) = await mails_for(stack, opened.task_id, 1)
    subject, body = subject_of(first), text_of(first)
    assert address_of(first) == DEPT_ADDRESS
    assert subject.startswith(f"【协作任务】物流部：{QUESTION}") and f"工单 {ticket_id}" in subject
    assert QUESTION in body
    assert "[zh] Guten Tag, mein Container MSKU1234567" in body  # the ticket context, internal language
    due = opened.deadline.astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"截止时间：{due:%Y-%m-%d %H:%M}（Asia/Shanghai）" in body  # the department's own time zone
    assert "第一行写“完成”或“DONE”" in body and str(first["Content-Language"]) == "zh"

    def recorded() -> list[tuple[str, str, list[str]]] | None:
        with stack.sessions() as session:
            rows = [(r.kind, r.state, r.recipients) for r in sent_mails(session, opened.task_id)]
        return rows if rows and all(r[1] != "sending" for r in rows) else None

    assert await eventually(recorded, "sent") == [("collaboration_task", "sent", [DEPT_ADDRESS])]

    # Reassigned: the department and the new assignee (an agent with an address) get a mail.
    await send_task_update(stack.env.client, opened.task_id, ReassignTaskRequest(
        by="chen.jie", assignee="wang.lei", reason="王磊负责鹿特丹线"))
    mails = await mails_for(stack, opened.task_id, 3)
    assert sorted(address_of(m) for m in mails[1:]) == [DEPT_ADDRESS, "wang.lei@lingodesk.local"]
    assert all("wang.lei，您好" in text_of(m) for m in mails[1:])

    # A comment by mail, with an attachment: routed to the task, not to a new customer ticket.
    (outcome,) = await deliver(stack, reply(first, "已联系船公司，明天上午答复。",
                                            attachment=("booking.pdf", b"%PDF-1.4 booking")))
    assert outcome.action is IngestAction.TASK_REPLY and outcome.ticket_id == ticket_id
    assert outcome.reason.startswith(f"comment on {opened.task_id}")
    task = await task_state(stack.env.client, opened.task_id)
    comment = next(e for e in task.events if e.kind == "comment")
    assert comment.summary == "已联系船公司，明天上午答复。" and comment.actor == REPLIER
    assert comment.data["attachments"] == "booking.pdf"

    # "完成：…" on the first line completes the task; the rest is the result, attachments as metadata.
    done_mail = reply(first, "完成：集装箱已于今日海关放行。\n预计周五到港。",
                      attachment=("release.pdf", b"%PDF-1.4 release"), sender="wang.lei@lingodesk.local")
    (outcome,) = await deliver(stack, done_mail)
    assert outcome.action is IngestAction.TASK_REPLY and outcome.reason.startswith("complete_task")
    task = await task_state(stack.env.client, opened.task_id)
    assert task.status is CollaborationStatus.DONE and task.closed_by == "wang.lei"  # sender -> agent id
    assert task.result == "集装箱已于今日海关放行。\n预计周五到港。"
    (meta,) = task.attachments
    assert meta.filename == "release.pdf" and meta.size == len(b"%PDF-1.4 release")
    assert meta.storage_path and Path(meta.storage_path).read_bytes() == b"%PDF-1.4 release"
    ticket = stack.env.client.get_workflow_handle(f"ticket-{ticket_id}")

    async def pending_reply() -> bool:
        return (await snapshot(ticket)).status is TicketStatus.PENDING_REPLY

    await wait_for(stack.env, pending_reply, "ticket pending_reply after the e-mailed answer")
    state = await snapshot(ticket)
    assert any(e.kind == "collaboration_completed" and "海关放行" in e.summary for e in state.timeline)

    # The same mail delivered again: one completion; a late answer: refused, recorded, kept on disk.
    (again,) = await deliver(stack, done_mail)
    assert again.action is IngestAction.DUPLICATE
    (late,) = await deliver(stack, reply(first, "补充：提单号 MAEU123。"))
    assert late.action is IngestAction.REJECTED
    assert late.reason == f"cannot comment on task {opened.task_id}: it is already done; nothing was recorded"
    with stack.sessions() as session:
        query = select(RejectedEmailRow).where(RejectedEmailRow.message_id == late.message_id)
        rejected = session.scalar(query)
        inbound = session.get(InboundEmailRow, late.message_id)
    assert rejected is not None and "already done" in rejected.reason and Path(rejected.raw_path).exists()
    assert inbound is not None and (inbound.state, inbound.action) == ("rejected", "task_reply")
    await ticket.terminate()


async def test_forged_or_unknown_tokens_are_rejected_and_lose_nothing(dept_stack: DeptStack) -> None:
    stack = dept_stack
    ticket_id, opened = await open_task(stack)
    (first,) = await mails_for(stack, opened.task_id, 1)
    forged_token = TaskTokenSigner(b"another-installation-secret-0123").sign(opened.task_id)
    forged = reply(first, "完成：已处理", subject=f"回复：集装箱 {subject_tag(forged_token)}")
    # A reply without our headers, with a tampered tag: the signature no longer matches.
    good = task_signer_from_settings(stack.settings)
    assert good is not None
    tampered = good.sign(opened.task_id).replace(".", ".A", 1)[:-1]
    altered = EmailMessage()
    altered["From"] = REPLIER
    altered["To"] = "support@lingodesk.test"
    altered["Subject"] = f"Re: task {subject_tag(tampered)}"
    altered["Message-ID"] = make_msgid(domain="lingodesk.test")
    altered.set_content("DONE\nok")
    outcomes = await deliver(stack, forged, altered.as_bytes())
    assert [o.action for o in outcomes] == [IngestAction.REJECTED, IngestAction.REJECTED]
    assert all(o.reason.startswith("forged or unknown task token") for o in outcomes)
    assert all(o.ticket_id is None for o in outcomes)  # no customer ticket was made of them
    with stack.sessions() as session:
        rows = [session.scalar(select(RejectedEmailRow).where(RejectedEmailRow.message_id == o.message_id))
                for o in outcomes]
        assert all(session.get(InboundEmailRow, o.message_id) is None for o in outcomes)
    assert all(r is not None and Path(r.raw_path).exists() and "signature" in r.reason for r in rows)
    task = await task_state(stack.env.client, opened.task_id)
    assert task.status is CollaborationStatus.OPEN and not any(e.kind == "comment" for e in task.events)
    await stack.env.client.get_workflow_handle(f"ticket-{ticket_id}").terminate()


async def test_reminder_and_overdue_mails_follow_the_deadline(dept_stack: DeptStack) -> None:
    stack = dept_stack
    # Seconds on the real dev server: "due soon" 2 s after opening, overdue at 4 s, no repeats.
    _, opened = await open_task(stack, deadline_s=4, reminders=ReminderPolicy(
        remind_before_s=2, repeat_after_s=3600, escalate_after_misses=0, linger_s=5))
    mails = await mails_for(stack, opened.task_id, 3)
    subjects = [subject_of(m) for m in mails]
    assert [s[:6] for s in subjects] == ["【协作任务】", "【任务提醒】", "【任务提醒】"]
    assert "任务即将到期" in text_of(mails[1]) and "任务已逾期（第 1 次提醒）" in text_of(mails[2])
    with stack.sessions() as session:
        kinds = [r.kind for r in sent_mails(session, opened.task_id)]
    assert sorted(kinds) == ["collaboration_reminder", "collaboration_reminder", "collaboration_task"]
