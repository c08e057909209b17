"""Collaboration activities (task queue `tickets`): plan a task, project tasks into SQL.

`plan_collaboration` looks the department up (head, manager, calendar) and turns the requested
seconds into an absolute deadline, in the department's business time when it has a calendar
(`routing/business_time.py`). `record_collaboration_task` is idempotent: the task row is keyed by
the task's workflow id and only a newer version overwrites it; events are keyed (task_id, seq).
Notifications go through the existing `notify` activity.
"""

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.calendar import BusinessCalendar
from domain.collaboration_actions import (
    PlanCollaborationRequest,
    PlanCollaborationResult,
    RecordCollaborationTaskRequest,
)
from domain.ids import ActivityName
from routing.business_time import BusinessTime
from store.tables import CollaborationEventRow, CollaborationTaskRow, DepartmentRow
from store.upsert import upsert


def department_calendar(row: DepartmentRow) -> BusinessCalendar | None:
    """The department's calendar, or None (wall-clock time) when it has none or it is unusable."""
    raw: dict[str, Any] = dict(row.calendar or {})
    if not raw.get("hours"):
        return None
    raw.setdefault("timezone", row.timezone)
    raw.setdefault("calendar_id", f"department:{row.department_id}")
    try:
        calendar = BusinessCalendar.model_validate(raw)
    except ValidationError as exc:
        # A broken calendar must not stop a department from being asked; the deadline falls back.
        activity.logger.warning("calendar of department %s ignored: %s", row.department_id, exc)
        return None
    return calendar if calendar.has_hours() else None


def compute_deadline(start: datetime, seconds: int,
                     calendar: BusinessCalendar | None) -> tuple[datetime, bool]:
    """(deadline, business_time): business seconds on the calendar, else wall-clock seconds."""
    if calendar is not None:
        try:
            return BusinessTime(calendar).add(start, seconds), True
        except (ValueError, ZoneInfoNotFoundError) as exc:
            activity.logger.warning("business time unavailable for %s: %s", calendar.calendar_id, exc)
    return start + timedelta(seconds=seconds), False


def customer_deadline_text(deadline: datetime, timezone: str | None) -> str:
    """How the customer reads the deadline: their local time when their zone is known."""
    if timezone:
        try:
            local = deadline.astimezone(ZoneInfo(timezone))
            return f"{local:%Y-%m-%d %H:%M} ({timezone})"
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return f"{deadline.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def task_values(req: RecordCollaborationTaskRequest) -> dict[str, Any]:
    t = req.task
    created = t.created_at or datetime.now(UTC)
    return {
        "task_id": t.task_id, "ticket_id": t.ticket_id, "task_no": t.task_no, "department": t.department,
        "department_name": t.department_name, "assignee": t.assignee, "head": t.head, "manager": t.manager,
        "requested_by": t.requested_by, "agent": t.agent, "question": t.question, "context": t.context,
        "status": str(t.status), "created_at": created, "updated_at": t.updated_at or created,
        "deadline": t.deadline or created, "business_time": t.business_time,
        "pause_customer_sla": t.pause_customer_sla, "closed_at": t.closed_at, "closed_by": t.closed_by,
        "close_reason": t.close_reason, "result": t.result,
        "attachments": [a.model_dump(mode="json") for a in t.attachments], "overdue": t.overdue,
        "misses": t.misses, "escalated": t.escalated, "next_reminder_at": t.next_reminder_at,
        "state_version": req.version,
    }


def project_task(session: Session, req: RecordCollaborationTaskRequest) -> None:
    table = CollaborationTaskRow.__table__
    upsert(session, table, [task_values(req)], ["task_id"],  # type: ignore[arg-type]
           update_where=table.c.state_version <= req.version)
    upsert(session, CollaborationEventRow.__table__,  # type: ignore[arg-type]
           [{"task_id": req.task.task_id, "seq": e.seq, "at": e.at, "kind": e.kind, "actor": e.actor,
             "summary": e.summary, "data": e.data} for e in req.events],
           ["task_id", "seq"], do_nothing=True)


class CollaborationActivities:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    @activity.defn(name=ActivityName.PLAN_COLLABORATION)
    def plan_collaboration(self, req: PlanCollaborationRequest) -> PlanCollaborationResult:
        with self.sessions() as session:
            row = session.get(DepartmentRow, req.department)
            if row is None:
                raise ApplicationError(f"unknown department {req.department!r}", type="UnknownDepartment",
                                       non_retryable=True)
            assignee = req.assignee or row.head
            if not assignee:
                raise ApplicationError(f"department {req.department!r} has no head; name an assignee",
                                       type="BadInput", non_retryable=True)
            calendar = department_calendar(row)
            deadline, business = compute_deadline(req.requested_at, req.deadline_s, calendar)
            return PlanCollaborationResult(
                department=row.department_id, department_name=row.name, department_name_zh=row.name_zh,
                assignee=assignee, head=row.head, manager=row.manager, deadline=deadline,
                business_time=business, customer_deadline_text=customer_deadline_text(deadline,
                                                                                      req.customer_timezone))

    @activity.defn(name=ActivityName.RECORD_COLLABORATION_TASK)
    def record_collaboration_task(self, req: RecordCollaborationTaskRequest) -> None:
        with self.sessions.begin() as session:
            project_task(session, req)
