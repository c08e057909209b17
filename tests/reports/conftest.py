"""A migrated store (SQLite, and PostgreSQL under the `postgres` mark) holding the report dataset."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from tests.reports.dataset import seed


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reports.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def empty_store(store_url: str) -> Iterator[sessionmaker[Session]]:
    upgrade(store_url)  # through the migrations, so 0003 is what the reports run on
    engine = make_engine(store_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def seeded(empty_store: sessionmaker[Session]) -> sessionmaker[Session]:
    with empty_store.begin() as session:
        seed(session)
    return empty_store
