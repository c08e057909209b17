"""Hot-issue fixtures: a migrated SQLite store; the console fixtures for the AppTest."""

import pytest
from sqlalchemy.orm import Session, sessionmaker

from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from tests.console.conftest import console_db, gateway  # noqa: F401


@pytest.fixture
def store(sqlite_url: str) -> sessionmaker[Session]:
    upgrade(sqlite_url)  # the migrations, 0004 (hot_issue_alerts) included
    return make_session_factory(make_engine(sqlite_url))
