"""Store projection and notification activities (task queue `tickets`).

Writes are idempotent (keys `ticket_id`, `(ticket_id, seq)`, activity identity), so Temporal's
retries — including those while the database is down — never duplicate rows.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from channels.notify_sinks import Notification, NotifySink, deliver_all
from domain.ids import ActivityName
from domain.store_io import NotifyRequest, RecordTicketRequest
from store.agents import freed_assignee
from store.projection import project_ticket, record_notification


class StoreActivities:
    def __init__(self, sessions: sessionmaker[Session], sinks: Sequence[NotifySink] = (),
                 on_capacity_freed: Callable[[str], None] | None = None) -> None:
        self.sessions = sessions
        self.sinks = sinks  # e-mail / webhook (channels/notify_sinks.py); SQL is the console's alert list
        # Told the agent id when a write takes an open ticket away from its assignee (resolved,
        # reassigned), so pending tickets retry assignment now (runtime/assignment.py).
        self.on_capacity_freed = on_capacity_freed

    @activity.defn(name=ActivityName.RECORD_TICKET)
    def record_ticket(self, req: RecordTicketRequest) -> None:
        with self.sessions.begin() as session:
            freed = freed_assignee(session, req.state.ticket_id, str(req.state.status), req.state.assignee,
                                   req.version) if self.on_capacity_freed else None
            project_ticket(session, req)
        if freed and self.on_capacity_freed:
            self.on_capacity_freed(freed)  # after the commit: the router must see the lower load

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
                recipients=req.recipients, summary=req.summary, severity=req.severity, created_at=now,
                task_id=req.task_id))
