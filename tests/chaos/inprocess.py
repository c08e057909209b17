"""The production workers from worker.py run in this process (real store, real NLP engines)."""

from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

from temporalio.client import Client

import worker
from nlp import factory
from runtime.settings import Settings
from store.migrate import upgrade


def chaos_settings(database_url: str, models_dir: Path, data_dir: Path, **extra: str) -> Settings:
    return Settings.model_validate(
        {
            "DATABASE_URL": database_url,
            "LINGODESK_MODELS_DIR": str(models_dir),
            "LINGODESK_DATA_DIR": str(data_dir),
            **extra,
        }
    )


@asynccontextmanager
async def real_workers(client: Client, settings: Settings) -> AsyncIterator[Settings]:
    """Both task queues, engines built fresh from `settings` (the factory caches them per process)."""
    upgrade(settings.database_url)
    factory.reset()
    try:
        with ThreadPoolExecutor(max_workers=8) as executor:
            tickets = worker.build_ticket_worker(client, settings, executor)
            nlp = worker.build_nlp_worker(client, settings, executor)
            async with tickets, nlp:
                yield settings
    finally:
        factory.reset()
