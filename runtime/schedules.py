"""Every Temporal Schedule Lingodesk needs, created or brought up to date at worker start.

`ensure_schedules(client, settings)` is idempotent: it creates a missing schedule and updates an
existing one to the current definition (interval, workflow, queue), so changing the interval in
the environment and restarting the worker is all it takes. Add a schedule: write one
`ScheduleSpec`-returning function and list it in `definitions()`.
"""

import logging
from datetime import timedelta

from pydantic import BaseModel
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from domain.hot_issues import HOT_ISSUE_SCHEDULE_ID, HOT_ISSUE_WORKFLOW
from domain.ids import TICKETS_TASK_QUEUE
from domain.reports import ROLLUP_EVERY_S, ROLLUP_SCHEDULE_ID, ROLLUP_WORKFLOW
from insights.settings import HotIssueSettings
from runtime.settings import Settings

log = logging.getLogger("lingodesk.schedules")


class ScheduleDef(BaseModel):
    schedule_id: str
    workflow: str
    every: timedelta
    task_queue: str = TICKETS_TASK_QUEUE
    note: str = ""

    def schedule(self) -> Schedule:
        return Schedule(
            action=ScheduleActionStartWorkflow(
                self.workflow,
                id=f"{self.schedule_id}-run",
                task_queue=self.task_queue,
                execution_timeout=max(self.every * 4, timedelta(minutes=30)),
            ),
            spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=self.every)]),
            # A scan still running when the next is due: skip that one rather than pile up.
            policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
        )


def hot_issue_scan(settings: Settings) -> ScheduleDef:
    minutes = HotIssueSettings().scan_every_minutes
    return ScheduleDef(
        schedule_id=HOT_ISSUE_SCHEDULE_ID,
        workflow=HOT_ISSUE_WORKFLOW,
        every=timedelta(minutes=minutes),
        note="cross-language hot-issue scan",
    )


def report_facts_rollup(settings: Settings) -> ScheduleDef:
    return ScheduleDef(
        schedule_id=ROLLUP_SCHEDULE_ID,
        workflow=ROLLUP_WORKFLOW,
        every=timedelta(seconds=ROLLUP_EVERY_S),
        note="report facts for the Reports page (store/reports)",
    )


def definitions(settings: Settings) -> list[ScheduleDef]:
    return [hot_issue_scan(settings), report_facts_rollup(settings)]


async def ensure_schedule(client: Client, definition: ScheduleDef) -> None:
    schedule = definition.schedule()
    try:
        await client.create_schedule(definition.schedule_id, schedule)
        log.info("schedule %s created (every %s)", definition.schedule_id, definition.every)
    except ScheduleAlreadyRunningError:

        def replace(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=schedule)

        await client.get_schedule_handle(definition.schedule_id).update(replace)
        log.info("schedule %s updated (every %s)", definition.schedule_id, definition.every)


async def ensure_schedules(client: Client, settings: Settings) -> None:
    for definition in definitions(settings):
        await ensure_schedule(client, definition)
