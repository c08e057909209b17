"""IMAP polling against a real dovecot on 127.0.0.1 (skipped where dovecot is not installed)."""

import asyncio
import uuid
from collections.abc import Iterator

import pytest
from imap_tools import A, MailBoxUnencrypted, MailMessageFlags
from sqlalchemy import select

from channels.email.attachments import MailStore
from channels.email.config import MailboxConfig
from channels.email.imap_poller import ImapPoller
from channels.email.ingest import EmailIngestor, IngestAction
from channels.email.parse import parse_email
from store.tables import InboundEmailRow, MailboxCursorRow, RejectedEmailRow
from tests.channels.conftest import Dovecot, MailStack, ingest_config, sample
from tests.channels.helpers import DownGateway, count_tickets, eventually

SAMPLES = [
    "de_outlook_html.eml",
    "ja_iso2022jp.eml",
    "malformed_no_headers.eml",
    "bounce_dsn.eml",
    "th_tis620_new.eml",
    "th_tis620_reply.eml",
]


@pytest.fixture
def folder(dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Dovecot, str]]:
    """A fresh IMAP folder per test on the session's dovecot; the password comes from the env."""
    monkeypatch.setenv("LINGODESK_TEST_IMAP_PASSWORD", dovecot.password)
    name = f"T{uuid.uuid4().hex[:8]}"
    with MailBoxUnencrypted(dovecot.host, dovecot.port).login(dovecot.user, dovecot.password) as box:
        box.folder.create(name)
    yield dovecot, name


def mailbox_config(server: Dovecot, folder: str, **kw: object) -> MailboxConfig:
    return MailboxConfig.model_validate(
        {
            "name": f"imap-{folder}",
            "kind": "imap",
            "host": server.host,
            "port": server.port,
            "security": "none",
            "username": server.user,
            "password_env": "LINGODESK_TEST_IMAP_PASSWORD",
            "folder": folder,
            "poll_interval_s": 1,
            "timeout_s": 10,
            **kw,
        }
    )


def append(server: Dovecot, folder: str, *names: str, raw: bytes | None = None) -> None:
    with MailBoxUnencrypted(server.host, server.port).login(server.user, server.password, folder) as box:
        for name in names:
            box.append(sample(name), folder)
        if raw is not None:
            box.append(raw, folder)


def seen_flags(server: Dovecot, folder: str) -> list[bool]:
    with MailBoxUnencrypted(server.host, server.port).login(server.user, server.password, folder) as box:
        return [
            MailMessageFlags.SEEN in m.flags
            for m in box.fetch(A(all=True), mark_seen=False, headers_only=True)
        ]


async def test_poll_ingests_every_mail_once_and_keeps_going(
    mail_stack: MailStack, folder: tuple[Dovecot, str]
) -> None:
    server, name = folder
    append(server, name, *SAMPLES)
    poller = ImapPoller(mailbox_config(server, name), mail_stack.ingestor, mail_stack.sessions)
    try:
        stats = await poller.poll_once()
        assert (stats.seen, stats.handled, stats.deferred) == (len(SAMPLES), len(SAMPLES), 0)
        actions = [o.action for o in stats.outcomes]
        assert actions == [
            IngestAction.NEW_TICKET,
            IngestAction.NEW_TICKET,
            IngestAction.REJECTED,
            IngestAction.IGNORED,
            IngestAction.NEW_TICKET,
            IngestAction.FOLLOW_UP,
        ]
        # The raw bytes from the server are what was parsed (the Thai reply threads to its ticket).
        assert stats.outcomes[5].ticket_id == stats.outcomes[4].ticket_id
        assert all(seen_flags(server, name))

        again = await poller.poll_once()  # the cursor: nothing is read twice
        assert (again.seen, again.outcomes) == (0, [])
        append(server, name, "zh_gb18030.eml", "ja_iso2022jp.eml")  # one new mail, one re-delivery
        later = await poller.poll_once()
        assert [o.action for o in later.outcomes] == [IngestAction.NEW_TICKET, IngestAction.DUPLICATE]
    finally:
        await poller.close()
    await eventually(lambda: count_tickets(mail_stack.sessions) == 4, "four tickets projected")
    with mail_stack.sessions() as session:
        cursor = session.get(MailboxCursorRow, f"imap-{name}")
        assert cursor is not None and cursor.last_uid == len(SAMPLES) + 2
        assert session.scalars(select(RejectedEmailRow)).one().mailbox == f"imap-{name}"


async def test_unreachable_ticket_service_leaves_mail_for_the_next_poll(
    mail_stack: MailStack, folder: tuple[Dovecot, str]
) -> None:
    server, name = folder
    append(server, name, "ko_ks_c_5601.eml", "zh_gb18030.eml")
    down = EmailIngestor(
        mail_stack.sessions, DownGateway(), MailStore(mail_stack.store_root), ingest_config(mail_stack.prefix)
    )
    poller = ImapPoller(mailbox_config(server, name), down, mail_stack.sessions)
    try:
        stats = await poller.poll_once()
        assert (stats.handled, stats.deferred) == (0, 2)
    finally:
        await poller.close()
    assert not any(seen_flags(server, name))
    poller = ImapPoller(mailbox_config(server, name), mail_stack.ingestor, mail_stack.sessions)
    try:
        stats = await poller.poll_once()
        assert [o.action for o in stats.outcomes] == [IngestAction.NEW_TICKET, IngestAction.NEW_TICKET]
    finally:
        await poller.close()


async def test_mail_far_over_the_limit_stays_on_the_server(
    mail_stack: MailStack, folder: tuple[Dovecot, str]
) -> None:
    server, name = folder
    append(server, name, "en_attachment_inline.eml", "ja_iso2022jp.eml")  # ~5 KB and < 1 KB
    small = EmailIngestor(
        mail_stack.sessions,
        mail_stack.gateway,
        MailStore(mail_stack.store_root),
        ingest_config(mail_stack.prefix, max_message_bytes=1000),
    )
    poller = ImapPoller(mailbox_config(server, name), small, mail_stack.sessions)
    try:
        stats = await poller.poll_once()
    finally:
        await poller.close()
    assert stats.handled == 2 and [o.action for o in stats.outcomes] == [IngestAction.NEW_TICKET]
    with mail_stack.sessions() as session:
        rejected = session.scalars(select(RejectedEmailRow)).one()
    assert "left on the IMAP server" in rejected.reason and rejected.raw_path == ""
    with MailBoxUnencrypted(server.host, server.port).login(server.user, server.password, name) as box:
        big = next(box.fetch(A(uid="1"), mark_seen=False, headers_only=True))
        assert MailMessageFlags.FLAGGED in big.flags


async def test_run_forever_picks_up_new_mail_and_stops(
    mail_stack: MailStack, folder: tuple[Dovecot, str]
) -> None:
    server, name = folder
    poller = ImapPoller(mailbox_config(server, name), mail_stack.ingestor, mail_stack.sessions)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run_forever(stop))
    append(server, name, "ar_windows1256.eml")
    message_id = parse_email(sample("ar_windows1256.eml")).message_id

    def delivered() -> bool:
        with mail_stack.sessions() as session:
            row = session.get(InboundEmailRow, message_id)
            return row is not None and row.state == "delivered"

    await eventually(delivered, "mail picked up by the running poller")
    stop.set()
    await asyncio.wait_for(task, timeout=60)


async def test_bad_credentials_do_not_crash_the_loop(
    mail_stack: MailStack, folder: tuple[Dovecot, str]
) -> None:
    server, name = folder
    config = mailbox_config(server, name).model_copy(update={"password_env": "LINGODESK_TEST_NO_SUCH_VAR"})
    poller = ImapPoller(config, mail_stack.ingestor, mail_stack.sessions)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run_forever(stop))
    with pytest.raises(RuntimeError, match="not set"):
        await poller.poll_once()  # the same error the loop meets, and survives
    assert not task.done()
    stop.set()
    await asyncio.wait_for(task, timeout=60)
