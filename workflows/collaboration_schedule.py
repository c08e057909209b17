"""When a collaboration task reminds, and whom: a pure helper over `CollaborationTask`.

It only reads the `now` it is given and writes the task's reminder bookkeeping, so
`CollaborationWorkflow` stays deterministic and the arithmetic is testable without Temporal.

Schedule for an open task (all wall-clock offsets from a deadline that may be in business time):
  deadline - remind_before_s   reminder to the assignee
  deadline                     miss 1: reminder to the department head, notice to the ticket's agent
  + repeat_after_s * backoff^k repeat reminders (gap capped at max_repeat_s), one miss each
  escalate_after_misses        the department manager is told (once)
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.collaboration import CollaborationStatus, ReminderPolicy
from domain.collaboration_actions import CollaborationTask


class ReminderKind(StrEnum):
    BEFORE_DEADLINE = "before_deadline"
    OVERDUE = "overdue"
    REPEAT = "repeat"
    ESCALATION = "escalation"


@dataclass(frozen=True)
class Reminder:
    kind: ReminderKind
    miss: int  # misses so far (0 before the deadline)


def remind_at(task: CollaborationTask, policy: ReminderPolicy) -> datetime | None:
    if task.deadline is None or policy.remind_before_s <= 0:
        return None
    at = task.deadline - timedelta(seconds=policy.remind_before_s)
    # A task shorter than the reminder lead gets no "due soon" reminder: it was just assigned.
    if task.created_at is not None and at <= task.created_at:
        return None
    return at


def repeat_gap(policy: ReminderPolicy, miss: int) -> timedelta:
    """Gap between miss `miss` and the next one: grows by `backoff`, capped at `max_repeat_s`."""
    seconds = policy.repeat_after_s * policy.backoff ** max(miss - 1, 0)
    return timedelta(seconds=min(max(seconds, 1.0), float(max(policy.max_repeat_s, 1))))


def next_due(task: CollaborationTask, policy: ReminderPolicy) -> datetime | None:
    if task.status is not CollaborationStatus.OPEN or task.deadline is None:
        return None
    if not task.reminded_before:
        at = remind_at(task, policy)
        if at is not None:
            return at
    if not task.overdue:
        return task.deadline
    return task.next_reminder_at


def fire_due(task: CollaborationTask, policy: ReminderPolicy, now: datetime) -> list[Reminder]:
    """Fire everything due at `now`, marking it fired so nothing fires twice."""
    if task.status is not CollaborationStatus.OPEN or task.deadline is None:
        return []
    fired: list[Reminder] = []
    if not task.reminded_before:
        at = remind_at(task, policy)
        if at is None or now >= at:
            task.reminded_before = True
            # A worker back after the deadline sends only the overdue reminder, not a stale "due soon".
            if at is not None and now < task.deadline:
                fired.append(Reminder(ReminderKind.BEFORE_DEADLINE, 0))
    if not task.overdue and now >= task.deadline:
        task.overdue = True
        task.misses = 1
        task.next_reminder_at = task.deadline + repeat_gap(policy, 1)
        fired.append(Reminder(ReminderKind.OVERDUE, 1))
        fired.extend(_escalation(task, policy))
    repeats = 0
    while task.overdue and task.next_reminder_at is not None and now >= task.next_reminder_at:
        task.misses += 1
        task.next_reminder_at += repeat_gap(policy, task.misses)
        repeats += 1
    if repeats:
        # Several repeats due at once (a worker outage) are one reminder carrying the miss count.
        fired.append(Reminder(ReminderKind.REPEAT, task.misses))
        fired.extend(_escalation(task, policy))
    return fired


def reschedule(task: CollaborationTask, policy: ReminderPolicy, deadline: datetime, now: datetime) -> None:
    """Move an open task's deadline: the reminders follow the new deadline from `now` on.

    A deadline moved into the future makes the task a fresh promise: it is no longer overdue, the
    miss count restarts and the "due soon" reminder comes again before the new deadline (unless
    that moment is already past). A manager who was told once stays told (`escalated` is kept),
    so a later miss goes to them again. Moved so close that the "due soon" moment is already
    past, no separate reminder is sent: the change notice itself tells the assignee.
    """
    task.deadline = deadline
    task.overdue = False
    task.misses = 0
    task.next_reminder_at = None
    at = remind_at(task, policy)
    # Nothing before-deadline is owed when its moment has passed already: the change notice says it.
    task.reminded_before = at is None or at <= now


def _escalation(task: CollaborationTask, policy: ReminderPolicy) -> list[Reminder]:
    if task.escalated or policy.escalate_after_misses <= 0 or task.misses < policy.escalate_after_misses:
        return []
    task.escalated = True
    return [Reminder(ReminderKind.ESCALATION, task.misses)]


def recipients(task: CollaborationTask, kind: ReminderKind) -> list[str]:
    """Who hears about a reminder; a missing head or manager falls back to the next person up or down."""
    head = task.head or task.assignee
    manager = task.manager or head
    if kind is ReminderKind.BEFORE_DEADLINE:
        people = [task.assignee]
    elif kind is ReminderKind.ESCALATION:
        people = [manager, head]
    elif task.escalated:
        people = [task.assignee, head, manager]
    else:
        people = [task.assignee, head]
    return list(dict.fromkeys(p for p in people if p))
