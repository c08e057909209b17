"""Inbound mail end to end: real TicketWorkflow on the dev server, real store (SQLite), fake NLP."""

import hashlib
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from channels.email.attachments import MailStore
from channels.email.ingest import EmailIngestor, IngestAction, TransientIngestError
from channels.email.parse import parse_email
from channels.email.threading import clean_subject, ticket_id_for_new_thread
from channels.signing import signer_from_settings
from domain.actions import AssignRequest, ReplyRequest
from domain.ids import ticket_workflow_id
from domain.ticket import TicketState
from store.tables import InboundEmailRow, MessageRow, NotificationRow, RejectedEmailRow
from tests.channels.conftest import MailStack, ingest_config, sample
from tests.channels.helpers import (
    DownGateway,
    count_tickets,
    eventually,
    has_event,
    messages,
    ticket_row,
    update_when_ready,
    wait_for_messages,
)

NEW_THREADS = [
    "de_outlook_html.eml",
    "ja_iso2022jp.eml",
    "ar_windows1256.eml",
    "th_tis620_new.eml",
    "zh_gb18030.eml",
    "en_attachment_inline.eml",
    "ko_ks_c_5601.eml",
    "es_gmail_html.eml",
]


def mail(message_id: str, subject: str, body: str, headers: str = "") -> bytes:
    return (
        f"From: Somsri <somsri@somsri-trading.co.th>\r\nTo: support@lingodesk.test\r\nSubject: {subject}\r\n"
        f"Message-ID: {message_id}\r\n{headers}MIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    ).encode()


async def snapshot(stack: MailStack, ticket_id: str) -> TicketState:
    handle = stack.env.client.get_workflow_handle(ticket_workflow_id(ticket_id))
    state: TicketState = await handle.query("get_snapshot", result_type=TicketState)
    return state


async def test_real_world_samples_become_tickets(mail_stack: MailStack) -> None:
    ingest = mail_stack.ingestor.ingest
    outcomes = {name: await ingest(sample(name), "support") for name in NEW_THREADS}
    outcomes |= {
        name: await ingest(sample(name), "support")
        for name in (
            "th_tis620_reply.eml",
            "bounce_dsn.eml",
            "auto_reply_ooo.eml",
            "malformed_no_headers.eml",
        )
    }

    for name in NEW_THREADS:
        parsed = parse_email(sample(name))
        assert outcomes[name].action is IngestAction.NEW_TICKET, name
        assert outcomes[name].ticket_id == ticket_id_for_new_thread(parsed.message_id, mail_stack.prefix)
    thai = outcomes["th_tis620_new.eml"].ticket_id
    assert (outcomes["th_tis620_reply.eml"].action, outcomes["th_tis620_reply.eml"].ticket_id) == (
        IngestAction.FOLLOW_UP,
        thai,
    )
    assert outcomes["bounce_dsn.eml"].action is IngestAction.IGNORED
    assert outcomes["auto_reply_ooo.eml"].action is IngestAction.IGNORED
    assert outcomes["malformed_no_headers.eml"].action is IngestAction.REJECTED

    for name in NEW_THREADS:
        parsed = parse_email(sample(name))
        ticket_id = outcomes[name].ticket_id
        assert ticket_id is not None
        row = await eventually(partial(ticket_row, mail_stack.sessions, ticket_id), f"ticket of {name}")
        assert (row.channel, row.subject, row.customer_email) == (
            "email",
            clean_subject(parsed.subject),
            parsed.customer_address,
        )
        first = (await wait_for_messages(mail_stack.sessions, ticket_id, 1))[0]
        assert first.original_text == parsed.new_text and first.external_message_id == parsed.message_id
    assert thai is not None
    thread = await wait_for_messages(mail_stack.sessions, thai, 2)
    assert thread[1].original_text == "ได้รับสินค้าแล้วค่ะ แต่กล่องเสียหายหนึ่งกล่อง ต้องทำอย่างไรคะ\n\nสมศรี"
    assert "เขียนว่า" not in thread[1].original_text  # quoted history stays out of the ticket
    assert count_tickets(mail_stack.sessions) == len(NEW_THREADS)  # no ticket from bounce/auto-reply/junk

    # Attachments: content on disk (content-addressed), only metadata in the workflow.
    state = await snapshot(mail_stack, outcomes["en_attachment_inline.eml"].ticket_id or "")
    metas = {a.filename: a for a in state.attachments}
    assert set(metas) == {"image001.png", "Rechnung März.pdf", "carton.jpg"}
    assert (
        metas["image001.png"].inline and metas["image001.png"].content_id == "image001.png@01DB6A1C.3E4F5A60"
    )
    for meta in metas.values():
        assert meta.storage_path and Path(meta.storage_path).is_relative_to(mail_stack.store_root)
        assert hashlib.sha256(Path(meta.storage_path).read_bytes()).hexdigest() == meta.sha256

    with mail_stack.sessions() as session:
        states = {r.message_id: (r.kind, r.state) for r in session.scalars(select(InboundEmailRow))}
        assert states[parse_email(sample("bounce_dsn.eml")).message_id] == ("bounce", "ignored")
        assert states[parse_email(sample("auto_reply_ooo.eml")).message_id] == ("auto_reply", "ignored")
        assert sum(1 for _, state in states.values() if state == "delivered") == len(NEW_THREADS) + 1
        rejected = session.scalars(select(RejectedEmailRow)).one()
        assert "malformed" in rejected.reason
        assert Path(rejected.raw_path).read_bytes() == sample("malformed_no_headers.eml")  # nothing lost
        alert = session.scalars(
            select(NotificationRow).where(NotificationRow.kind == "delivery_failed")
        ).one()
        assert alert.ticket_id == "20250117-ABC123" and "5.1.1" in alert.summary


async def test_duplicate_delivery_makes_one_ticket_and_one_message(mail_stack: MailStack) -> None:
    ingest = mail_stack.ingestor.ingest
    first = await ingest(sample("th_tis620_new.eml"))
    ticket_id = first.ticket_id or ""
    assert (await ingest(sample("th_tis620_new.eml"))).action is IngestAction.DUPLICATE
    assert (await ingest(sample("th_tis620_reply.eml"))).action is IngestAction.FOLLOW_UP
    assert (await ingest(sample("th_tis620_reply.eml"))).action is IngestAction.DUPLICATE

    # Even without the inbound_emails rows (a restore, a second installation), the deterministic
    # ticket id and the workflow's message_id dedup keep one ticket and one message.
    ids = [parse_email(sample(n)).message_id for n in ("th_tis620_new.eml", "th_tis620_reply.eml")]
    with mail_stack.sessions.begin() as session:
        session.execute(delete(InboundEmailRow).where(InboundEmailRow.message_id.in_(ids)))
    assert (await ingest(sample("th_tis620_new.eml"))).ticket_id == ticket_id
    assert (await ingest(sample("th_tis620_reply.eml"))).action is IngestAction.FOLLOW_UP
    # A distinct later message: once it is projected, the duplicate signal before it was handled.
    later = await ingest(
        mail("<th-003@somsri-trading.co.th>", "Re: ok", "ขอบคุณค่ะ", f"In-Reply-To: {ids[1]}\r\n")
    )
    assert (later.action, later.ticket_id) == (IngestAction.FOLLOW_UP, ticket_id)
    rows = await wait_for_messages(mail_stack.sessions, ticket_id, 3)
    assert [r.external_message_id for r in rows] == [*ids, "<th-003@somsri-trading.co.th>"]
    assert count_tickets(mail_stack.sessions) == 1


async def test_threading_by_subject_token_and_by_our_message_id(mail_stack: MailStack) -> None:
    ingest = mail_stack.ingestor.ingest
    ticket_id = (await ingest(sample("ja_iso2022jp.eml"))).ticket_id
    # The customer's client dropped In-Reply-To/References; the subject token still threads it.
    by_token = await ingest(
        mail("<tok-1@example.jp>", f"Re: 製品の不具合 [#{ticket_id}]", "追加の写真です。")
    )
    assert (by_token.action, by_token.ticket_id) == (IngestAction.FOLLOW_UP, ticket_id)
    # A reply to one of our outgoing Message-IDs threads even before any row mentions it.
    by_ours = await ingest(
        mail(
            "<ours-1@example.jp>",
            "Re: x",
            "了解しました。",
            f"In-Reply-To: <ticket-{ticket_id}.9@lingodesk.test>\r\n",
        )
    )
    assert (by_ours.action, by_ours.ticket_id) == (IngestAction.FOLLOW_UP, ticket_id)
    # A token for a ticket we do not know is not trusted: a new ticket.
    unknown = await ingest(mail("<tok-2@example.jp>", "Re: [#NOPE123]", "別件です。"))
    assert unknown.action is IngestAction.NEW_TICKET and unknown.ticket_id != ticket_id
    await wait_for_messages(mail_stack.sessions, ticket_id or "", 3)


async def test_agent_reply_goes_out_threaded_and_the_answer_comes_back(mail_stack: MailStack) -> None:
    parsed = parse_email(sample("de_outlook_html.eml"))
    ticket_id = (await mail_stack.ingestor.ingest(sample("de_outlook_html.eml"))).ticket_id or ""
    handle = mail_stack.env.client.get_workflow_handle(ticket_workflow_id(ticket_id))
    await update_when_ready(handle, "assign", AssignRequest(agent_id="lukas.meyer", by="zhang.min"))
    await handle.execute_update(
        "reply", ReplyRequest(agent_id="lukas.meyer", text="请检查 <控制板> & 重启。")
    )
    sent = await eventually(lambda: mail_stack.sink.received[:1], "the reply at the SMTP server")
    msg = sent[0]
    assert msg["In-Reply-To"] == parsed.message_id and parsed.message_id in str(msg["References"])
    assert f"[#{ticket_id}]" in str(msg["Subject"]) and msg["Content-Language"] == "de"
    assert msg["To"] == '"Weber, Klaus" <k.weber@mueller-maschinenbau.de>'
    bodies = {
        p.get_content_type(): bytes(p.get_payload(decode=True)).decode()
        for p in msg.walk()
        if not p.is_multipart()
    }
    assert "[de] 请检查 <控制板> & 重启。" in bodies["text/plain"]
    assert "&lt;控制板&gt; &amp; 重启" in bodies["text/html"] and "<控制板>" not in bodies["text/html"]
    # The footer links to the customer's status page with a token signed for this ticket.
    link = next(
        w for w in bodies["text/plain"].split() if w.startswith("https://help.lingodesk.test/status/")
    )
    signer = signer_from_settings(mail_stack.settings)
    assert signer is not None and signer.verify(link.rsplit("/", 1)[1]) == ticket_id

    answer = mail(
        "<answer-1@mueller-maschinenbau.de>",
        f"RE: {msg['Subject']}",
        "Danke, es läuft wieder.",
        f"In-Reply-To: {msg['Message-ID']}\r\nReferences: {parsed.message_id} {msg['Message-ID']}\r\n",
    )
    back = await mail_stack.ingestor.ingest(answer)
    assert (back.action, back.ticket_id) == (IngestAction.FOLLOW_UP, ticket_id)
    await wait_for_messages(mail_stack.sessions, ticket_id, 3)

    def reply_sent() -> list[MessageRow] | None:
        rows = messages(mail_stack.sessions, ticket_id)
        return rows if rows[1].delivery == "sent" else None

    rows = await eventually(reply_sent, "reply recorded as sent")
    assert [r.direction for r in rows] == ["inbound", "outbound", "inbound"]
    assert rows[1].external_message_id == msg["Message-ID"]


async def test_follow_up_to_an_ended_ticket_opens_a_linked_new_one(mail_stack: MailStack) -> None:
    old = (await mail_stack.ingestor.ingest(sample("th_tis620_new.eml"))).ticket_id or ""
    await eventually(lambda: ticket_row(mail_stack.sessions, old), "first ticket projected")
    await mail_stack.env.client.get_workflow_handle(ticket_workflow_id(old)).terminate(
        "test: ticket archived"
    )
    outcome = await mail_stack.ingestor.ingest(sample("th_tis620_reply.eml"))
    assert outcome.action is IngestAction.NEW_TICKET and outcome.ticket_id != old
    state = await snapshot(mail_stack, outcome.ticket_id or "")
    assert state.external_ids["follow_up_of"] == old


async def test_unreachable_temporal_keeps_the_mail_for_a_later_retry(mail_stack: MailStack) -> None:
    down = EmailIngestor(
        mail_stack.sessions, DownGateway(), MailStore(mail_stack.store_root), ingest_config(mail_stack.prefix)
    )
    with pytest.raises(TransientIngestError):
        await down.ingest(sample("zh_gb18030.eml"))
    message_id = parse_email(sample("zh_gb18030.eml")).message_id
    with mail_stack.sessions() as session:
        row = session.get(InboundEmailRow, message_id)
        assert row is not None and row.state == "pending" and Path(row.raw_path).exists()
    retried = await mail_stack.ingestor.ingest(sample("zh_gb18030.eml"))
    assert (retried.action, retried.ticket_id) == (
        IngestAction.NEW_TICKET,
        ticket_id_for_new_thread(message_id, mail_stack.prefix),
    )
    await eventually(
        lambda: ticket_row(mail_stack.sessions, retried.ticket_id or ""), "ticket after the retry"
    )


async def test_size_limits(mail_stack: MailStack) -> None:
    small = EmailIngestor(
        mail_stack.sessions,
        mail_stack.gateway,
        MailStore(mail_stack.store_root),
        ingest_config(mail_stack.prefix, max_message_bytes=4000, max_attachment_bytes=100),
    )
    too_big = await small.ingest(sample("en_attachment_inline.eml"))
    assert too_big.action is IngestAction.REJECTED and "too large" in too_big.reason
    limited = EmailIngestor(
        mail_stack.sessions,
        mail_stack.gateway,
        MailStore(mail_stack.store_root),
        ingest_config(mail_stack.prefix, max_attachment_bytes=100),
    )
    outcome = await limited.ingest(sample("en_attachment_inline.eml"))
    assert outcome.action is IngestAction.NEW_TICKET
    metas = {a.filename: a for a in (await snapshot(mail_stack, outcome.ticket_id or "")).attachments}
    assert metas["image001.png"].storage_path  # 69 bytes: kept
    assert metas["Rechnung März.pdf"].storage_path is None and "limit" in metas["Rechnung März.pdf"].detail
    assert metas["Rechnung März.pdf"].size == 193


async def test_oversized_body_becomes_a_ticket_with_the_text_cut_and_the_original_kept(
    mail_stack: MailStack,
) -> None:
    """A 3 MB body fits the 25 MB message limit but not a Temporal payload: the ticket opens with the
    text cut at max_body_bytes (saying so), and the whole e-mail stays stored; it is never retried forever."""
    body = ("Der Lüfter der X200 ist defekt. " * 100_000)[:3_000_000]
    raw = mail("<huge-body@somsri-trading.co.th>", "Lüfter defekt", body)
    outcome = await mail_stack.ingestor.ingest(raw, "support")
    assert outcome.action is IngestAction.NEW_TICKET, outcome
    state = await snapshot(mail_stack, outcome.ticket_id or "")
    text = state.messages[0].original_text
    assert text.startswith("Der Lüfter der X200 ist defekt.")
    assert "message truncated: " in text and "limit 262144" in text
    assert len(text.encode("utf-8")) < 262144 + 300
    with mail_stack.sessions() as session:
        row = session.execute(
            select(InboundEmailRow).where(InboundEmailRow.message_id == "<huge-body@somsri-trading.co.th>")
        ).scalar_one()
    assert Path(row.raw_path).read_bytes() == raw  # nothing lost: the complete original is on disk
    assert "body truncated" in (row.detail or "")


async def test_refused_reply_is_recorded_on_the_ticket_and_alerts_the_agent(mail_stack: MailStack) -> None:
    ticket_id = (await mail_stack.ingestor.ingest(sample("ko_ks_c_5601.eml"))).ticket_id or ""
    handle = mail_stack.env.client.get_workflow_handle(ticket_workflow_id(ticket_id))
    await update_when_ready(handle, "assign", AssignRequest(agent_id="lukas.meyer", by="zhang.min"))
    mail_stack.sink.rcpt_reply = "550 5.1.1 <minsu.kim@hanbit-trade.co.kr>: User unknown"
    await handle.execute_update("reply", ReplyRequest(agent_id="lukas.meyer", text="我们已经发货。"))
    await eventually(
        lambda: has_event(mail_stack.sessions, ticket_id, "delivery_failed"), "delivery_failed event"
    )

    def alert() -> NotificationRow | None:
        with mail_stack.sessions() as session:
            stmt = select(NotificationRow).where(
                NotificationRow.ticket_id == ticket_id, NotificationRow.kind == "delivery_failed"
            )
            return session.scalars(stmt).first()

    found = await eventually(alert, "delivery_failed alert")
    assert found.recipients == ["lukas.meyer"] and "550" in found.summary

    def reply_failed() -> list[MessageRow] | None:
        rows = messages(mail_stack.sessions, ticket_id)
        return rows if len(rows) > 1 and rows[1].delivery == "failed" else None

    rows = await eventually(reply_failed, "reply marked failed")
    assert "550 5.1.1" in rows[1].delivery_detail and mail_stack.sink.received == []
