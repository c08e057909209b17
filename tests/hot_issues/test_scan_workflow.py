"""HotIssueScanWorkflow on the time-skipping server (real scan activity on SQLite, notify recorded),
and the Temporal Schedule that starts it every 15 minutes (dev server)."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.client import Client, ScheduleActionStartWorkflow
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.hot_issue_activities import HotIssueActivities
from domain.hot_issues import (
    HOT_ISSUE_KIND,
    HOT_ISSUE_SCHEDULE_ID,
    HOT_ISSUE_WORKFLOW,
    ScanHotIssuesRequest,
)
from domain.ids import ActivityName
from domain.store_io import NotifyRequest
from insights.settings import HotIssueSettings
from runtime.schedules import ScheduleDef, ensure_schedule, ensure_schedules
from runtime.settings import Settings
from store.hot_issues import list_alerts
from tests.hot_issues.data import concept_index, normal_days, seed, spike
from workflows.hot_issues import HotIssueScanWorkflow


@asynccontextmanager
async def scan_worker(
    client: Client, store: sessionmaker[Session], sent: list[NotifyRequest]
) -> AsyncIterator[str]:
    @activity.defn(name=ActivityName.NOTIFY)
    async def notify(req: NotifyRequest) -> None:
        sent.append(req)

    queue = f"hot-{uuid.uuid4().hex[:8]}"
    scans = HotIssueActivities(store, concept_index(), HotIssueSettings(recipients=["supervisor", "qa.lead"]))
    with ThreadPoolExecutor(max_workers=2) as executor:
        async with Worker(
            client,
            task_queue=queue,
            workflows=[HotIssueScanWorkflow],
            activities=[scans.scan_hot_issues, notify],
            activity_executor=executor,
        ):
            yield queue


async def test_scheduled_scan_raises_one_alert_for_the_spike_and_sends_it_once(
    ts_env: WorkflowEnvironment, store: sessionmaker[Session]
) -> None:
    now = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
    seed(store, normal_days(now) + spike(now, {"de": 5, "es": 5, "ja": 4}))
    sent: list[NotifyRequest] = []
    async with scan_worker(ts_env.client, store, sent) as queue:
        # Two scheduled runs a quarter of an hour apart: still one alert. The scan time is passed in
        # (a Schedule passes none and the workflow uses workflow.now(): the dev-server test below).
        for minutes in (0, 15):
            result = await ts_env.client.execute_workflow(
                HotIssueScanWorkflow.run,
                ScanHotIssuesRequest(now=now + timedelta(minutes=minutes)),
                id=f"scan-{uuid.uuid4().hex[:6]}",
                task_queue=queue,
            )
        assert len(result.alerts) == 1 and not result.alerts[0].created
    (alert,) = list_alerts(store)
    assert alert.summary == "battery, overheating, model X200: 14 tickets in 6 hours from de, es, ja"
    assert len(sent) == 1
    assert sent[0].kind == HOT_ISSUE_KIND and sent[0].recipients == ["supervisor", "qa.lead"]
    assert sent[0].summary == alert.summary and sent[0].ticket_id == f"hot-issue-{alert.alert_id}"


async def test_scan_of_a_normal_day_raises_nothing(
    ts_env: WorkflowEnvironment, store: sessionmaker[Session]
) -> None:
    now = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
    seed(store, normal_days(now, per_hour=4))
    sent: list[NotifyRequest] = []
    async with scan_worker(ts_env.client, store, sent) as queue:
        result = await ts_env.client.execute_workflow(
            HotIssueScanWorkflow.run,
            ScanHotIssuesRequest(now=now),
            id=f"scan-{uuid.uuid4().hex[:6]}",
            task_queue=queue,
        )
    assert result.alerts == [] and result.hot_keys == []
    assert result.tickets_scanned == (7 * 24 + 6) * 4  # baseline week + window, 4 tickets an hour
    assert sent == [] and list_alerts(store, include_closed=True) == []


async def test_ensure_schedules_creates_then_updates_the_15_minute_schedule(
    dev_env: WorkflowEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = dev_env.client
    settings = Settings()
    handle = client.get_schedule_handle(HOT_ISSUE_SCHEDULE_ID)
    try:
        await ensure_schedules(client, settings)
        described = await handle.describe()
        assert described.schedule.spec.intervals[0].every == timedelta(minutes=15)
        action = described.schedule.action
        assert isinstance(action, ScheduleActionStartWorkflow)
        assert action.workflow == HOT_ISSUE_WORKFLOW and action.task_queue == "tickets"
        monkeypatch.setenv("LINGODESK_HOT_SCAN_MINUTES", "5")
        await ensure_schedules(client, settings)  # already there: updated, not an error
        described = await handle.describe()
        assert described.schedule.spec.intervals[0].every == timedelta(minutes=5)
    finally:
        await handle.delete()


async def test_a_triggered_schedule_runs_the_scan(
    dev_env: WorkflowEnvironment, store: sessionmaker[Session]
) -> None:
    now = datetime.now(UTC)
    seed(store, spike(now, {"de": 2, "es": 2, "ja": 2}))
    sent: list[NotifyRequest] = []
    async with scan_worker(dev_env.client, store, sent) as queue:
        definition = ScheduleDef(
            schedule_id=f"hot-test-{uuid.uuid4().hex[:6]}",
            workflow=HOT_ISSUE_WORKFLOW,
            every=timedelta(hours=1),
            task_queue=queue,
        )
        await ensure_schedule(dev_env.client, definition)
        handle = dev_env.client.get_schedule_handle(definition.schedule_id)
        try:
            await handle.trigger()
            for _ in range(200):
                if list_alerts(store):
                    break
                await asyncio.sleep(0.1)
        finally:
            await handle.delete()
    (alert,) = list_alerts(store)
    assert alert.ticket_count == 6 and alert.languages == ["de", "es", "ja"]
