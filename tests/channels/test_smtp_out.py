"""Outgoing replies through a real aiosmtpd server on 127.0.0.1."""

import email.policy
from email import message_from_bytes

import pytest
from sqlalchemy.orm import Session, sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.channel_activities import ChannelActivities
from channels.email.smtp_out import SmtpMailer, TransientDeliveryFailure
from channels.outbound import OutgoingEmail, PermanentDeliveryFailure
from domain.channels import SendReplyRequest, SendState
from domain.ticket import Channel, Customer
from runtime.devserver import free_port
from store.tables import OutboundRow
from tests.channels.conftest import SmtpSink


def reply(**kw: object) -> OutgoingEmail:
    base: dict[str, object] = {
        "message_id": "<ticket-T1.3@lingodesk.test>",
        "to": "ahmed@alharbi-trading.sa",
        "to_name": "أحمد الحربي",
        "subject": "Re: استفسار عن الشحنة 88231 [#T1]",
        "text": "مرحبا أحمد،\n\nتم شحن طلبك <اليوم> & سيصل غدًا.",
        "language": "ar",
        "in_reply_to": "<orig@alharbi-trading.sa>",
        "references": ["<orig@alharbi-trading.sa>", "<ticket-T1.2@lingodesk.test>"],
        "ticket_token": "[#T1]",
    }
    base.update(kw)
    return OutgoingEmail.model_validate(base)


def parts(msg: email.message.Message) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in msg.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found[part.get_content_type()] = payload.decode(part.get_content_charset() or "utf-8")
    return found


def test_reply_is_threaded_bilingual_parts_and_escaped(smtp_sink: SmtpSink) -> None:
    smtp_sink.mailer(status_link=lambda ticket_id: f"https://help.example.com/status/tok-{ticket_id}").send(
        reply()
    )
    assert len(smtp_sink.received) == 1
    envelope = smtp_sink.envelopes[0]
    assert envelope.mail_from == "support@lingodesk.test" and envelope.rcpt_tos == [
        "ahmed@alharbi-trading.sa"
    ]
    msg = message_from_bytes(envelope.original_content or b"", policy=email.policy.default)
    assert msg["Message-ID"] == "<ticket-T1.3@lingodesk.test>"
    assert msg["In-Reply-To"] == "<orig@alharbi-trading.sa>"
    assert str(msg["References"]).split() == ["<orig@alharbi-trading.sa>", "<ticket-T1.2@lingodesk.test>"]
    assert str(msg["Subject"]) == "Re: استفسار عن الشحنة 88231 [#T1]"
    assert msg["Content-Language"] == "ar"
    assert msg["X-Lingodesk-Ticket"] == "T1"
    assert msg.get_content_type() == "multipart/alternative"
    body = parts(msg)
    assert set(body) == {"text/plain", "text/html"}
    assert "تم شحن طلبك <اليوم> & سيصل غدًا." in body["text/plain"]
    assert "https://help.example.com/status/tok-T1" in body["text/plain"]
    html = body["text/html"]
    assert '<html lang="ar" dir="rtl">' in html
    assert "&lt;اليوم&gt; &amp; سيصل" in html and "<اليوم>" not in html
    assert '<a href="https://help.example.com/status/tok-T1">' in html


def test_status_link_only_on_replies_to_customers(smtp_sink: SmtpSink) -> None:
    mailer = smtp_sink.mailer(
        status_link=lambda ticket_id: f"https://help.example.com/status/tok-{ticket_id}"
    )
    mailer.send(reply(message_id="<notify-abc123@lingodesk.test>", subject="[warning] sla_breach: ticket T1"))
    assert "/status/" not in parts(smtp_sink.received[0])["text/plain"]  # an internal alert


def test_token_is_added_once_and_long_reference_chains_are_trimmed(smtp_sink: SmtpSink) -> None:
    refs = [f"<m{i}@x.test>" for i in range(40)]
    smtp_sink.mailer().send(reply(subject="Re: question", references=refs, language="de", text="Danke"))
    msg = smtp_sink.received[0]
    assert msg["Subject"] == "Re: question [#T1]"
    kept = str(msg["References"]).split()
    assert len(kept) == 20 and kept[0] == "<m0@x.test>" and kept[-1] == "<m39@x.test>"


def test_5xx_is_permanent_4xx_and_network_errors_are_transient(smtp_sink: SmtpSink) -> None:
    smtp_sink.rcpt_reply = "550 5.1.1 <ahmed@alharbi-trading.sa>: User unknown"
    with pytest.raises(PermanentDeliveryFailure, match=r"550 5\.1\.1"):
        smtp_sink.mailer().send(reply())
    smtp_sink.rcpt_reply = None
    smtp_sink.data_reply = "451 4.3.0 Try again later"
    with pytest.raises(TransientDeliveryFailure, match="451"):
        smtp_sink.mailer().send(reply())
    smtp_sink.data_reply = "554 5.7.1 Message rejected as spam"
    with pytest.raises(PermanentDeliveryFailure, match="554"):
        smtp_sink.mailer().send(reply())
    with pytest.raises(TransientDeliveryFailure, match="connection"):
        SmtpMailer("127.0.0.1", free_port(), "support@lingodesk.test", security="none", timeout=5).send(
            reply()
        )
    with pytest.raises(PermanentDeliveryFailure, match="invalid reply headers"):
        smtp_sink.mailer().send(reply(to="a@b.test\r\nBcc: victim@example.com"))
    assert smtp_sink.received == []


def send_request(seq: int = 3) -> SendReplyRequest:
    return SendReplyRequest(
        ticket_id="T1",
        seq=seq,
        channel=Channel.EMAIL,
        customer=Customer(email="ahmed@alharbi-trading.sa", name="Ahmed"),
        subject="استفسار عن الشحنة 88231",
        text="تم الشحن.",
        language="ar",
        in_reply_to="<orig@alharbi-trading.sa>",
        references=["<orig@alharbi-trading.sa>"],
    )


def test_send_reply_activity_retry_does_not_send_twice(
    smtp_sink: SmtpSink, mail_sessions: sessionmaker[Session]
) -> None:
    acts = ChannelActivities(mail_sessions, smtp_sink.mailer(), mail_domain="lingodesk.test")
    env = ActivityEnvironment()
    first = env.run(acts.send_reply, send_request())
    again = env.run(acts.send_reply, send_request())
    assert first.state is SendState.SENT and first.message_id == "<ticket-T1.3@lingodesk.test>"
    assert again.already_sent and again.message_id == first.message_id
    assert len(smtp_sink.received) == 1
    sent = smtp_sink.received[0]
    assert sent["Message-ID"] == first.message_id and "[#T1]" in str(sent["Subject"])


def test_permanent_failure_is_recorded_and_not_retried(
    smtp_sink: SmtpSink, mail_sessions: sessionmaker[Session]
) -> None:
    smtp_sink.rcpt_reply = "550 5.1.1 User unknown"
    acts = ChannelActivities(mail_sessions, smtp_sink.mailer(), mail_domain="lingodesk.test")
    with pytest.raises(ApplicationError) as err:
        ActivityEnvironment().run(acts.send_reply, send_request(seq=5))
    assert err.value.non_retryable and err.value.type == "PermanentDeliveryFailure"
    with mail_sessions() as session:
        row = session.get(OutboundRow, ("T1", 5))
        assert row is not None and row.state == "failed" and "550" in row.detail


def test_transient_failure_leaves_the_row_pending_for_the_retry(
    smtp_sink: SmtpSink, mail_sessions: sessionmaker[Session]
) -> None:
    smtp_sink.data_reply = "421 4.7.0 Too many connections"
    acts = ChannelActivities(mail_sessions, smtp_sink.mailer(), mail_domain="lingodesk.test")
    with pytest.raises(TransientDeliveryFailure):
        ActivityEnvironment().run(acts.send_reply, send_request(seq=6))
    smtp_sink.data_reply = None
    result = ActivityEnvironment().run(acts.send_reply, send_request(seq=6))  # Temporal's retry
    assert result.state is SendState.SENT and not result.already_sent
    assert len(smtp_sink.received) == 1


def test_long_message_ids_stay_verbatim(smtp_sink: SmtpSink) -> None:
    outlook = "<AM9PR07MB7186C0A1B2C3D4E5F6A7B8C9D0E1F2A3@AM9PR07MB7186.eurprd07.prod.outlook.com>"
    refs = [outlook, *(f"<{'x' * 60}.{i}@long.example.com>" for i in range(15))]
    smtp_sink.mailer().send(reply(in_reply_to=outlook, references=refs))
    raw = smtp_sink.envelopes[0].original_content or b""
    assert f"In-Reply-To: {outlook}".encode() in raw
    msg = smtp_sink.received[0]
    assert str(msg["References"]).split() == refs and "=?" not in str(msg["References"])
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
