"""Changing a task's deadline (`change_deadline`) on the time-skipping server: the durable reminder
and overdue timers follow the new deadline, in both directions; the change reaches the ticket.

Rejected changes are in test_collaboration_deadline_rejections.py (dev server: a rejected update
would lock the time-skipping server).
"""

from datetime import datetime, timedelta

from temporalio.testing import WorkflowEnvironment

from domain.collaboration_actions import ChangeDeadlineRequest, CollaborationRequest
from runtime.collaboration import send_task_update
from tests.helpers.collaboration_flow import AGENT, FAST, ask, assigned_ticket, snapshot, task_state, wait_for
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.collaboration import CollaborationWorkflow
from workflows.ticket import TicketWorkflow

WORKFLOWS = [TicketWorkflow, CollaborationWorkflow]


def near(at: datetime, expected: datetime) -> bool:
    # Timers fire on schedule in skipped time; the workflow task that sees them may start a tick later.
    return abs(at - expected) < timedelta(seconds=2)


async def _events(env: WorkflowEnvironment, task_id: str, kind: str, count: int = 1) -> list[datetime]:
    async def probe() -> list[datetime] | None:
        at = [e.at for e in (await task_state(env.client, task_id)).events if e.kind == kind]
        return at if len(at) >= count else None

    found: list[datetime] = await wait_for(env, probe, f"{count} x {kind}")
    return found


async def _reminder_kinds(env: WorkflowEnvironment, task_id: str) -> list[str]:
    return [e.kind for e in (await task_state(env.client, task_id)).events if e.kind.startswith("reminder")]


async def test_deadline_moved_later_reminds_at_the_new_times_and_not_at_the_old(
        ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(ts_env, queue)
        opened = await ask(ts_env, ticket, CollaborationRequest(
            department="logistics", by=AGENT, deadline_s=3600, reminders=FAST, question="请核实集装箱状态"))
        old = opened.deadline
        new = old + timedelta(seconds=7200)
        await ts_env.sleep(timedelta(seconds=600))
        result = await send_task_update(ts_env.client, opened.task_id, ChangeDeadlineRequest(
            by="chen.jie", deadline=new, reason="船期推迟，需等待港口回复"))
        assert result.detail == f"deadline moved to {new:%Y-%m-%d %H:%M} UTC"

        task = await task_state(ts_env.client, opened.task_id)
        assert task.deadline == new and not task.overdue and not task.reminded_before
        changed = next(e for e in task.events if e.kind == "deadline_changed")
        assert changed.actor == "chen.jie" and changed.data["to"] == new.isoformat()
        assert changed.data["from"] == old.isoformat() and "船期推迟" in str(changed.data["reason"])

        # Past the old reminder time and the old deadline: nothing fires.
        await ts_env.sleep(timedelta(seconds=3600))
        assert await _reminder_kinds(ts_env, opened.task_id) == []
        state = await snapshot(ticket)
        assert not state.collaboration.tasks[0].overdue
        assert not any(e.kind == "collaboration_overdue" for e in state.timeline)
        assert not any(n.kind == "collaboration_overdue" for n in backend.notifications)

        # The new deadline's reminders: "due soon" 600 s before it, overdue at it.
        await ts_env.sleep(timedelta(seconds=5900))  # T+10100: still quiet
        assert await _reminder_kinds(ts_env, opened.task_id) == []
        await ts_env.sleep(timedelta(seconds=200))  # T+10300, past the new reminder at T+10200
        (reminded,) = await _events(ts_env, opened.task_id, "reminder_before_deadline")
        assert near(reminded, new - timedelta(seconds=FAST.remind_before_s))
        assert await _reminder_kinds(ts_env, opened.task_id) == ["reminder_before_deadline"]
        await ts_env.sleep(timedelta(seconds=600))  # T+10900, past the new deadline at T+10800
        (overdue,) = await _events(ts_env, opened.task_id, "reminder_overdue")
        assert near(overdue, new)

        # The ticket saw the change on its timeline, with the new deadline, and the agent was told.
        async def ticket_has_new_deadline() -> bool:
            ref = (await snapshot(ticket)).collaboration.tasks[0]
            return ref.deadline == new and ref.overdue

        await wait_for(ts_env, ticket_has_new_deadline, "ticket follows the new deadline, then overdue")
        state = await snapshot(ticket)
        event = next(e for e in state.timeline if e.kind == "collaboration_deadline_changed")
        assert event.actor == "chen.jie" and event.data["deadline"] == new.isoformat()
        assert event.data["previous"] == old.isoformat()
        assert ("collaboration_deadline_changed", [AGENT]) in [(n.kind, n.recipients)
                                                               for n in backend.notifications]
        assert ("collaboration_deadline_changed", ["chen.jie"]) in [(n.kind, n.recipients)
                                                                    for n in backend.notifications]
        await ticket.terminate()
        await ts_env.client.get_workflow_handle(opened.task_id).terminate()


async def test_deadline_moved_earlier_fires_sooner(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(ts_env, queue)
        opened = await ask(ts_env, ticket, CollaborationRequest(
            department="engineering", by=AGENT, deadline_s=8 * 3600, reminders=FAST,
            question="E42 故障码的原因？"))
        now = await ts_env.get_current_time()
        new = now + timedelta(seconds=1800)
        await send_task_update(ts_env.client, opened.task_id, ChangeDeadlineRequest(
            by=AGENT, deadline=new, reason="客户明天停产，需尽快答复"))
        await ts_env.sleep(timedelta(seconds=1000))
        assert await _reminder_kinds(ts_env, opened.task_id) == []
        await ts_env.sleep(timedelta(seconds=300))
        (reminded,) = await _events(ts_env, opened.task_id, "reminder_before_deadline")
        assert near(reminded, new - timedelta(seconds=FAST.remind_before_s))
        await ts_env.sleep(timedelta(seconds=600))
        (overdue,) = await _events(ts_env, opened.task_id, "reminder_overdue")
        assert near(overdue, new)
        assert overdue < opened.deadline - timedelta(hours=7)  # long before the original deadline

        async def agent_told_overdue() -> bool:
            return any(n.kind == "collaboration_overdue" and n.recipients == [AGENT]
                       for n in backend.notifications)

        await wait_for(ts_env, agent_told_overdue, "agent told about the overdue task")
        # The agent changed it: the ticket records the change but does not notify the agent about it.
        state = await snapshot(ticket)
        assert any(e.kind == "collaboration_deadline_changed" for e in state.timeline)
        assert not any(n.kind == "collaboration_deadline_changed" and n.recipients == [AGENT]
                       for n in backend.notifications)
        await ticket.terminate()
        await ts_env.client.get_workflow_handle(opened.task_id).terminate()


async def test_overdue_task_given_a_new_deadline_starts_afresh(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(ts_env, queue)
        opened = await ask(ts_env, ticket, CollaborationRequest(
            department="warehouse", by=AGENT, deadline_s=1200, reminders=FAST, question="退货是否已入库？"))
        await ts_env.sleep(timedelta(seconds=1300))
        await _events(ts_env, opened.task_id, "reminder_overdue")
        assert (await task_state(ts_env.client, opened.task_id)).misses == 1
        now = await ts_env.get_current_time()
        new = now + timedelta(seconds=3600)
        await send_task_update(ts_env.client, opened.task_id, ChangeDeadlineRequest(
            by="sun.li", deadline=new, reason="盘点中，明早确认"))
        task = await task_state(ts_env.client, opened.task_id)
        assert (task.overdue, task.misses, task.next_reminder_at) == (False, 0, None)
        # The old back-off repeat (deadline + 600 s) does not come; the next reminders follow the new one.
        await ts_env.sleep(timedelta(seconds=2900))
        first_round = ["reminder_before_deadline", "reminder_overdue"]
        assert await _reminder_kinds(ts_env, opened.task_id) == first_round
        await ts_env.sleep(timedelta(seconds=800))
        overdue = await _events(ts_env, opened.task_id, "reminder_overdue", 2)
        assert near(overdue[1], new)
        kinds = await _reminder_kinds(ts_env, opened.task_id)
        assert kinds == [*first_round, "reminder_before_deadline", "reminder_overdue"]
        await ticket.terminate()
        await ts_env.client.get_workflow_handle(opened.task_id).terminate()
