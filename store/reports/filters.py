"""What every report accepts: a date range on the ticket's creation day plus team, language, channel."""

from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, and_, true

REPEAT_DAYS_DEFAULT = 7  # repeat-inquiry window the daily facts are pre-summed for


class ReportFilters(BaseModel):
    """Filters on ticket facts. Dates are UTC days of `tickets.created_at`, both ends inclusive."""

    start: date | None = None
    end: date | None = None
    team: str | None = None  # "" selects tickets without a team
    language: str | None = None
    channel: str | None = None
    repeat_days: int = Field(default=REPEAT_DAYS_DEFAULT, ge=1, le=365)

    def days(self) -> int | None:
        """Length of the range in days, when both ends are given."""
        if self.start is None or self.end is None:
            return None
        return max((self.end - self.start).days + 1, 0)


def where(table: Any, f: ReportFilters) -> ColumnElement[bool]:
    """The filter as a WHERE clause over a facts table (both facts tables share these columns)."""
    conds: list[ColumnElement[bool]] = []
    if f.start is not None:
        conds.append(table.c.day >= f.start)
    if f.end is not None:
        conds.append(table.c.day <= f.end)
    if f.team is not None:
        conds.append(table.c.team == f.team)
    if f.language:
        conds.append(table.c.language == f.language)
    if f.channel:
        conds.append(table.c.channel == f.channel)
    return and_(true(), *conds)
