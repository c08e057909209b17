"""Run Alembic migrations programmatically (`lingodesk db upgrade`, the worker at start)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.orm import Session, sessionmaker

from store.db import make_engine, make_session_factory, normalize_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    # "heads": capabilities developed side by side add migrations on parallel branches off 0001.
    engine = make_engine(url)  # creates the SQLite folder if needed
    engine.dispose()
    command.upgrade(alembic_config(url), revision)


def revision(url: str, message: str) -> None:
    command.revision(alembic_config(url), message=message, autogenerate=True)


def migrated_sessions(url: str) -> sessionmaker[Session]:
    """Sessions on a store brought to the latest schema: what every command that opens the store needs."""
    upgrade(url)
    return make_session_factory(make_engine(url))
