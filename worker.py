"""Composition root: builds engines, the store and the activities, and runs the workers.

python worker.py              # both task queues
python worker.py --only nlp   # scale the NLP queue separately (CPU/GPU heavy)
"""

import argparse
import asyncio
import logging
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.channel_activities import ChannelActivities
from activities.collaboration_activities import CollaborationActivities
from activities.nlp_activities import NlpActivities
from activities.report_activities import ReportActivities
from activities.routing_activities import RoutingActivities
from activities.sla_activities import SlaActivities
from activities.store_activities import StoreActivities
from channels.email.smtp_out import mailer_from_settings
from channels.email.task_mail import task_mail_sinks
from channels.notify_sinks import NotifySettings, build_sinks
from domain.ids import NLP_TASK_QUEUE, TICKETS_TASK_QUEUE
from runtime.assignment import CapacityNudger
from runtime.client import connect
from runtime.feedback_worker import feedback_activities
from runtime.schedules import ensure_schedules
from runtime.settings import Settings, get_settings
from store.agents import address_book
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from workflows.collaboration import CollaborationWorkflow
from workflows.hot_issues import HotIssueScanWorkflow
from workflows.nlp_dispatch import LocalNlpDispatch
from workflows.report_rollup import ReportFactsRollupWorkflow
from workflows.ticket import TicketWorkflow

log = logging.getLogger("lingodesk.worker")


def build_ticket_worker(
    client: Client, settings: Settings, executor: ThreadPoolExecutor, local_nlp: bool = False, **tuning: Any
) -> Worker:
    """`tuning`: extra `Worker` options (concurrency, sticky cache...) that bench/pipeline_bench.py varies.

    `local_nlp`: this process runs the NLP activities too; they are registered here and the
    tickets schedule them on this queue, where they dispatch eagerly (workflows/nlp_dispatch.py).
    """
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    # Replies, alerts, department tasks and CSAT surveys go out by SMTP when LINGODESK_SMTP_HOST is
    # set (one mailer: it opens a connection per message, so the activity threads can share it).
    mailer = mailer_from_settings(settings)
    # Alerts: always the console's list (SQL); e-mail/webhook too when LINGODESK_NOTIFY_* say so.
    sinks = build_sinks(NotifySettings(), mailer, address_book(sessions), settings.mail_domain)
    sinks += task_mail_sinks(sessions, settings, mailer)  # departments get their tasks by e-mail
    # Resolving or moving a ticket away frees its agent's capacity: pending tickets retry at once.
    store = StoreActivities(sessions, sinks=sinks,
                            on_capacity_freed=CapacityNudger.on_running_loop(client, sessions))
    # Without a mailer, replies are recorded only.
    channels = ChannelActivities(sessions, mailer=mailer, mail_domain=settings.mail_domain)
    collaboration = CollaborationActivities(sessions)
    routing = RoutingActivities(sessions)
    sla = SlaActivities(sessions)
    reports = ReportActivities(sessions)  # the 15-minute report-facts rollup (runtime/schedules.py)
    return activity_worker(
        client,
        settings,
        task_queue=TICKETS_TASK_QUEUE,
        workflow_runner=tuning.pop("workflow_runner", None) or workflow_runner(settings),
        workflows=[TicketWorkflow, CollaborationWorkflow, ReportFactsRollupWorkflow, HotIssueScanWorkflow],
        activities=[
            store.record_ticket,
            store.notify,
            channels.send_reply,
            collaboration.plan_collaboration,
            collaboration.record_collaboration_task,
            routing.assign_ticket,
            routing.escalation_contacts,
            sla.resolve_sla,
            sla.compute_sla_deadlines,
            reports.rollup_report_facts,
            *feedback_activities(sessions, settings, mailer),  # CSAT survey/answers, hot-issue scan
            *(nlp_activities(settings) if local_nlp else []),
        ],
        activity_executor=executor,
        interceptors=[*tuning.pop("interceptors", []), *([LocalNlpDispatch()] if local_nlp else [])],
        **tuning,
    )


def activity_worker(client: Client, settings: Settings, **options: Any) -> Worker:
    """A `Worker` holding up to `LINGODESK_ACTIVITY_SLOTS` activity tasks (runtime/settings.py).

    The slots outnumber the executor's threads on purpose: tasks queue for a thread (each takes
    milliseconds) instead of falling back to the server, where they waited behind every eager task.
    The SDK warns about exactly that ratio, so the warning is silenced here and nowhere else.
    """
    options.setdefault("max_concurrent_activities", settings.activity_slots)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Worker max_concurrent_activities is", category=UserWarning)
        return Worker(client, **options)


def workflow_runner(settings: Settings) -> WorkflowRunner:
    """The sandbox for our workflows; see LINGODESK_WORKFLOW_SANDBOX in runtime/settings.py.

    Passing `workflows` and `domain` through makes the sandbox import them once per process, not
    once per workflow run (bench/pipeline_bench.py, docs/scaling.md: about a fifth of a ticket's
    worker CPU when translation is cheap).
    Safe because those modules hold no mutable module state; non-determinism is still caught by
    the workflow tests (their own workers use the default, strict sandbox) and by tests/replay.
    """
    if settings.workflow_sandbox == "strict":
        return SandboxedWorkflowRunner()
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules("workflows", "domain")
    )


def nlp_activities(settings: Settings) -> list[Callable[..., Any]]:
    """Language ID, classification and translation; the engines load once per process."""
    from nlp.factory import build_classifier, build_detector, build_translator

    nlp = NlpActivities(build_detector(settings), build_classifier(settings), build_translator(settings))
    return [nlp.detect_language, nlp.classify_request, nlp.translate_text]


def build_nlp_worker(
    client: Client, settings: Settings, executor: ThreadPoolExecutor, **tuning: Any
) -> Worker:
    return activity_worker(
        client,
        settings,
        task_queue=NLP_TASK_QUEUE,
        activities=nlp_activities(settings),
        activity_executor=executor,
        **tuning,
    )


async def run_workers(queues: Sequence[str], settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    if TICKETS_TASK_QUEUE in queues:
        upgrade(settings.database_url)
    client = await connect(settings)
    with ThreadPoolExecutor(max_workers=settings.activity_threads) as executor:
        workers: list[Worker] = []
        if TICKETS_TASK_QUEUE in queues:
            # One process for both queues: its tickets' NLP calls stay in it (docs/scaling.md).
            local_nlp = NLP_TASK_QUEUE in queues and settings.nlp_local
            workers.append(build_ticket_worker(client, settings, executor, local_nlp=local_nlp))
            await ensure_schedules(client, settings)  # hot-issue scan, report rollup (runtime/schedules.py)
        if NLP_TASK_QUEUE in queues:
            workers.append(build_nlp_worker(client, settings, executor))
        log.info("workers running on %s at %s", ", ".join(queues), settings.temporal_address)
        if client.data_converter.payload_codec is None:
            log.warning("payload encryption is off: set LINGODESK_PAYLOAD_KEYS_FILE (docs/security.md)")
        await asyncio.gather(*(w.run() for w in workers))


def parse_queues(only: str | None) -> list[str]:
    return [only] if only else [TICKETS_TASK_QUEUE, NLP_TASK_QUEUE]


def build_parser() -> argparse.ArgumentParser:
    # Separate so tests/unit/test_compose.py can check the compose file's worker commands parse.
    parser = argparse.ArgumentParser(description="Run Lingodesk workers")
    parser.add_argument(
        "--only", choices=[TICKETS_TASK_QUEUE, NLP_TASK_QUEUE], help="run one task queue only"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(run_workers(parse_queues(args.only)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
