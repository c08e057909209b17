"""Collaboration activities (plan, projection) and the department-view queries on real databases."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.collaboration_activities import CollaborationActivities
from domain.collaboration import CollaborationStatus
from domain.collaboration_actions import (
    CollaborationTask,
    CollaborationTaskEvent,
    PlanCollaborationRequest,
    RecordCollaborationTaskRequest,
)
from domain.store_io import RecordTicketRequest
from domain.ticket import AttachmentMeta, Customer, TicketState
from store.collaboration import get_task, list_departments, list_tasks, overdue_tasks, ticket_tasks
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from store.projection import project_ticket
from store.tables import DepartmentRow

T0 = datetime(2025, 6, 6, 9, 0, tzinfo=UTC)  # Friday 17:00 in Shanghai


DEPARTMENTS = [("logistics", "Logistics", "物流部", "chen.jie"), ("warehouse", "Warehouse", "仓库", "sun.li"),
               ("finance", "Finance", "财务部", "zhou.yan")]


def store(url: str) -> sessionmaker[Session]:
    upgrade(url)  # the real migration chain, as the worker runs it
    sessions = make_session_factory(make_engine(url))
    with sessions.begin() as session:
        session.add_all(DepartmentRow(department_id=d, name=name, name_zh=zh, head=head, manager="li.wei",
                                      timezone="Asia/Shanghai", calendar={})
                        for d, name, zh, head in DEPARTMENTS)
    return sessions


def plan(acts: CollaborationActivities, **kw: object):  # type: ignore[no-untyped-def]
    req = PlanCollaborationRequest.model_validate({"ticket_id": "t-1", "department": "logistics",
                                                   "requested_at": T0, "deadline_s": 7200, **kw})
    return ActivityEnvironment().run(acts.plan_collaboration, req)


def test_plan_uses_the_head_wall_clock_or_the_department_calendar(sqlite_url: str) -> None:
    sessions = store(sqlite_url)
    acts = CollaborationActivities(sessions)
    wall = plan(acts)
    assert (wall.assignee, wall.head, wall.manager, wall.department_name_zh) == (
        "chen.jie", "chen.jie", "li.wei", "物流部")
    assert wall.deadline == T0 + timedelta(hours=2) and not wall.business_time
    assert plan(acts, assignee="liu.yang").assignee == "liu.yang"

    with sessions.begin() as session:
        row = session.get(DepartmentRow, "logistics")
        assert row is not None
        row.calendar = {"hours": {str(d): [["09:00", "18:00"]] for d in range(5)}}
    business = plan(acts, customer_timezone="Europe/Berlin")
    # Friday 17:00 + 2 business hours = Monday 10:00 in Shanghai (02:00 UTC, 04:00 in Berlin).
    assert business.business_time
    assert business.deadline == datetime(2025, 6, 9, 2, 0, tzinfo=UTC)
    assert business.customer_deadline_text == "2025-06-09 04:00 (Europe/Berlin)"

    with sessions.begin() as session:
        row = session.get(DepartmentRow, "logistics")
        assert row is not None
        row.calendar = {"hours": {"0": [["25:00", "18:00"]]}}  # broken: falls back to wall-clock time
    assert plan(acts).deadline == T0 + timedelta(hours=2)

    with pytest.raises(ApplicationError) as err:
        plan(acts, department="legal")
    assert err.value.type == "UnknownDepartment" and err.value.non_retryable


def task(task_no: int, *, department: str = "logistics", assignee: str = "chen.jie", deadline_h: int = 4,
         status: CollaborationStatus = CollaborationStatus.OPEN, ticket_id: str = "t-1") -> CollaborationTask:
    return CollaborationTask(task_id=f"ticket-{ticket_id}-task-{task_no}", ticket_id=ticket_id,
                             task_no=task_no, department=department, department_name="物流部",
                             assignee=assignee, head="chen.jie",
                             manager="li.wei", question=f"问题 {task_no}", status=status, created_at=T0,
                             updated_at=T0, deadline=T0 + timedelta(hours=deadline_h))


def record(acts: CollaborationActivities, t: CollaborationTask, events: int) -> None:
    evs = [CollaborationTaskEvent(seq=i + 1, at=T0 + timedelta(minutes=i), kind="k", summary=f"e{i}")
           for i in range(events)]
    ActivityEnvironment().run(acts.record_collaboration_task,
                              RecordCollaborationTaskRequest(task=t, events=evs, version=events))


def check_projection_and_queries(url: str) -> None:
    sessions = store(url)
    acts = CollaborationActivities(sessions)
    with sessions.begin() as session:
        project_ticket(session, RecordTicketRequest(state=TicketState(
            ticket_id="t-1", subject="Lieferung", subject_translated="交货", language="de",
            customer=Customer(name="Klaus Weber"), created_at=T0, updated_at=T0), version=1))

    done = task(1, deadline_h=1).model_copy(update={
        "status": CollaborationStatus.DONE, "result": "已放行", "closed_at": T0 + timedelta(minutes=30),
        "attachments": [AttachmentMeta(filename="customs.pdf", size=10)]})
    record(acts, task(1, deadline_h=1), events=1)
    record(acts, done, events=3)
    record(acts, done, events=3)  # a retry
    record(acts, task(1, deadline_h=1), events=1)  # a late, older write: ignored
    record(acts, task(2, deadline_h=6), events=1)
    record(acts, task(3, deadline_h=2, assignee="liu.yang"), events=2)
    record(acts, task(1, department="warehouse", assignee="sun.li", ticket_id="t-2"), events=1)

    open_logistics = list_tasks(sessions, department="logistics")
    assert [t.task_no for t in open_logistics] == [3, 2]  # nearest deadline first
    assert open_logistics[0].ticket_subject == "交货" and open_logistics[0].customer_name == "Klaus Weber"
    assert [t.task_no for t in list_tasks(sessions, department="logistics", include_closed=True)] == [3, 2, 1]
    assert [t.task_id for t in list_tasks(sessions, assignee="liu.yang")] == ["ticket-t-1-task-3"]
    now = T0 + timedelta(hours=3)
    late = overdue_tasks(sessions, now)
    assert [t.task_id for t in late] == ["ticket-t-1-task-3"] and late[0].is_overdue(now)
    assert [t.task_no for t in ticket_tasks(sessions, "t-1")] == [1, 2, 3]

    detail = get_task(sessions, "ticket-t-1-task-1")
    assert detail is not None and detail.status is CollaborationStatus.DONE and detail.result == "已放行"
    assert detail.attachments[0].filename == "customs.pdf"
    assert [e.seq for e in detail.events] == [1, 2, 3] and detail.deadline.tzinfo is not None
    assert get_task(sessions, "nope") is None

    depts = {d.department_id: d for d in list_departments(sessions, now)}
    assert (depts["logistics"].open_tasks, depts["logistics"].overdue_tasks) == (2, 1)
    assert (depts["warehouse"].open_tasks, depts["finance"].open_tasks) == (1, 0)


def test_projection_and_queries_sqlite(sqlite_url: str) -> None:
    check_projection_and_queries(sqlite_url)


@pytest.mark.postgres
def test_projection_and_queries_postgres(postgres_url: str) -> None:
    check_projection_and_queries(postgres_url)
