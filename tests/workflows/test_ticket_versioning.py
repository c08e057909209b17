"""A new ticket records one versioning marker, and upserts its search attributes only on change.

Histories recorded before either change replay through `tests/replay` (their own markers, their
repeated upserts), so this file checks only what a new run writes.
"""

from itertools import pairwise

from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import WorkflowHistory
from temporalio.testing import WorkflowEnvironment

from domain.actions import AssignRequest
from domain.status import TicketStatus
from tests.helpers.fake_activities import FakeBackend, fake_workers
from tests.workflows.test_ticket_workflow import start, ticket_input, wait_status
from workflows.patches import GENERATIONS
from workflows.ticket import TicketWorkflow

CHANGE_VERSION = "TemporalChangeVersion"


def _of(history: WorkflowHistory, kind: EventType.ValueType) -> list[HistoryEvent]:
    return [e for e in history.events if e.event_type == kind]


def _upserted(e: HistoryEvent) -> dict[str, bytes]:
    fields = e.upsert_workflow_search_attributes_event_attributes.search_attributes.indexed_fields
    return {name: payload.data for name, payload in fields.items()}


async def test_new_ticket_records_one_generation_marker_and_no_repeated_upsert(
    ts_env: WorkflowEnvironment,
) -> None:
    backend = FakeBackend()
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await start(ts_env.client, queue, ticket_input())
        await wait_status(ts_env, handle, TicketStatus.PENDING_ASSIGNMENT)
        assign = AssignRequest(agent_id="lukas.meyer", by="zhang.min")
        await handle.execute_update(TicketWorkflow.assign, assign)
        await wait_status(ts_env, handle, TicketStatus.PROCESSING)
        history = await handle.fetch_history()
        await handle.terminate()

    markers = _of(history, EventType.EVENT_TYPE_MARKER_RECORDED)
    newest, included = GENERATIONS[0]
    assert len(markers) == 1
    assert newest.encode() in markers[0].SerializeToString()
    # Not one of the ids the generation stands for got a marker of its own.
    raw = history.to_json()
    assert not [patch_id for patch_id in included if patch_id in raw]

    upserts = [_upserted(e) for e in _of(history, EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)]
    assert sum(CHANGE_VERSION in u for u in upserts) == 1
    ticket_upserts = [u for u in upserts if CHANGE_VERSION not in u]
    statuses = [u["TicketStatus"] for u in ticket_upserts]
    assert statuses == [b'"pending_assignment"', b'"processing"']
    # The assignment changes status and assignee in one upsert, not one upsert each.
    assert ticket_upserts[-1]["TicketAssignee"] == b'"lukas.meyer"'
    assert all(a != b for a, b in pairwise(ticket_upserts))
