"""Fixtures for the channel tests: real servers on 127.0.0.1 only.

- `smtp_sink`: an aiosmtpd server that receives our outgoing replies (and can answer 4xx/5xx);
- `mail_stack`: the production ticket worker (worker.build_ticket_worker: TicketWorkflow, real
  store, routing and send activities on SQLite, SMTP pointed at the sink) with the fake NLP
  activities, plus an `EmailIngestor` wired to it;
- `dovecot`: a real IMAP server (Debian's dovecot) with a temporary config, skipped where the
  `dovecot` binary is not installed (`apt-get install dovecot-imapd`).
"""

import asyncio
import contextlib
import email
import grp
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

import worker
from channels.email.attachments import MailStore
from channels.email.ingest import EmailIngestor, IngestConfig
from channels.email.smtp_out import SmtpMailer, StatusLink
from channels.gateway import TemporalTickets
from domain.ids import NLP_TASK_QUEUE, TICKETS_TASK_QUEUE
from runtime.devserver import free_port, wait_for_port
from runtime.settings import Settings
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from tests.helpers.fake_activities import FakeBackend

EMAILS = Path(__file__).resolve().parent.parent / "data" / "emails"
MAIL_DOMAIN = "lingodesk.test"


def sample(name: str) -> bytes:
    return (EMAILS / name).read_bytes()


# ------------------------------------------------------------------ outgoing SMTP sink
@dataclass
class SmtpSink:
    host: str
    port: int
    received: list[Message] = field(default_factory=list)
    envelopes: list[Envelope] = field(default_factory=list)
    rcpt_reply: str | None = None  # e.g. "550 5.1.1 User unknown"
    data_reply: str | None = None  # e.g. "451 4.3.0 Try again later"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_reply:
            return self.data_reply
        self.envelopes.append(envelope)
        self.received.append(email.message_from_bytes(envelope.original_content or b""))
        return "250 2.0.0 queued"

    def mailer(self, status_link: StatusLink | None = None) -> SmtpMailer:
        return SmtpMailer(
            self.host,
            self.port,
            "support@lingodesk.test",
            "Customer Service",
            security="none",
            timeout=10,
            status_link=status_link,
        )


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink("127.0.0.1", free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


# ------------------------------------------------------------------ SQL store
@pytest.fixture
def mail_sessions(sqlite_url: str) -> sessionmaker[DbSession]:
    upgrade(sqlite_url)  # the migrations create every table, the e-mail ones included
    return make_session_factory(make_engine(sqlite_url))


# ------------------------------------------------------------------ the whole inbound + outbound stack
@dataclass
class MailStack:
    env: WorkflowEnvironment
    sessions: sessionmaker[DbSession]
    ingestor: EmailIngestor
    gateway: TemporalTickets
    sink: SmtpSink
    store_root: Path
    settings: Settings

    @property
    def prefix(self) -> str:
        return self.ingestor.config.ticket_id_prefix


def ingest_config(prefix: str, **kw: int) -> IngestConfig:
    # A ticket-id prefix per test: the dev server is shared by the whole session, and the same
    # sample mail must not find the (still running) workflow an earlier test started.
    return IngestConfig(mail_domain=MAIL_DOMAIN, internal_language="zh", ticket_id_prefix=prefix, **kw)


STATUS_SECRET = "status-link-secret-for-tests-0123456789"


def stack_settings(sqlite_url: str, sink: SmtpSink, data_dir: Path) -> Settings:
    return Settings.model_validate(
        {
            "DATABASE_URL": sqlite_url,
            "LINGODESK_DATA_DIR": str(data_dir),
            "LINGODESK_MAIL_DOMAIN": MAIL_DOMAIN,
            "LINGODESK_SMTP_HOST": sink.host,
            "LINGODESK_SMTP_PORT": str(sink.port),
            "LINGODESK_SMTP_SECURITY": "none",
            "LINGODESK_SMTP_FROM": "support@lingodesk.test",
            "LINGODESK_STATUS_SECRET": STATUS_SECRET,
            "LINGODESK_PUBLIC_URL": "https://help.lingodesk.test",
        }
    )


@pytest.fixture
async def mail_stack(
    dev_env: WorkflowEnvironment,
    sqlite_url: str,
    mail_sessions: sessionmaker[DbSession],
    smtp_sink: SmtpSink,
    tmp_path: Path,
) -> AsyncIterator[MailStack]:
    """The production ticket worker (worker.py, SMTP pointed at the sink) with fake NLP activities."""
    settings = stack_settings(sqlite_url, smtp_sink, tmp_path)
    _, nlp = FakeBackend().activities()
    gateway = TemporalTickets(dev_env.client)
    prefix = f"T{uuid.uuid4().hex[:6].upper()}-"
    ingestor = EmailIngestor(mail_sessions, gateway, MailStore(tmp_path / "mail"), ingest_config(prefix))
    await stop_running_tickets(dev_env)
    with ThreadPoolExecutor(max_workers=8) as executor:
        async with (
            worker.build_ticket_worker(dev_env.client, settings, executor),
            Worker(dev_env.client, task_queue=NLP_TASK_QUEUE, activities=nlp),
        ):
            yield MailStack(dev_env, mail_sessions, ingestor, gateway, smtp_sink, tmp_path / "mail", settings)
            await stop_running_tickets(dev_env)
        await asyncio.sleep(0)


async def stop_running_tickets(env: WorkflowEnvironment) -> None:
    """End the workflows earlier tests left on the shared `tickets` queue.

    The production worker polls the real queue name; a ticket another test left open (its timers
    still firing) would otherwise be worked on here and projected into this test's database.
    """
    query = f'TaskQueue="{TICKETS_TASK_QUEUE}" AND ExecutionStatus="Running"'
    async for execution in env.client.list_workflows(query):
        with contextlib.suppress(RPCError):  # it may have ended meanwhile
            await env.client.get_workflow_handle(execution.id, run_id=execution.run_id).terminate(
                "test cleanup"
            )


# ------------------------------------------------------------------ dovecot IMAP
@dataclass
class Dovecot:
    host: str
    port: int
    user: str
    password: str
    log: Path


DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
    if binary is None:
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    # Not pytest's tmp_path: dovecot's unprivileged processes must be able to enter the folder.
    root = Path(tempfile.mkdtemp(prefix="lingodesk-dovecot-"))
    root.chmod(0o755)
    port = free_port()
    if os.geteuid() == 0:
        # Dovecot refuses to run its login and mail processes as root: use its own users.
        mail_user, login_user = pwd.getpwnam("dovecot"), "dovenull"
    else:
        mail_user = pwd.getpwuid(os.getuid())
        login_user = mail_user.pw_name
    conf = DOVECOT_CONF.format(
        root=root,
        port=port,
        uid=mail_user.pw_uid,
        gid=mail_user.pw_gid,
        internal_user=mail_user.pw_name,
        internal_group=grp.getgrgid(mail_user.pw_gid).gr_name,
        login_user=login_user,
    )
    (root / "dovecot.conf").write_text(conf)
    (root / "users").write_text("support@lingodesk.test:{PLAIN}imap-test-secret\n")
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir()
    if os.geteuid() == 0:
        for sub in ("mail", "home"):
            os.chown(root / sub, mail_user.pw_uid, mail_user.pw_gid)
    proc = subprocess.Popen(
        [binary, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        wait_for_port("127.0.0.1", port, timeout_s=30)
        yield Dovecot("127.0.0.1", port, "support@lingodesk.test", "imap-test-secret", root / "dovecot.log")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(root, ignore_errors=True)
