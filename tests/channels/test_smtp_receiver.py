"""Receiving by SMTP: our aiosmtpd receiver on 127.0.0.1, fed by a real SMTP client (aiosmtplib)."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiosmtplib
import pytest
from sqlalchemy import select

from channels.email.attachments import MailStore
from channels.email.config import MailboxConfig
from channels.email.ingest import EmailIngestor
from channels.email.parse import parse_email
from channels.email.smtp_receiver import start_smtp_receiver
from runtime.devserver import free_port
from store.tables import InboundEmailRow, RejectedEmailRow
from tests.channels.conftest import MailStack, ingest_config, sample
from tests.channels.helpers import DownGateway, count_tickets, eventually, ticket_row, wait_for_messages


async def receiver(ingestor: EmailIngestor) -> tuple[asyncio.Server, MailboxConfig]:
    mailbox = MailboxConfig(
        name="intake",
        kind="smtp",
        host="127.0.0.1",
        port=free_port(),
        recipients=["support@lingodesk.test", "@help.lingodesk.test"],
    )
    return await start_smtp_receiver(ingestor, mailbox), mailbox


@pytest.fixture
async def smtp_in(mail_stack: MailStack) -> AsyncIterator[MailboxConfig]:
    server, mailbox = await receiver(mail_stack.ingestor)
    yield mailbox
    server.close()
    await server.wait_closed()


async def send(mailbox: MailboxConfig, raw: bytes, to: str = "support@lingodesk.test") -> tuple[dict, str]:  # type: ignore[type-arg]
    return await aiosmtplib.send(
        raw,
        sender="customer@example.com",
        recipients=[to],
        hostname=mailbox.host,
        port=mailbox.effective_port(),
        timeout=30,
    )


async def test_mail_received_by_smtp_becomes_a_ticket_once(
    mail_stack: MailStack, smtp_in: MailboxConfig
) -> None:
    _, reply = await send(smtp_in, sample("ja_iso2022jp.eml"))
    assert reply.startswith("2.0.0")
    _, again = await send(smtp_in, sample("ja_iso2022jp.eml"), to="orders@help.lingodesk.test")
    assert again.startswith("2.0.0")  # accepted, recognised as a duplicate
    parsed = parse_email(sample("ja_iso2022jp.eml"))
    with mail_stack.sessions() as session:
        row = session.get(InboundEmailRow, parsed.message_id)
        assert row is not None and row.mailbox == "intake" and row.state == "delivered" and row.ticket_id
        ticket_id = row.ticket_id
    await eventually(lambda: ticket_row(mail_stack.sessions, ticket_id), "ticket projected")
    rows = await wait_for_messages(mail_stack.sessions, ticket_id, 1)
    assert rows[0].original_text == parsed.new_text
    assert count_tickets(mail_stack.sessions) == 1

    _, ignored = await send(smtp_in, sample("auto_reply_ooo.eml"))
    assert ignored.startswith("2.0.0") and count_tickets(mail_stack.sessions) == 1


async def test_unknown_recipients_are_refused(smtp_in: MailboxConfig) -> None:
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as err:
        await send(smtp_in, sample("zh_gb18030.eml"), to="someone@elsewhere.example")
    assert err.value.recipients[0].code == 550


async def test_oversized_mail_is_kept_and_recorded_or_refused(mail_stack: MailStack) -> None:
    small = EmailIngestor(
        mail_stack.sessions,
        mail_stack.gateway,
        MailStore(mail_stack.store_root),
        ingest_config(mail_stack.prefix, max_message_bytes=3000),
    )
    server, mailbox = await receiver(small)
    try:
        _, reply = await send(mailbox, sample("en_attachment_inline.eml"))  # 5 KB: over the limit, under 2x
        assert reply.startswith("2.0.0")
        with mail_stack.sessions() as session:
            rejected = session.scalars(select(RejectedEmailRow)).one()
        assert "too large" in rejected.reason and rejected.mailbox == "intake"
        kept = Path(rejected.raw_path).read_bytes()  # nothing lost: the raw mail is on disk
        assert kept.replace(b"\r\n", b"\n") == sample("en_attachment_inline.eml").replace(b"\r\n", b"\n")
        huge = sample("de_outlook_html.eml") + b"x" * 7000 + b"\r\n"
        with pytest.raises(aiosmtplib.SMTPResponseException) as err:  # over the hard cap: never read in full
            await send(mailbox, huge)
        assert err.value.code == 552
    finally:
        server.close()
        await server.wait_closed()
    assert count_tickets(mail_stack.sessions) == 0


async def test_unreachable_ticket_service_answers_451_so_the_sender_retries(mail_stack: MailStack) -> None:
    down = EmailIngestor(
        mail_stack.sessions, DownGateway(), MailStore(mail_stack.store_root), ingest_config(mail_stack.prefix)
    )
    server, mailbox = await receiver(down)
    try:
        with pytest.raises(aiosmtplib.SMTPResponseException) as err:
            await send(mailbox, sample("ko_ks_c_5601.eml"))
        assert err.value.code == 451
    finally:
        server.close()
        await server.wait_closed()
    # The sender's retry, once the service is back, creates the ticket.
    server, mailbox = await receiver(mail_stack.ingestor)
    try:
        _, reply = await send(mailbox, sample("ko_ks_c_5601.eml"))
        assert reply.startswith("2.0.0")
    finally:
        server.close()
        await server.wait_closed()
    assert await eventually(lambda: count_tickets(mail_stack.sessions) == 1, "ticket after the retry")
