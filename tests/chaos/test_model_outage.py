"""A translation model missing (or failing to load) when the ticket arrives: the ticket proceeds
untranslated, with the state visible (snapshot and store), and is translated by the workflow's
own durable retry once a working model is installed: no restart, no agent action.

Runs on the time-skipping server, so the ten-minute retry timer passes at once; the NLP engines,
store and model are real (the tiny CTranslate2 model, built into the models directory mid-ticket).
"""

import shutil
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from domain.nlp import TranslationState
from domain.status import TicketStatus
from domain.ticket import Channel, Customer, TicketInput
from runtime.tickets import start_ticket
from store.db import make_engine, make_session_factory
from store.tables import MessageRow
from tests.channels.helpers import eventually
from tests.chaos import figures
from tests.chaos.inprocess import chaos_settings, real_workers
from tests.chaos.workers import wait_state
from tests.helpers.tiny_ct2 import build_tiny_model
from workflows.ticket_conversation import RETRANSLATE_EVERY


def stored_state(db_url: str, ticket_id: str) -> str | None:
    with make_session_factory(make_engine(db_url))() as session:
        return session.scalar(
            select(MessageRow.translation_state).where(MessageRow.ticket_id == ticket_id, MessageRow.seq == 1)
        )


def break_model(models: Path) -> Path:
    """A de->zh model whose weights are garbage: found in the catalog, fails when loaded."""
    folder = build_tiny_model(models, "de", "zh")
    for weights in folder.rglob("model.bin"):
        weights.write_bytes(b"not a model" * 100)
    return folder


def repair_model(models: Path, broken: Path | None) -> None:
    if broken is not None:
        shutil.rmtree(broken)
    build_tiny_model(models, "de", "zh")


@pytest.mark.parametrize(
    ("fault", "failed_state"),
    [("missing", TranslationState.UNAVAILABLE), ("failing", TranslationState.FAILED)],
)
async def test_untranslated_ticket_is_translated_once_the_model_is_back(
    ts_env: WorkflowEnvironment, tmp_path: Path, fault: str, failed_state: TranslationState
) -> None:
    models = tmp_path / "models"
    models.mkdir()  # the models directory exists but holds no de->zh model yet
    broken = break_model(models) if fault == "failing" else None
    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    ticket_id = f"model-{uuid.uuid4().hex[:8]}"
    async with real_workers(ts_env.client, chaos_settings(db_url, models, tmp_path)):
        await start_ticket(
            ts_env.client,
            TicketInput(
                ticket_id=ticket_id,
                channel=Channel.API,
                customer=Customer(email="k.weber@example.de"),
                body="Das Gerät startet nach dem Update nicht mehr.",
            ),
        )
        before = await wait_state(
            ts_env.client,
            ticket_id,
            lambda s: bool(s.messages) and s.messages[0].translation_state is failed_state,
            "untranslated first message",
        )
        figures.add("model outages")
        # The ticket is not held up: it goes on to routing with the missing translation visible.
        assert before.status is TicketStatus.PENDING_ASSIGNMENT
        assert before.messages[0].translated_text is None
        # The store is a projection written by an activity after the state changes: poll it.
        await eventually(lambda: stored_state(db_url, ticket_id) == failed_state,
                         f"store shows {failed_state}")

        repair_model(models, broken)
        await ts_env.sleep(RETRANSLATE_EVERY + timedelta(minutes=1))
        after = await wait_state(
            ts_env.client,
            ticket_id,
            lambda s: s.messages[0].translation_state is TranslationState.TRANSLATED,
            "translation after the model came back",
        )
        assert after.messages[0].translated_text
        assert after.messages[0].model_id
        assert any(e.kind == "translated" for e in after.timeline)
        await eventually(lambda: stored_state(db_url, ticket_id) == TranslationState.TRANSLATED,
                         "store shows translated")
        figures.add("losses", 0)
