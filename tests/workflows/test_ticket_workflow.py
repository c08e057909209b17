"""TicketWorkflow on the time-skipping server with same-named fake activities."""

import asyncio
import uuid
from datetime import timedelta

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from domain.actions import AssignRequest, CustomerMessage, NoteRequest, ReplyRequest, ResolveRequest
from domain.sla import SlaPolicy, SlaTarget
from domain.status import TicketStatus
from domain.ticket import Channel, Customer, DeliveryState, Direction, TicketInput, TicketState
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.ticket import TicketWorkflow


def ticket_input(**kw: object) -> TicketInput:
    base: dict[str, object] = {
        "ticket_id": f"t-{uuid.uuid4().hex[:8]}",
        "channel": Channel.EMAIL,
        "customer": Customer(email="k.weber@example.de", name="Klaus Weber"),
        "subject": "Gerät startet nicht",
        "body": "Guten Tag, das Gerät startet nach dem Firmware-Update nicht mehr.",
        "sla": SlaPolicy(close_grace_s=60),
    }
    base.update(kw)
    return TicketInput.model_validate(base)


async def start(client: Client, queue: str, inp: TicketInput):  # type: ignore[no-untyped-def]
    return await client.start_workflow(
        TicketWorkflow.run, inp, id=f"ticket-{inp.ticket_id}", task_queue=queue
    )


async def snapshot(handle) -> TicketState:  # type: ignore[no-untyped-def]
    state: TicketState = await handle.query("get_snapshot", result_type=TicketState)
    return state


async def wait_status(env: WorkflowEnvironment, handle, status: TicketStatus) -> TicketState:  # type: ignore[no-untyped-def]
    for _ in range(200):
        state = await snapshot(handle)
        if state.status is status and state.accepting_actions:
            return state
        await env.sleep(0.05)
    raise AssertionError(f"ticket never reached {status}; last {state.status}")


async def test_full_path_detect_translate_assign_reply_resolve(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend) as queue:
        inp = ticket_input()
        handle = await start(ts_env.client, queue, inp)
        state = await wait_status(ts_env, handle, TicketStatus.PENDING_ASSIGNMENT)
        assert state.language == "de"
        assert state.messages[0].translated_text == f"[zh] {inp.body}"
        assert state.subject_translated == "[zh] Gerät startet nicht"
        assert SlaTarget.ASSIGN in state.sla.clocks

        await handle.execute_update(
            TicketWorkflow.assign, AssignRequest(agent_id="lukas.meyer", by="zhang.min")
        )
        await handle.execute_update(
            TicketWorkflow.add_note, NoteRequest(author="lukas.meyer", text="客户固件版本 2.1")
        )
        result = await handle.execute_update(
            TicketWorkflow.reply, ReplyRequest(agent_id="lukas.meyer", text="请重启设备。")
        )
        assert result.seq == 3
        await ts_env.sleep(1)
        state = await snapshot(handle)
        reply = state.messages[2]
        assert reply.direction is Direction.OUTBOUND
        assert reply.translated_text == "[de] 请重启设备。"
        assert reply.delivery is DeliveryState.SENT
        assert backend.sent[0].text == "[de] 请重启设备。"
        assert state.first_response_at is not None

        await handle.execute_update(
            TicketWorkflow.resolve, ResolveRequest(by="lukas.meyer", resolution="firmware reflashed")
        )
        await ts_env.sleep(120)  # past the close grace period
        result = await handle.result()
        assert result.status is TicketStatus.CLOSED
        final = backend.last_state()
        assert final.state.status is TicketStatus.CLOSED
        kinds = [e.kind for p in backend.projections for e in p.events]
        assert kinds[:2] == ["created", "language_detected"]
        assert "reply_sent" in kinds and kinds.count("created") == 1


async def test_untranslatable_language_is_explicit(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend(language="fi", translatable=set())
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await start(ts_env.client, queue, ticket_input(body="Laite ei käynnisty."))
        state = await wait_status(ts_env, handle, TicketStatus.PENDING_ASSIGNMENT)
        first = state.messages[0]
        assert first.translation_state == "unavailable"
        assert first.translated_text is None
        assert "fi->zh" in first.delivery_detail
        await handle.terminate()


async def test_illegal_actions_are_rejected_with_clear_errors(dev_env: WorkflowEnvironment) -> None:
    # On the dev server: the time-skipping test server stays locked after a rejected update.
    backend = FakeBackend()
    async with fake_workers(dev_env.client, backend) as queue:
        handle = await start(dev_env.client, queue, ticket_input())
        await wait_status(dev_env, handle, TicketStatus.PENDING_ASSIGNMENT)
        for _ in range(100):  # intake (auto-assignment included) may still be finishing
            with pytest.raises(WorkflowUpdateFailedError) as err:
                await handle.execute_update(TicketWorkflow.reply, ReplyRequest(agent_id="x", text="你好"))
            if "still being received" not in str(err.value.cause):
                break
            await asyncio.sleep(0.05)
        assert "assign the ticket before replying" in str(err.value.cause)
        await handle.execute_update(TicketWorkflow.resolve, ResolveRequest(by="sup"))
        with pytest.raises(WorkflowUpdateFailedError) as err:
            await handle.execute_update(TicketWorkflow.assign, AssignRequest(agent_id="a"))
        assert "closed" in str(err.value.cause)
        await handle.terminate()


async def test_customer_message_dedup_and_reopen(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await start(ts_env.client, queue, ticket_input(message_id="<m1@example.de>"))
        await wait_status(ts_env, handle, TicketStatus.PENDING_ASSIGNMENT)
        await handle.execute_update(TicketWorkflow.assign, AssignRequest(agent_id="lukas.meyer"))
        msg = CustomerMessage(text="Es geht immer noch nicht.", message_id="<m2@example.de>")
        await handle.signal("customer_message", msg)
        await handle.signal("customer_message", msg)  # delivered twice
        await handle.signal("customer_message", CustomerMessage(text="dup", message_id="<m1@example.de>"))
        await ts_env.sleep(1)
        state = await snapshot(handle)
        inbound = [m for m in state.messages if m.direction is Direction.INBOUND]
        assert [m.original_text for m in inbound][1:] == ["Es geht immer noch nicht."]
        assert any(n.kind == "new_message" and n.recipients == ["lukas.meyer"] for n in backend.notifications)
        await handle.execute_update(TicketWorkflow.resolve, ResolveRequest(by="lukas.meyer"))
        await handle.signal("customer_message", CustomerMessage(text="Wieder kaputt", message_id="<m3@x>"))
        await ts_env.sleep(1)
        state = await snapshot(handle)
        assert state.status is TicketStatus.PROCESSING
        assert state.reopen_count == 1
        await handle.terminate()


async def test_assign_sla_breach_escalates(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await start(ts_env.client, queue, ticket_input())
        await wait_status(ts_env, handle, TicketStatus.PENDING_ASSIGNMENT)
        await ts_env.sleep(timedelta(minutes=25))
        state = await snapshot(handle)
        assert [e.kind for e in state.timeline if e.kind.startswith("sla")] == ["sla_warning"]
        assert not state.sla_breached
        await ts_env.sleep(timedelta(minutes=6))
        state = await snapshot(handle)
        assert state.sla_breached
        assert any(e.kind == "escalation" for e in state.timeline)
        await ts_env.sleep(timedelta(minutes=31))
        state = await snapshot(handle)
        roles = [e.data.get("role") for e in state.timeline if e.kind == "escalation"]
        assert roles == ["agent", "supervisor"]
        assert state.priority == "high"
        await handle.terminate()


async def test_continue_as_new_keeps_state(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await start(ts_env.client, queue, ticket_input(continue_as_new_after_events=60))
        await wait_status(ts_env, handle, TicketStatus.PENDING_ASSIGNMENT)
        await handle.execute_update(TicketWorkflow.assign, AssignRequest(agent_id="lukas.meyer"))
        for i in range(12):
            await handle.execute_update(
                TicketWorkflow.add_note, NoteRequest(author="lukas.meyer", text=f"note {i}")
            )
        await ts_env.sleep(1)
        state = await snapshot(handle)
        assert state.runs >= 2
        assert state.assignee == "lukas.meyer"
        assert len([m for m in state.messages if m.direction is Direction.NOTE]) == 12
        await handle.terminate()


async def test_intake_runs_independent_activities_side_by_side(ts_env: WorkflowEnvironment) -> None:
    """The first projection write with language ID, and the body's with the subject's translation,
    are scheduled by one workflow task each (histories from before replay one after the other)."""
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await start(ts_env.client, queue, ticket_input())
        state = await wait_status(ts_env, handle, TicketStatus.PENDING_ASSIGNMENT)
        assert state.subject_translated == "[zh] Gerät startet nicht"
        history = await handle.fetch_history()
    batches: list[list[str]] = []  # activities scheduled per workflow task completion
    for e in history.events:
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            batches.append([])
        elif e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED and batches:
            batches[-1].append(e.activity_task_scheduled_event_attributes.activity_type.name)
    batches = [b for b in batches if b]
    assert batches[0] == ["record_ticket", "detect_language"]
    assert batches[1] == ["translate_text", "translate_text"]
    assert batches[2] == ["classify_request"]
