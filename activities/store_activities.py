"""Store projection and notification activities (task queue `tickets`).

Writes are idempotent (keys `ticket_id`, `(ticket_id, seq)`, activity identity), so Temporal's
retries — including those while the database is down — never duplicate rows.
"""

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from domain.ids import ActivityName
from domain.store_io import NotifyRequest, RecordTicketRequest
from store.projection import project_ticket, record_notification


class StoreActivities:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    @activity.defn(name=ActivityName.RECORD_TICKET)
    def record_ticket(self, req: RecordTicketRequest) -> None:
        with self.sessions.begin() as session:
            project_ticket(session, req)

    @activity.defn(name=ActivityName.NOTIFY)
    def notify(self, req: NotifyRequest) -> None:
        info = activity.info()
        notification_id = f"{info.workflow_run_id}:{info.activity_id}"
        with self.sessions.begin() as session:
            record_notification(session, notification_id, req, datetime.now(UTC))
        activity.logger.info("notify %s %s -> %s", req.kind, req.ticket_id, ",".join(req.recipients))
