"""The reminder schedule of a collaboration task, as pure arithmetic (no Temporal)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.collaboration import CollaborationStatus, ReminderPolicy
from domain.collaboration_actions import CollaborationTask
from workflows.collaboration_schedule import (
    ReminderKind,
    fire_due,
    next_due,
    recipients,
    remind_at,
    reschedule,
)

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
POLICY = ReminderPolicy(remind_before_s=600, repeat_after_s=600, backoff=2.0, max_repeat_s=1800,
                        escalate_after_misses=3)


def new_task(deadline_s: int = 3600, **kw: object) -> CollaborationTask:
    base: dict[str, object] = {"task_id": "ticket-t-task-1", "ticket_id": "t", "task_no": 1,
                               "department": "logistics", "assignee": "liu.yang", "head": "chen.jie",
                               "manager": "li.wei", "created_at": T0,
                               "deadline": T0 + timedelta(seconds=deadline_s)}
    base.update(kw)
    return CollaborationTask.model_validate(base)


def run_until(task: CollaborationTask, end: datetime) -> list[tuple[int, ReminderKind, int]]:
    """Wake exactly when `next_due` says, as the workflow does; (seconds after T0, kind, miss)."""
    fired = []
    while (due := next_due(task, POLICY)) is not None and due <= end:
        fired += [(int((due - T0).total_seconds()), r.kind, r.miss) for r in fire_due(task, POLICY, due)]
    return fired


def test_reminders_back_off_escalate_once_and_cap() -> None:
    task = new_task()
    fired = run_until(task, T0 + timedelta(hours=4))
    assert fired == [
        (3000, ReminderKind.BEFORE_DEADLINE, 0),
        (3600, ReminderKind.OVERDUE, 1),
        (4200, ReminderKind.REPEAT, 2),  # +600
        (5400, ReminderKind.REPEAT, 3),  # +1200
        (5400, ReminderKind.ESCALATION, 3),
        (7200, ReminderKind.REPEAT, 4),  # +2400 capped at 1800
        (9000, ReminderKind.REPEAT, 5),
        (10800, ReminderKind.REPEAT, 6),
        (12600, ReminderKind.REPEAT, 7),
        (14400, ReminderKind.REPEAT, 8),
    ]


def test_a_short_task_gets_no_due_soon_reminder() -> None:
    task = new_task(deadline_s=300)
    assert remind_at(task, POLICY) is None
    assert next_due(task, POLICY) == task.deadline


def test_after_an_outage_one_overdue_and_one_repeat_carry_the_count() -> None:
    task = new_task()
    fired = fire_due(task, POLICY, T0 + timedelta(seconds=3600 + 600 + 1200 + 5))
    assert [(r.kind, r.miss) for r in fired] == [
        (ReminderKind.OVERDUE, 1), (ReminderKind.REPEAT, 3), (ReminderKind.ESCALATION, 3)]
    assert fire_due(task, POLICY, T0 + timedelta(seconds=3600 + 600 + 1200 + 5)) == []


def test_closed_tasks_never_remind_and_recipients_follow_the_chain() -> None:
    done = new_task(status=CollaborationStatus.DONE)
    assert next_due(done, POLICY) is None and fire_due(done, POLICY, T0 + timedelta(days=9)) == []
    task = new_task()
    assert recipients(task, ReminderKind.BEFORE_DEADLINE) == ["liu.yang"]
    assert recipients(task, ReminderKind.OVERDUE) == ["liu.yang", "chen.jie"]
    assert recipients(task, ReminderKind.ESCALATION) == ["li.wei", "chen.jie"]
    task.escalated = True
    assert recipients(task, ReminderKind.REPEAT) == ["liu.yang", "chen.jie", "li.wei"]
    headless = new_task(assignee="chen.jie", head=None, manager=None)
    assert recipients(headless, ReminderKind.ESCALATION) == ["chen.jie"]


@given(st.lists(st.integers(min_value=1, max_value=20_000), min_size=1, max_size=30))
def test_wakeups_in_any_order_never_fire_twice(offsets: list[int]) -> None:
    task = new_task()
    seen: list[tuple[ReminderKind, int]] = []
    for offset in sorted(offsets):
        seen += [(r.kind, r.miss) for r in fire_due(task, POLICY, T0 + timedelta(seconds=offset))]
    misses = [m for k, m in seen if k in (ReminderKind.OVERDUE, ReminderKind.REPEAT)]
    assert misses == sorted(set(misses))  # strictly increasing: nothing repeats
    assert [k for k, _ in seen].count(ReminderKind.ESCALATION) <= 1
    assert [k for k, _ in seen].count(ReminderKind.BEFORE_DEADLINE) <= 1


def test_reschedule_later_after_an_escalation_starts_afresh_but_keeps_the_manager_told() -> None:
    task = new_task()
    run_until(task, T0 + timedelta(seconds=5400))  # overdue, two repeats: escalated at miss 3
    assert (task.misses, task.escalated) == (3, True)
    now = T0 + timedelta(seconds=5500)
    reschedule(task, POLICY, now + timedelta(seconds=3600), now)
    assert (task.overdue, task.misses, task.next_reminder_at, task.reminded_before) == (False, 0, None, False)
    fired = run_until(task, T0 + timedelta(seconds=9500))
    assert fired == [(8500, ReminderKind.BEFORE_DEADLINE, 0), (9100, ReminderKind.OVERDUE, 1)]
    assert recipients(task, ReminderKind.OVERDUE) == ["liu.yang", "chen.jie", "li.wei"]  # still escalated


def test_reschedule_into_the_reminder_window_sends_no_stale_due_soon() -> None:
    task = new_task(deadline_s=8 * 3600)
    now = T0 + timedelta(seconds=100)
    reschedule(task, POLICY, now + timedelta(seconds=300), now)  # closer than remind_before_s
    assert task.reminded_before
    assert run_until(task, T0 + timedelta(seconds=900)) == [(400, ReminderKind.OVERDUE, 1)]
