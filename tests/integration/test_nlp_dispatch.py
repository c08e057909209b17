"""Where a ticket's NLP activities run: on the `tickets` queue when the worker process runs both
queues (eager dispatch, `LINGODESK_NLP_LOCAL`), on the `nlp` queue otherwise."""

import uuid
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from domain.ids import NLP_TASK_QUEUE, TICKETS_TASK_QUEUE, ActivityName
from domain.status import TicketStatus
from domain.ticket import TicketInput
from runtime.tickets import start_ticket, ticket_handle
from tests.integration.conftest import make_settings, run_real_workers
from tests.integration.test_pipeline_devserver import ISSUE_JSON, wait_for

NLP_ACTIVITIES = {ActivityName.DETECT_LANGUAGE, ActivityName.TRANSLATE_TEXT, ActivityName.CLASSIFY_REQUEST}


@pytest.mark.parametrize(("local_nlp", "queue"), [(True, TICKETS_TASK_QUEUE), (False, NLP_TASK_QUEUE)])
async def test_nlp_activities_run_where_the_worker_says(
    dev_env: WorkflowEnvironment, tiny_models_dir: Path, tmp_path: Path, fresh_engines: None,
    local_nlp: bool, queue: str,
) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'store.db'}", tiny_models_dir, tmp_path)
    async for _ in run_real_workers(dev_env, settings, local_nlp=local_nlp):
        ticket_id = f"nq-{uuid.uuid4().hex[:8]}"
        await start_ticket(dev_env.client, TicketInput.model_validate(ISSUE_JSON | {"ticket_id": ticket_id}))
        state = await wait_for(dev_env, ticket_id, TicketStatus.PENDING_ASSIGNMENT)
        assert state.language == "de" and state.messages[0].translation_state == "translated"
        history = await ticket_handle(dev_env.client, ticket_id).fetch_history()
    scheduled = [e.activity_task_scheduled_event_attributes for e in history.events
                 if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED]
    nlp = [a for a in scheduled if a.activity_type.name in NLP_ACTIVITIES]
    assert {a.activity_type.name for a in nlp} == NLP_ACTIVITIES
    assert {a.task_queue.name for a in nlp} == {queue}
    # Everything else stays on the ticket's own queue either way.
    assert {a.task_queue.name for a in scheduled if a not in nlp} == {TICKETS_TASK_QUEUE}
