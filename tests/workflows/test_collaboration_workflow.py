"""The collaboration loop on the time-skipping server: ticket -> task -> reminders -> result -> reply."""

from datetime import datetime, timedelta

from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from domain.actions import ActionResult, NoteRequest, ResolveRequest
from domain.collaboration import CollaborationStatus
from domain.collaboration_actions import (
    CancelTaskRequest,
    CollaborationOutcome,
    CollaborationRequest,
    CompleteTaskRequest,
)
from domain.sla import SlaTarget
from domain.status import TicketStatus
from domain.ticket import AttachmentMeta, DeliveryState, Direction
from tests.helpers.collaboration_flow import (
    AGENT,
    FAST,
    ask,
    assigned_ticket,
    ended,
    snapshot,
    task_state,
    wait_for,
    wait_ticket_status,
)
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.collaboration import CollaborationWorkflow
from workflows.ticket import TicketWorkflow

WORKFLOWS = [TicketWorkflow, CollaborationWorkflow]


def near(at: datetime, expected: datetime) -> bool:
    # Timers fire on schedule in skipped time; the workflow task that sees them may start a tick later.
    return abs(at - expected) < timedelta(seconds=2)


async def test_full_loop_reminders_overdue_escalation_completion(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(ts_env, queue)
        ticket_id = (await snapshot(ticket)).ticket_id
        opened = await ask(ts_env, ticket, CollaborationRequest(
            department="logistics", assignee="liu.yang", by=AGENT, deadline_s=3600, reminders=FAST,
            question="请核实集装箱 MSKU1234567 的延误原因和预计到港时间", notify_customer=True))
        assert opened.task_id == f"ticket-{ticket_id}-task-1"
        assert opened.assignee == "liu.yang"
        assert opened.status == TicketStatus.PENDING_COLLABORATION

        state = await snapshot(ticket)
        assert state.status is TicketStatus.PENDING_COLLABORATION
        assert [t.task_id for t in state.collaboration.open_tasks()] == [opened.task_id]
        task = await task_state(ts_env.client, opened.task_id)
        assert task.head == "chen.jie" and task.manager == "li.wei"
        assert "[zh] Guten Tag, mein Container MSKU1234567" in task.context  # the customer, translated
        assert task.deadline is not None and task.created_at is not None
        assert task.deadline == opened.deadline
        assert near(task.created_at + timedelta(seconds=3600), task.deadline)  # wall clock: no calendar
        deadline = task.deadline

        # The progress notice went out through the reply path, translated into the customer's language.
        async def notice_sent() -> bool:
            return any(s.original_text.startswith("您好，您的问题正在由我们的物流部团队核实")
                       for s in backend.sent)

        await wait_for(ts_env, notice_sent, "progress notice sent")
        notice = next(s for s in backend.sent if "物流部" in s.original_text)
        assert notice.text.startswith("[de] ") and "(Europe/Berlin)" not in notice.text  # fake plan: UTC text
        assert opened.notice_seq is not None
        seq = opened.notice_seq

        async def notice_marked_sent() -> bool:
            return (await snapshot(ticket)).messages[seq - 1].delivery is DeliveryState.SENT

        await wait_for(ts_env, notice_marked_sent, "notice marked sent")

        async def task_events(kind: str, count: int = 1) -> list[datetime]:
            async def probe() -> list[datetime] | None:
                task = await task_state(ts_env.client, opened.task_id)
                at = [e.at for e in task.events if e.kind == kind]
                return at if len(at) >= count else None

            found: list[datetime] = await wait_for(ts_env, probe, f"{count} x {kind}")
            return found

        async def reminders_sent(count: int) -> list[list[str]]:
            async def probe() -> list[list[str]] | None:
                sent = [n.recipients for n in backend.notifications if n.kind == "collaboration_reminder"]
                return sent if len(sent) >= count else None

            found: list[list[str]] = await wait_for(ts_env, probe, f"{count} reminders")
            return found

        await ts_env.sleep(timedelta(seconds=2900))  # 10 min before the reminder lead starts
        assert [e for e in (await task_state(ts_env.client, opened.task_id)).events
                if e.kind.startswith("reminder")] == []
        await ts_env.sleep(timedelta(seconds=200))
        (reminded,) = await task_events("reminder_before_deadline")
        assert near(reminded, deadline - timedelta(seconds=600))
        assert await reminders_sent(1) == [["liu.yang"]]

        await ts_env.sleep(timedelta(seconds=600))  # past the deadline
        (overdue,) = await task_events("reminder_overdue")
        assert near(overdue, deadline)
        assert (await reminders_sent(2))[1] == ["liu.yang", "chen.jie"]

        async def agent_told() -> bool:
            return any(n.kind == "collaboration_overdue" and n.recipients == [AGENT]
                       for n in backend.notifications)

        await wait_for(ts_env, agent_told, "agent told about the overdue task")
        state = await snapshot(ticket)
        assert state.collaboration.tasks[0].overdue
        assert any(e.kind == "collaboration_overdue" for e in state.timeline)

        # Back-off: misses 2 and 3 at +600 s and +1800 s after the deadline; miss 3 escalates.
        await ts_env.sleep(timedelta(seconds=1900))
        repeats = await task_events("reminder_repeat", 2)
        assert len(repeats) == 2
        assert near(repeats[0], deadline + timedelta(seconds=600))
        assert near(repeats[1], deadline + timedelta(seconds=1800))
        (escalated,) = await task_events("reminder_escalation")
        assert near(escalated, deadline + timedelta(seconds=1800))
        # Miss 3 escalates, so from its reminder on the manager hears every repeat too.
        assert (await reminders_sent(4))[2:] == [["liu.yang", "chen.jie"], ["liu.yang", "chen.jie", "li.wei"]]

        async def manager_told() -> list[str] | None:
            return next((n.recipients for n in backend.notifications if n.kind == "collaboration_escalation"
                         and n.recipients != [AGENT]), None)  # the agent hears it from the ticket

        assert await wait_for(ts_env, manager_told, "manager told") == ["li.wei", "chen.jie"]

        async def ticket_escalated() -> bool:
            return (await snapshot(ticket)).collaboration.tasks[0].escalated

        await wait_for(ts_env, ticket_escalated, "ticket sees the escalation")

        child = ts_env.client.get_workflow_handle(opened.task_id, result_type=CollaborationOutcome)
        done = await child.execute_update(CollaborationWorkflow.complete_task, CompleteTaskRequest(
            by="liu.yang", result="集装箱在鹿特丹港因海关查验延误，预计 6 月 5 日放行。",
            attachments=[AttachmentMeta(filename="customs.pdf", content_type="application/pdf", size=1234)]))
        assert done.status is CollaborationStatus.DONE

        state = await wait_ticket_status(ts_env, ticket, TicketStatus.PENDING_REPLY)
        assert state.collaboration.tasks[0].status is CollaborationStatus.DONE
        assert SlaTarget.PENDING_REPLY in state.sla.clocks
        completed = next(e for e in state.timeline if e.kind == "collaboration_completed")
        assert "海关查验" in completed.summary and completed.data["attachments"] == "customs.pdf"
        note = state.messages[-1]
        assert note.direction is Direction.NOTE and note.author == "liu.yang"
        assert "海关查验" in note.original_text
        assert ("collaboration_result", [AGENT]) in [(n.kind, n.recipients) for n in backend.notifications]
        statuses = [(e.data["from"], e.data["to"]) for e in state.timeline if e.kind == "status"]
        assert statuses[-2:] == [("processing", "pending_collaboration"),
                                 ("pending_collaboration", "pending_reply")]

        await ts_env.sleep(timedelta(seconds=FAST.linger_s + 1))  # the task lingers, then ends
        await ended(ts_env, child)
        outcome = await child.result()
        assert outcome.status is CollaborationStatus.DONE and outcome.attachments[0].filename == "customs.pdf"
        final = [p for p in backend.task_projections if p.task.task_id == opened.task_id][-1]
        assert final.task.status is CollaborationStatus.DONE and final.task.misses == 3
        await ticket.terminate()


async def test_two_parallel_tasks_and_paused_customer_sla(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(ts_env, queue)
        first = await ask(ts_env, ticket, CollaborationRequest(
            department="logistics", by=AGENT, question="货物现在在哪里？", deadline_s=7200, reminders=FAST))
        second = await ask(ts_env, ticket, CollaborationRequest(
            department="warehouse", by=AGENT, question="退货是否已入库？", deadline_s=7200, reminders=FAST,
            pause_customer_sla=True))
        assert (first.task_no, second.task_no) == (1, 2)
        assert (first.assignee, second.assignee) == ("chen.jie", "sun.li")  # department heads by default
        state = await snapshot(ticket)
        resolution = state.sla.clocks[SlaTarget.RESOLUTION]
        assert resolution.paused_at is not None
        assert state.collaboration.paused_targets

        await ts_env.sleep(timedelta(minutes=30))
        await ts_env.client.get_workflow_handle(first.task_id).execute_update(
            CollaborationWorkflow.complete_task,
            CompleteTaskRequest(by="chen.jie", result="货在上海港，明天装船。"))

        async def first_done() -> bool:
            return (await snapshot(ticket)).collaboration.tasks[0].status is CollaborationStatus.DONE

        await wait_for(ts_env, first_done, "first task done on the ticket")
        state = await snapshot(ticket)
        assert state.status is TicketStatus.PENDING_COLLABORATION  # the warehouse has not answered yet
        assert state.sla.clocks[SlaTarget.RESOLUTION].paused_at is not None

        await ts_env.client.get_workflow_handle(second.task_id).execute_update(
            CollaborationWorkflow.complete_task,
            CompleteTaskRequest(by="sun.li", result="已入库，质检通过。"))
        state = await wait_ticket_status(ts_env, ticket, TicketStatus.PENDING_REPLY)
        clock = state.sla.clocks[SlaTarget.RESOLUTION]
        assert clock.paused_at is None and not state.collaboration.paused_targets
        # The paused half hour (and more) was added to the customer's resolution deadline.
        assert clock.deadline - resolution.deadline >= timedelta(minutes=30)
        notes = [m.original_text for m in state.messages if m.direction is Direction.NOTE]
        assert any("上海港" in n for n in notes) and any("质检通过" in n for n in notes)
        await ticket.terminate()


async def test_resolving_the_ticket_cancels_open_tasks(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(ts_env, queue)
        ticket_id = (await snapshot(ticket)).ticket_id
        opened = [await ask(ts_env, ticket, CollaborationRequest(
            department=dept, by=AGENT, question="请协助确认", reminders=FAST))
            for dept in ("engineering", "finance")]
        await ticket.execute_update("resolve", ResolveRequest(by=AGENT, resolution="客户撤回"),
                                    result_type=ActionResult)
        for task in opened:
            async def closed(task_id: str = task.task_id) -> bool:
                return (await task_state(ts_env.client, task_id)).status is CollaborationStatus.CANCELLED

            await wait_for(ts_env, closed, f"{task.task_id} cancelled")
            closed_task = await task_state(ts_env.client, task.task_id)
            assert closed_task.close_reason == f"ticket {ticket_id} was resolved"
        await ts_env.sleep(timedelta(seconds=FAST.linger_s + 1))
        for task in opened:
            child = ts_env.client.get_workflow_handle(task.task_id, result_type=CollaborationOutcome)
            await ended(ts_env, child)
            outcome = await child.result()
            assert outcome.status is CollaborationStatus.CANCELLED
        assert sorted(r for n in backend.notifications if n.kind == "collaboration_cancelled"
                      for r in n.recipients) == ["zhao.gang", "zhou.yan"]
        state = await snapshot(ticket)
        assert state.status is TicketStatus.CLOSED
        assert [t.status for t in state.collaboration.tasks] == [CollaborationStatus.CANCELLED] * 2
        assert len([e for e in state.timeline if e.kind == "collaboration_cancelled"]) == 2
        assert (await ticket.result()).status is TicketStatus.CLOSED  # ends after its close grace


async def test_department_cancels_its_only_task_back_to_processing(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(ts_env, queue)
        opened = await ask(ts_env, ticket, CollaborationRequest(
            department="engineering", by=AGENT, question="设备故障代码 E42 是什么意思？", reminders=FAST))
        await ts_env.client.get_workflow_handle(opened.task_id).execute_update(
            CollaborationWorkflow.cancel_task,
            CancelTaskRequest(by="zhao.gang", reason="不是技术问题，请问销售"))
        state = await wait_ticket_status(ts_env, ticket, TicketStatus.PROCESSING)
        cancelled = next(e for e in state.timeline if e.kind == "collaboration_cancelled")
        assert "不是技术问题" in cancelled.summary
        assert ("collaboration_cancelled", [AGENT]) in [(n.kind, n.recipients) for n in backend.notifications]
        await ticket.terminate()


async def test_tasks_survive_the_tickets_continue_as_new(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend, workflows=WORKFLOWS) as queue:
        ticket = await assigned_ticket(ts_env, queue, continue_as_new_after_events=60)
        opened = await ask(ts_env, ticket, CollaborationRequest(
            department="logistics", by=AGENT, question="请查询运单", reminders=FAST))
        for i in range(12):
            await ticket.execute_update("add_note", NoteRequest(author=AGENT, text=f"note {i}"),
                                        result_type=ActionResult)

        first_run = ts_env.client.get_workflow_handle(ticket.id, run_id=ticket.result_run_id)

        async def continued() -> bool:
            # `describe`, not a query: the test server can drop a query that races continue-as-new.
            return (await first_run.describe()).status is WorkflowExecutionStatus.CONTINUED_AS_NEW

        await wait_for(ts_env, continued, "ticket continued as new")
        task = await task_state(ts_env.client, opened.task_id)
        assert task.status is CollaborationStatus.OPEN  # ABANDON: the new run still owns it
        await ts_env.client.get_workflow_handle(opened.task_id).execute_update(
            CollaborationWorkflow.complete_task,
            CompleteTaskRequest(by="chen.jie", result="运单已找到"))
        state = await wait_ticket_status(ts_env, ticket, TicketStatus.PENDING_REPLY)
        assert state.runs >= 2 and state.collaboration.tasks[0].result == "运单已找到"
        await ticket.terminate()
