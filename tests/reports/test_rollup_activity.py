"""The rollup as Temporal runs it: the activity, the workflow, and the 15-minute schedule."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import ScheduleActionStartWorkflow, ScheduleOverlapPolicy
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment
from temporalio.worker import Worker

from activities.report_activities import ReportActivities
from domain.reports import ROLLUP_SCHEDULE_ID, ROLLUP_WORKFLOW, RollupFactsRequest, RollupFactsResult
from runtime.schedules import ensure_schedule, report_facts_rollup
from runtime.settings import Settings
from store.reports import language_report
from tests.reports.dataset import TICKETS
from workflows.report_rollup import ReportFactsRollupWorkflow


def test_activity_rolls_up_and_is_idempotent(seeded: sessionmaker[Session]) -> None:
    acts = ReportActivities(seeded)
    env = ActivityEnvironment()
    first = env.run(acts.rollup_report_facts, RollupFactsRequest())
    assert (first.tickets, first.days) == (len(TICKETS), 3)  # 2026-03-02, 03-03, 03-12
    with seeded() as session:
        before = language_report(session)
    full = env.run(acts.rollup_report_facts, RollupFactsRequest(full=True))
    assert full.tickets == len(TICKETS) and full.watermark == first.watermark
    with seeded() as session:
        assert language_report(session) == before
        assert sum(r.tickets for r in before) == len(TICKETS)


async def test_workflow_runs_the_activity(ts_env: WorkflowEnvironment, seeded: sessionmaker[Session]) -> None:
    acts = ReportActivities(seeded)
    with ThreadPoolExecutor(max_workers=2) as executor:
        async with Worker(ts_env.client, task_queue="reports-test", workflows=[ReportFactsRollupWorkflow],
                          activities=[acts.rollup_report_facts], activity_executor=executor):
            # Started like the schedule starts it: no input.
            result = await ts_env.client.execute_workflow(
                ROLLUP_WORKFLOW, id=f"rollup-{uuid.uuid4().hex}", task_queue="reports-test",
                result_type=RollupFactsResult)
    assert result.tickets == len(TICKETS)
    with seeded() as session:
        assert {r.language for r in language_report(session)} == {"en", "de", "th"}


async def test_schedule_every_15_minutes_skipping_overlaps(dev_env: WorkflowEnvironment) -> None:
    client = dev_env.client
    definition = report_facts_rollup(Settings())
    await ensure_schedule(client, definition.model_copy(update={"every": timedelta(minutes=30)}))
    await ensure_schedule(client, definition)  # second call updates in place instead of failing
    handle = client.get_schedule_handle(ROLLUP_SCHEDULE_ID)
    try:
        described = await handle.describe()
        assert [i.every for i in described.schedule.spec.intervals] == [timedelta(minutes=15)]
        assert described.schedule.policy.overlap == ScheduleOverlapPolicy.SKIP
        action = described.schedule.action
        assert isinstance(action, ScheduleActionStartWorkflow) and action.workflow == ROLLUP_WORKFLOW
    finally:
        await handle.delete()
