"""Read side of collaboration tasks, for the console's department view and the ticket page.

Every function takes a session factory and returns pydantic views, so pages never touch ORM
rows. Writes happen only in the `record_collaboration_task` activity; people act on tasks
through Temporal updates (`runtime/collaboration.py`).
"""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, sessionmaker

from domain.collaboration import CollaborationStatus
from domain.ticket import AttachmentMeta
from store.tables import CollaborationEventRow, CollaborationTaskRow, DepartmentRow, TicketRow
from store.timestamps import as_utc

OPEN = str(CollaborationStatus.OPEN)


def _utc_or_none(at: datetime | None) -> datetime | None:
    return None if at is None else as_utc(at)


class TaskView(BaseModel):
    task_id: str
    ticket_id: str
    task_no: int
    department: str
    department_name: str = ""
    assignee: str
    head: str | None = None
    manager: str | None = None
    requested_by: str = ""
    agent: str | None = None
    question: str = ""
    context: str = ""
    status: CollaborationStatus
    created_at: datetime
    updated_at: datetime
    deadline: datetime
    business_time: bool = False
    pause_customer_sla: bool = False
    closed_at: datetime | None = None
    closed_by: str | None = None
    close_reason: str = ""
    result: str | None = None
    attachments: list[AttachmentMeta] = Field(default_factory=list)
    overdue: bool = False  # the workflow fired its deadline reminder
    misses: int = 0
    escalated: bool = False
    next_reminder_at: datetime | None = None
    # From the ticket, for the department's list (None when the ticket row is not there yet).
    ticket_subject: str | None = None
    ticket_status: str | None = None
    ticket_priority: str | None = None
    customer_name: str | None = None

    def is_overdue(self, now: datetime) -> bool:
        return self.status is CollaborationStatus.OPEN and now >= self.deadline

    def time_left_s(self, now: datetime) -> float:
        return (self.deadline - now).total_seconds()


class TaskEventView(BaseModel):
    seq: int
    at: datetime
    kind: str
    actor: str
    summary: str
    data: dict[str, Any] = Field(default_factory=dict)


class TaskDetail(TaskView):
    events: list[TaskEventView] = Field(default_factory=list)


class DepartmentView(BaseModel):
    department_id: str
    name: str
    name_zh: str = ""
    head: str | None = None
    manager: str | None = None
    email: str = ""
    timezone: str = "Asia/Shanghai"
    has_calendar: bool = False
    open_tasks: int = 0
    overdue_tasks: int = 0


def _task_view(row: CollaborationTaskRow, ticket: TicketRow | None, cls: type[TaskView] = TaskView) -> Any:
    return cls(
        task_id=row.task_id, ticket_id=row.ticket_id, task_no=row.task_no, department=row.department,
        department_name=row.department_name, assignee=row.assignee, head=row.head, manager=row.manager,
        requested_by=row.requested_by, agent=row.agent, question=row.question, context=row.context,
        status=CollaborationStatus(row.status), created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at), deadline=as_utc(row.deadline), business_time=row.business_time,
        pause_customer_sla=row.pause_customer_sla, closed_at=_utc_or_none(row.closed_at),
        closed_by=row.closed_by, close_reason=row.close_reason, result=row.result,
        attachments=[AttachmentMeta.model_validate(a) for a in row.attachments or []], overdue=row.overdue,
        misses=row.misses, escalated=row.escalated, next_reminder_at=_utc_or_none(row.next_reminder_at),
        ticket_subject=(ticket.subject_translated or ticket.subject) if ticket else None,
        ticket_status=ticket.status if ticket else None, ticket_priority=ticket.priority if ticket else None,
        customer_name=(ticket.customer_name or ticket.customer_email) if ticket else None,
    )


def _with_ticket() -> Any:
    return select(CollaborationTaskRow, TicketRow).outerjoin(
        TicketRow, TicketRow.ticket_id == CollaborationTaskRow.ticket_id)


def list_tasks(sessions: sessionmaker[Session], *, department: str | None = None, assignee: str | None = None,
               include_closed: bool = False, limit: int = 200) -> list[TaskView]:
    """Tasks of a department and/or an assignee: open ones first, the nearest deadline first."""
    stmt = _with_ticket()
    if department:
        stmt = stmt.where(CollaborationTaskRow.department == department)
    if assignee:
        stmt = stmt.where(CollaborationTaskRow.assignee == assignee)
    if not include_closed:
        stmt = stmt.where(CollaborationTaskRow.status == OPEN)
    open_first = case((CollaborationTaskRow.status == OPEN, 0), else_=1)
    stmt = stmt.order_by(open_first, CollaborationTaskRow.deadline, CollaborationTaskRow.task_id).limit(limit)
    with sessions() as session:
        return [_task_view(task, ticket) for task, ticket in session.execute(stmt).all()]


def ticket_tasks(sessions: sessionmaker[Session], ticket_id: str) -> list[TaskView]:
    stmt = (_with_ticket().where(CollaborationTaskRow.ticket_id == ticket_id)
            .order_by(CollaborationTaskRow.task_no))
    with sessions() as session:
        return [_task_view(task, ticket) for task, ticket in session.execute(stmt).all()]


def overdue_tasks(sessions: sessionmaker[Session], now: datetime, department: str | None = None
                  ) -> list[TaskView]:
    """Open tasks past their deadline at `now` (the caller's clock, so pages and tests agree)."""
    stmt = _with_ticket().where(CollaborationTaskRow.status == OPEN, CollaborationTaskRow.deadline <= now)
    if department:
        stmt = stmt.where(CollaborationTaskRow.department == department)
    stmt = stmt.order_by(CollaborationTaskRow.deadline)
    with sessions() as session:
        return [_task_view(task, ticket) for task, ticket in session.execute(stmt).all()]


def get_task(sessions: sessionmaker[Session], task_id: str) -> TaskDetail | None:
    with sessions() as session:
        found = session.execute(_with_ticket().where(CollaborationTaskRow.task_id == task_id)).first()
        if found is None:
            return None
        detail: TaskDetail = _task_view(found[0], found[1], TaskDetail)
        events = session.scalars(select(CollaborationEventRow).where(CollaborationEventRow.task_id == task_id)
                                 .order_by(CollaborationEventRow.seq))
        detail.events = [TaskEventView(seq=e.seq, at=as_utc(e.at), kind=e.kind, actor=e.actor,
                                       summary=e.summary, data=e.data or {}) for e in events]
        return detail


def list_departments(sessions: sessionmaker[Session], now: datetime) -> list[DepartmentView]:
    """Departments with their open and overdue task counts (for the department picker)."""
    is_open = CollaborationTaskRow.status == OPEN
    counts = (select(CollaborationTaskRow.department,
                     func.sum(case((is_open, 1), else_=0)),
                     func.sum(case((is_open & (CollaborationTaskRow.deadline <= now), 1), else_=0)))
              .group_by(CollaborationTaskRow.department))
    with sessions() as session:
        per_dept = {d: (int(o or 0), int(late or 0)) for d, o, late in session.execute(counts).all()}
        rows = session.scalars(select(DepartmentRow).order_by(DepartmentRow.department_id)).all()
        return [DepartmentView(department_id=r.department_id, name=r.name, name_zh=r.name_zh, head=r.head,
                               manager=r.manager, email=r.email, timezone=r.timezone,
                               has_calendar=bool((r.calendar or {}).get("hours")),
                               open_tasks=per_dept.get(r.department_id, (0, 0))[0],
                               overdue_tasks=per_dept.get(r.department_id, (0, 0))[1]) for r in rows]
