"""Mailbox configuration (`LINGODESK_MAILBOXES_FILE`, YAML) and the composition of the mail channel.

    mailboxes:
      - name: support
        kind: imap                 # poll an IMAP folder (IDLE when the server offers it)
        host: imap.example.com
        port: 993
        security: ssl              # ssl | starttls | none
        username: support@example.com
        password_env: SUPPORT_IMAP_PASSWORD    # or password_file: /run/secrets/imap
        folder: INBOX
      - name: intake
        kind: smtp                 # receive by SMTP (behind the MX / a relay)
        host: 0.0.0.0
        port: 2525
        recipients: ["support@example.com", "@help.example.com"]

Passwords are never written in the file: they are read from the named environment variable or
file when the mailbox starts.
"""

import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from channels.email.attachments import MailStore
from channels.email.ingest import EmailIngestor, IngestConfig
from channels.gateway import TicketGateway
from runtime.settings import Settings


class MailboxConfig(BaseModel):
    name: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")
    kind: Literal["imap", "smtp"]
    host: str = "127.0.0.1"
    port: int | None = None  # default: 993 (imap ssl), 143 (imap), 2525 (smtp)
    security: Literal["ssl", "starttls", "none"] = "ssl"
    username: str = ""
    password_env: str | None = None
    password_file: Path | None = None
    folder: str = "INBOX"
    idle: bool = True  # use IMAP IDLE when the server supports it, else poll
    poll_interval_s: float = Field(60.0, gt=0)
    mark_seen: bool = True  # also set \\Seen on handled mail (the UID cursor is what counts)
    recipients: list[str] = Field(default_factory=list)  # smtp: accepted addresses or "@domain"; empty: all
    timeout_s: float = Field(30.0, gt=0)

    def effective_port(self) -> int:
        if self.port:
            return self.port
        if self.kind == "smtp":
            return 2525
        return 993 if self.security == "ssl" else 143

    def password(self) -> str:
        if self.password_file is not None:
            return self.password_file.read_text(encoding="utf-8").strip()
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value is None:
                raise RuntimeError(
                    f"mailbox {self.name}: environment variable {self.password_env} is not set"
                )
            return value
        return ""

    def accepts(self, address: str) -> bool:
        if not self.recipients:
            return True
        address = address.strip().strip("<>").lower()
        domain = "@" + address.rpartition("@")[2]
        return any(r.lower() in (address, domain) for r in self.recipients)


class MailboxesFile(BaseModel):
    mailboxes: list[MailboxConfig] = Field(default_factory=list)


def load_mailboxes(path: Path) -> list[MailboxConfig]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    mailboxes = MailboxesFile.model_validate(data).mailboxes
    names = [m.name for m in mailboxes]
    if len(names) != len(set(names)):
        raise ValueError(f"{path}: mailbox names must be unique")
    return mailboxes


def mail_store_dir(settings: Settings) -> Path:
    return settings.mail_store_dir or settings.data_dir / "mail"


def ingest_config(settings: Settings) -> IngestConfig:
    return IngestConfig(
        mail_domain=settings.mail_domain,
        max_message_bytes=settings.mail_max_bytes,
        max_attachment_bytes=settings.attachment_max_bytes,
        internal_language=settings.internal_language,
        ticket_id_prefix=settings.mail_ticket_prefix,
    )


def build_ingestor(
    settings: Settings,
    sessions: sessionmaker[Session],
    gateway: TicketGateway,
    connect: Callable[[], Awaitable[Client]] | None = None,
) -> EmailIngestor:
    """With `connect`, departments' answers to task mails go to their tasks (task_replies.py)."""
    from channels.email.task_replies import build_router
    from channels.email.task_token import task_signer_from_settings

    router = (
        build_router(task_signer_from_settings(settings), connect, settings.mail_domain) if connect else None
    )
    return EmailIngestor(
        sessions, gateway, MailStore(mail_store_dir(settings)), ingest_config(settings), task_replies=router
    )
