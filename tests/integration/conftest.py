"""Fixtures for running the real workers (real store, real NLP engines) against the dev server."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

import worker
from nlp import factory
from runtime.settings import Settings
from store.migrate import upgrade


def make_settings(database_url: str, models_dir: Path, data_dir: Path) -> Settings:
    return Settings.model_validate(
        {
            "DATABASE_URL": database_url,
            "LINGODESK_MODELS_DIR": str(models_dir),
            "LINGODESK_DATA_DIR": str(data_dir),
        }
    )


@pytest.fixture
def fresh_engines() -> Iterator[None]:
    factory.reset()
    yield
    factory.reset()


async def run_real_workers(env: WorkflowEnvironment, settings: Settings,
                           local_nlp: bool = True) -> AsyncIterator[Settings]:
    """Both workers in this process, as `python worker.py` runs them (NLP local by default)."""
    upgrade(settings.database_url)
    with ThreadPoolExecutor(max_workers=8) as executor:
        tickets = worker.build_ticket_worker(env.client, settings, executor, local_nlp=local_nlp)
        nlp = worker.build_nlp_worker(env.client, settings, executor)
        async with tickets, nlp:
            yield settings
        await asyncio.sleep(0)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def real_workers(
    request: pytest.FixtureRequest,
    dev_env: WorkflowEnvironment,
    tiny_models_dir: Path,
    tmp_path: Path,
    fresh_engines: None,
) -> AsyncIterator[Settings]:
    """The production workers from worker.py on the dev server, over SQLite and over PostgreSQL."""
    url = (
        f"sqlite:///{tmp_path / 'store.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    async for settings in run_real_workers(dev_env, make_settings(url, tiny_models_dir, tmp_path)):
        yield settings
