"""The CSAT part of TicketWorkflow on the time-skipping server, with same-named fake activities."""

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from domain.actions import ActionResult, AssignRequest, ReopenRequest, ResolveRequest
from domain.csat import CsatSubmission
from domain.nlp import TranslationState
from domain.sla import SlaPolicy
from domain.status import TicketStatus
from domain.ticket import Channel, Customer, TicketInput, TicketState
from tests.helpers.fake_activities import FakeBackend, fake_workers
from workflows.ticket import TicketWorkflow

GRACE_S = 3600


def ticket_input() -> TicketInput:
    return TicketInput(
        ticket_id=f"c-{uuid.uuid4().hex[:8]}",
        channel=Channel.EMAIL,
        customer=Customer(email="k.weber@example.de", name="Klaus Weber"),
        subject="Akku wird heiß",
        body="Der Akku meines X200 wird beim Laden sehr heiß.",
        sla=SlaPolicy(close_grace_s=GRACE_S),
    )


async def snapshot(handle: WorkflowHandle[Any, Any]) -> TicketState:
    state: TicketState = await handle.query("get_snapshot", result_type=TicketState)
    return state


async def resolved_ticket(env: WorkflowEnvironment, client: Client, queue: str) -> WorkflowHandle[Any, Any]:
    inp = ticket_input()
    handle = await client.start_workflow(
        TicketWorkflow.run, inp, id=f"ticket-{inp.ticket_id}", task_queue=queue
    )
    for _ in range(200):
        if (await snapshot(handle)).accepting_actions:
            break
        await env.sleep(0.05)
    await handle.execute_update("assign", AssignRequest(agent_id="lukas.meyer", by="zhang.min"))
    await handle.execute_update("resolve", ResolveRequest(by="lukas.meyer", resolution="Akku ersetzt"))
    return handle


async def until(env: WorkflowEnvironment, check: Callable[[], bool]) -> None:
    for _ in range(200):
        if check():
            return
        await env.sleep(0.05)
    raise AssertionError("condition never met")


async def test_survey_on_resolve_then_answer_translated_recorded_and_low_score_alerted(
    ts_env: WorkflowEnvironment,
) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await resolved_ticket(ts_env, ts_env.client, queue)
        await until(ts_env, lambda: bool(backend.surveys))
        survey = backend.surveys[0]
        state = await snapshot(handle)
        assert (survey.round, survey.language, survey.customer.email) == (0, "de", "k.weber@example.de")
        assert state.closed_at is not None and survey.expires_at == state.closed_at + timedelta(
            seconds=GRACE_S
        )
        assert state.csat.surveyed_rounds == [0]

        result = await handle.execute_update(
            "submit_csat", CsatSubmission(score=2, comment="Immer noch heiß."), result_type=ActionResult
        )
        assert result.detail == "rated 2"
        await until(ts_env, lambda: bool(backend.csat_records))
        record = backend.csat_records[0]
        assert (record.score, record.round, record.agent_id, record.language) == (2, 0, "lukas.meyer", "de")
        assert record.comment_translated == "[zh] Immer noch heiß." and record.comment_language == "de"
        await until(ts_env, lambda: any(n.kind == "csat_low" for n in backend.notifications))
        alert = next(n for n in backend.notifications if n.kind == "csat_low")
        assert alert.recipients == ["supervisor"] and "2/5" in alert.summary
        state = await snapshot(handle)
        kinds = [e.kind for e in state.timeline]
        assert (
            kinds.count("csat_survey") == 1 and kinds.count("csat") == 1 and kinds.count("csat_comment") == 1
        )
        comment_event = next(e for e in state.timeline if e.kind == "csat_comment")
        assert comment_event.summary == "CSAT 2/5: [zh] Immer noch heiß."

        # Reopened and resolved again: a second survey round, rated separately.
        await handle.execute_update("reopen", ReopenRequest(by="lukas.meyer", reason="wieder heiß"))
        await handle.execute_update("resolve", ResolveRequest(by="lukas.meyer"))
        await until(ts_env, lambda: len(backend.surveys) == 2)
        assert backend.surveys[1].round == 1
        await handle.execute_update("submit_csat", CsatSubmission(score=5, round=1))
        await until(ts_env, lambda: len(backend.csat_records) == 2)
        assert backend.csat_records[1].comment_translated is None  # no comment, nothing to translate
        assert sum(n.kind == "csat_low" for n in backend.notifications) == 1  # 5/5 alerts nobody

        # The workflow still ends after the grace period: the survey window is its lifetime.
        result_state = await handle.result()
        assert result_state.status is TicketStatus.CLOSED


async def test_comment_without_a_translation_model_is_recorded_untranslated(
    ts_env: WorkflowEnvironment,
) -> None:
    backend = FakeBackend(translatable={("zh", "de")})  # nothing into zh
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await resolved_ticket(ts_env, ts_env.client, queue)
        await until(ts_env, lambda: bool(backend.surveys))
        await handle.execute_update("submit_csat", CsatSubmission(score=4, comment="Gut gemacht."))
        await until(ts_env, lambda: bool(backend.csat_records))
        assert backend.csat_records[0].comment_translated is None
        answer = (await snapshot(handle)).csat.answers[0]
        assert answer.translation_state is TranslationState.UNAVAILABLE and answer.recorded
        event = next(e for e in (await snapshot(handle)).timeline if e.kind == "csat_comment")
        assert event.data["translation"] == "unavailable" and event.summary == "CSAT 4/5: Gut gemacht."
        assert not any(n.kind == "csat_low" for n in backend.notifications)
