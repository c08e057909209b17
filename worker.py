"""Composition root: builds engines, the store and the activities, and runs the workers.

python worker.py              # both task queues
python worker.py --only nlp   # scale the NLP queue separately (CPU/GPU heavy)
"""

import argparse
import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from temporalio.client import Client
from temporalio.worker import Worker

from activities.channel_activities import ChannelActivities
from activities.collaboration_activities import CollaborationActivities
from activities.nlp_activities import NlpActivities
from activities.routing_activities import RoutingActivities
from activities.sla_activities import SlaActivities
from activities.store_activities import StoreActivities
from channels.email.smtp_out import mailer_from_settings
from channels.notify_sinks import NotifySettings, build_sinks
from domain.ids import NLP_TASK_QUEUE, TICKETS_TASK_QUEUE
from runtime.client import connect
from runtime.settings import Settings, get_settings
from store.agents import address_book
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from workflows.collaboration import CollaborationWorkflow
from workflows.ticket import TicketWorkflow

log = logging.getLogger("lingodesk.worker")


def build_ticket_worker(client: Client, settings: Settings, executor: ThreadPoolExecutor) -> Worker:
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    # Alerts: always the console's list (SQL); e-mail/webhook too when LINGODESK_NOTIFY_* say so.
    sinks = build_sinks(
        NotifySettings(), mailer_from_settings(settings), address_book(sessions), settings.mail_domain
    )
    store = StoreActivities(sessions, sinks=sinks)
    # Replies go out by SMTP when LINGODESK_SMTP_HOST is set; otherwise they are recorded only.
    channels = ChannelActivities(
        sessions, mailer=mailer_from_settings(settings), mail_domain=settings.mail_domain
    )
    collaboration = CollaborationActivities(sessions)
    routing = RoutingActivities(sessions)
    sla = SlaActivities(sessions)
    return Worker(
        client,
        task_queue=TICKETS_TASK_QUEUE,
        workflows=[TicketWorkflow, CollaborationWorkflow],
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
        ],
        activity_executor=executor,
    )


def build_nlp_worker(client: Client, settings: Settings, executor: ThreadPoolExecutor) -> Worker:
    from nlp.factory import build_classifier, build_detector, build_translator

    nlp = NlpActivities(build_detector(settings), build_classifier(settings), build_translator(settings))
    return Worker(
        client,
        task_queue=NLP_TASK_QUEUE,
        activities=[nlp.detect_language, nlp.classify_request, nlp.translate_text],
        activity_executor=executor,
    )


async def run_workers(queues: Sequence[str], settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    if TICKETS_TASK_QUEUE in queues:
        upgrade(settings.database_url)
    client = await connect(settings)
    with ThreadPoolExecutor(max_workers=16) as executor:
        workers: list[Worker] = []
        if TICKETS_TASK_QUEUE in queues:
            workers.append(build_ticket_worker(client, settings, executor))
        if NLP_TASK_QUEUE in queues:
            workers.append(build_nlp_worker(client, settings, executor))
        log.info("workers running on %s at %s", ", ".join(queues), settings.temporal_address)
        await asyncio.gather(*(w.run() for w in workers))


def parse_queues(only: str | None) -> list[str]:
    return [only] if only else [TICKETS_TASK_QUEUE, NLP_TASK_QUEUE]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run Lingodesk workers")
    parser.add_argument(
        "--only", choices=[TICKETS_TASK_QUEUE, NLP_TASK_QUEUE], help="run one task queue only"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(run_workers(parse_queues(args.only)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
