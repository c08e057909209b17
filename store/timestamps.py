"""Datetimes read back from the store, made comparable: SQLite returns them naive."""

from datetime import UTC, datetime


def as_utc(value: datetime) -> datetime:
    """UTC, aware. Naive values are UTC already (everything Lingodesk writes is); aware ones
    (PostgreSQL's, in the session's time zone) are converted."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
