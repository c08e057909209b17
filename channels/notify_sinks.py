"""Where SLA warnings, escalations and other alerts go besides the console's alert list.

The `notify` activity records every notification in SQL first (the console's alert list),
then hands it to these sinks: an e-mail to each recipient agent and/or a JSON webhook (chat
bridges, paging). Delivery is at-least-once: a retried activity may deliver again, so each
delivery carries the notification id (webhook `Idempotency-Key`, e-mail `Message-ID`).
Configuration comes from the environment (`NotifySettings`), never from activity inputs.
"""

import hashlib
import hmac
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from channels.outbound import Mailer, OutgoingEmail, PermanentDeliveryFailure

log = logging.getLogger("lingodesk.notify")


class Notification(BaseModel):
    notification_id: str
    ticket_id: str
    kind: str
    recipients: list[str] = Field(default_factory=list)
    summary: str
    severity: str = "info"
    created_at: datetime
    task_id: str | None = None  # set on a collaboration task's notices


class NotifySink(Protocol):
    name: str

    def deliver(self, notification: Notification) -> None:
        """Deliver once; raise `RetryableNotifyFailure` when trying again may help."""


class RetryableNotifyFailure(Exception):
    """The sink could not deliver now (network, 5xx, 429); the activity retries."""


class NotifySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    webhook_url: str | None = Field(None, alias="LINGODESK_NOTIFY_WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(None, alias="LINGODESK_NOTIFY_WEBHOOK_SECRET")
    webhook_timeout_s: float = Field(10.0, alias="LINGODESK_NOTIFY_WEBHOOK_TIMEOUT_S")
    email: bool = Field(False, alias="LINGODESK_NOTIFY_EMAIL")  # mail alerts to agents (needs SMTP)
    # Only these kinds are mailed (noisy kinds like `new_message` stay in the console).
    email_kinds: list[str] = Field(
        default_factory=lambda: ["sla_warning", "escalation", "delivery_failed", "csat_low", "hot_issue"],
        alias="LINGODESK_NOTIFY_EMAIL_KINDS",
    )


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class WebhookSink:
    """POSTs the notification as JSON; signs it with HMAC-SHA256 when a secret is set."""

    name = "webhook"

    def __init__(self, url: str, secret: str | None = None, timeout_s: float = 10.0) -> None:
        self.url, self.secret, self.timeout_s = url, secret, timeout_s

    def deliver(self, notification: Notification) -> None:
        body = notification.model_dump_json().encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": notification.notification_id,
            "X-Lingodesk-Event": notification.kind,
            "User-Agent": "lingodesk-notify/1",
        }
        if self.secret:
            headers["X-Lingodesk-Signature"] = signature(self.secret, body)
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            # The URL comes from the operator's configuration, never from ticket data.
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code >= 500 or exc.code in (408, 429):
                raise RetryableNotifyFailure(f"webhook answered {exc.code}") from exc
            # A 4xx will not change by retrying (bad URL, rejected payload): log, do not block the ticket.
            log.error("webhook refused notification %s: %s", notification.notification_id, exc.code)
        except (urllib.error.URLError, OSError) as exc:
            raise RetryableNotifyFailure(f"webhook unreachable: {exc}") from exc


class EmailSink:
    """Mails the alert to each recipient that is an agent with an address."""

    name = "email"

    def __init__(
        self,
        mailer: Mailer,
        addresses: Callable[[list[str]], dict[str, str]],
        mail_domain: str = "lingodesk.local",
        kinds: Sequence[str] | None = None,
    ) -> None:
        self.mailer, self.addresses, self.mail_domain = mailer, addresses, mail_domain
        self.kinds = set(kinds) if kinds is not None else None

    def message_id(self, notification: Notification, to: str) -> str:
        digest = hashlib.sha256(f"{notification.notification_id}|{to}".encode()).hexdigest()[:24]
        return f"<notify-{digest}@{self.mail_domain}>"

    def deliver(self, notification: Notification) -> None:
        if self.kinds is not None and notification.kind not in self.kinds:
            return
        for recipient, address in sorted(self.addresses(notification.recipients).items()):
            email = OutgoingEmail(
                message_id=self.message_id(notification, address),
                to=address,
                to_name=recipient,
                subject=f"[{notification.severity}] {notification.kind}: ticket {notification.ticket_id}",
                text=f"{notification.summary}\n\nTicket {notification.ticket_id} ({notification.kind}, "
                f"{notification.created_at.isoformat()})",
                ticket_token=f"[#{notification.ticket_id}]",
            )
            try:
                self.mailer.send(email)
            except PermanentDeliveryFailure as exc:
                log.error("alert mail to %s refused: %s", address, exc)
            except Exception as exc:  # the mailer's transient errors: the activity retries
                raise RetryableNotifyFailure(f"alert mail to {address} failed: {exc}") from exc


def deliver_all(sinks: Sequence[NotifySink], notification: Notification) -> None:
    """Every sink gets its chance; one failing sink does not starve the others."""
    failures: list[str] = []
    for sink in sinks:
        try:
            sink.deliver(notification)
        except RetryableNotifyFailure as exc:
            failures.append(f"{sink.name}: {exc}")
    if failures:
        raise RetryableNotifyFailure("; ".join(failures))


def build_sinks(
    settings: NotifySettings,
    mailer: Mailer | None,
    addresses: Callable[[list[str]], dict[str, str]],
    mail_domain: str,
) -> list[NotifySink]:
    sinks: list[NotifySink] = []
    if settings.webhook_url:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        sinks.append(WebhookSink(settings.webhook_url, secret, settings.webhook_timeout_s))
    if settings.email and mailer is not None:
        sinks.append(EmailSink(mailer, addresses, mail_domain, settings.email_kinds))
    return sinks
