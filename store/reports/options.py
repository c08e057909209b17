"""What the report filters can choose from, and how fresh the facts are."""

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.reports.rollup import WATERMARK
from store.tables import ReportDailyFactRow, ReportWatermarkRow

DAILY: Any = ReportDailyFactRow.__table__


class FilterOptions(BaseModel):
    first_day: date | None = None
    last_day: date | None = None
    teams: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    channels: list[str] = Field(default_factory=list)
    facts_updated_at: datetime | None = None  # when the rollup last moved its watermark


def filter_options(session: Session) -> FilterOptions:
    d = DAILY.c
    first, last = session.execute(select(func.min(d.day), func.max(d.day))).one()

    def distinct(column: Any) -> list[str]:
        return [str(v) for v in session.scalars(select(column).distinct().order_by(column))]

    mark = session.get(ReportWatermarkRow, WATERMARK)
    return FilterOptions(first_day=first, last_day=last, teams=distinct(d.team),
                         languages=distinct(d.language), channels=distinct(d.channel),
                         facts_updated_at=mark.updated_at if mark else None)
