"""Store projection and notification activities (task queue `tickets`).

Writes are idempotent (keys `ticket_id`, `(ticket_id, seq)`, activity identity), so Temporal's
retries — including those while the database is down — never duplicate rows.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from channels.notify_sinks import Notification, NotifySink, deliver_all
from domain.ids import ActivityName
from domain.store_io import NotifyRequest, RecordTicketRequest
from store.projection import project_ticket, record_notification


class StoreActivities:
    def __init__(self, sessions: sessionmaker[Session], sinks: Sequence[NotifySink] = ()) -> None:
        self.sessions = sessions
        self.sinks = sinks  # e-mail / webhook (channels/notify_sinks.py); SQL is the console's alert list

    @activity.defn(name=ActivityName.RECORD_TICKET)
    def record_ticket(self, req: RecordTicketRequest) -> None:
        with self.sessions.begin() as session:
            project_ticket(session, req)

    @activity.defn(name=ActivityName.NOTIFY)
    def notify(self, req: NotifyRequest) -> None:
        info = activity.info()
        notification_id = f"{info.workflow_run_id}:{info.activity_id}"
        now = datetime.now(UTC)
        with self.sessions.begin() as session:
            record_notification(session, notification_id, req, now)
        activity.logger.info("notify %s %s -> %s", req.kind, req.ticket_id, ",".join(req.recipients))
        if self.sinks:
            deliver_all(self.sinks, Notification(
                notification_id=notification_id, ticket_id=req.ticket_id, kind=req.kind,
                recipients=req.recipients, summary=req.summary, severity=req.severity, created_at=now))
