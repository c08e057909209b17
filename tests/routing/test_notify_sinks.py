"""Alert sinks: signed webhook, e-mail to agents, and their wiring into the `notify` activity."""

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from temporalio.testing import ActivityEnvironment

from activities.store_activities import StoreActivities
from channels.notify_sinks import (
    EmailSink,
    Notification,
    NotifySettings,
    RetryableNotifyFailure,
    WebhookSink,
    build_sinks,
    deliver_all,
    signature,
)
from channels.outbound import OutgoingEmail, PermanentDeliveryFailure
from domain.store_io import NotifyRequest
from store.agents import address_book
from store.db import make_engine, make_session_factory
from store.seed import seed_demo
from store.tables import Base, NotificationRow

NOTE = Notification(notification_id="run-1:7", ticket_id="T-1", kind="escalation",
                    recipients=["maria.santos"], summary="SLA first_reply breached: escalated to supervisor",
                    severity="critical",
                    created_at=datetime(2026, 11, 17, 3, 0, tzinfo=UTC))


class Receiver(BaseHTTPRequestHandler):
    status = 200
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append(({k: v for k, v in self.headers.items()}, body))
        self.send_response(Receiver.status)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    Receiver.received, Receiver.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/lingodesk"
    server.shutdown()
    server.server_close()


class FakeMailer:
    def __init__(self, fail: Exception | None = None) -> None:
        self.sent: list[OutgoingEmail] = []
        self.fail = fail

    def send(self, email: OutgoingEmail) -> None:
        if self.fail is not None:
            raise self.fail
        self.sent.append(email)


def test_webhook_posts_signed_json(webhook: str) -> None:
    WebhookSink(webhook, secret="s3cret").deliver(NOTE)
    ((headers, body),) = Receiver.received
    assert json.loads(body)["recipients"] == ["maria.santos"]
    assert headers["Idempotency-Key"] == "run-1:7" and headers["X-Lingodesk-Event"] == "escalation"
    assert headers["X-Lingodesk-Signature"] == signature("s3cret", body)


def test_webhook_errors_retry_only_when_it_can_help(webhook: str) -> None:
    Receiver.status = 503
    with pytest.raises(RetryableNotifyFailure, match="503"):
        WebhookSink(webhook).deliver(NOTE)
    Receiver.status = 404
    WebhookSink(webhook).deliver(NOTE)  # logged, not retried: a wrong URL will not fix itself
    with pytest.raises(RetryableNotifyFailure, match="unreachable"):
        WebhookSink("http://127.0.0.1:9/", timeout_s=2).deliver(NOTE)


def test_email_sink_mails_agents_only_for_alert_kinds() -> None:
    mailer = FakeMailer()
    sink = EmailSink(mailer, lambda ids: {i: f"{i}@corp.example" for i in ids if "." in i},
                     kinds=["escalation"])
    sink.deliver(NOTE.model_copy(update={"recipients": ["maria.santos", "supervisor"]}))
    sink.deliver(NOTE.model_copy(update={"kind": "new_message"}))
    (mail,) = mailer.sent
    assert mail.to == "maria.santos@corp.example" and "[critical] escalation: ticket T-1" in mail.subject
    assert mail.message_id == sink.message_id(NOTE, "maria.santos@corp.example")  # stable across retries
    EmailSink(FakeMailer(PermanentDeliveryFailure("550")), lambda ids: {"a": "a@x"}).deliver(NOTE)
    with pytest.raises(RetryableNotifyFailure):
        EmailSink(FakeMailer(OSError("down")), lambda ids: {"a": "a@x"}).deliver(NOTE)


def test_one_failing_sink_does_not_starve_the_others(webhook: str) -> None:
    broken = EmailSink(FakeMailer(OSError("down")), lambda ids: {"a": "a@x"})
    with pytest.raises(RetryableNotifyFailure, match="email"):
        deliver_all([broken, WebhookSink(webhook)], NOTE)
    assert len(Receiver.received) == 1


def test_settings_build_sinks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINGODESK_NOTIFY_WEBHOOK_URL", "http://hooks.example/x")
    monkeypatch.setenv("LINGODESK_NOTIFY_EMAIL", "true")
    sinks = build_sinks(NotifySettings(), FakeMailer(), lambda ids: {}, "lingodesk.local")
    assert [s.name for s in sinks] == ["webhook", "email"]
    without_smtp = build_sinks(NotifySettings(), None, lambda ids: {}, "x")
    assert [s.name for s in without_smtp] == ["webhook"]  # mail alerts need a mailer


def test_notify_activity_records_then_delivers(tmp_path: Path, webhook: str) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'n.db'}")
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    seed_demo(sessions)
    mailer = FakeMailer()
    store = StoreActivities(sessions, sinks=[WebhookSink(webhook), EmailSink(mailer, address_book(sessions))])
    req = NotifyRequest(ticket_id="T-9", kind="sla_warning", recipients=["somchai.k", "supervisor"],
                        summary="SLA first_reply due soon", severity="warning")
    ActivityEnvironment().run(store.notify, req)
    with sessions.begin() as session:
        (row,) = session.query(NotificationRow).all()
        assert row.kind == "sla_warning" and row.recipients == ["somchai.k", "supervisor"]
    assert json.loads(Receiver.received[0][1])["notification_id"] == row.notification_id
    assert [m.to for m in mailer.sent] == ["somchai.k@lingodesk.local"]
