"""Business calendars from the store: named calendars, team calendars, company closures."""

from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from domain.calendar import BusinessCalendar
from store.tables import BusinessCalendarRow, CompanyClosureRow, TeamRow
from store.upsert import upsert

# A closure longer than this is a typo (a wrong year), not a holiday.
MAX_CLOSURE_DAYS = 60


def closure_dates(session: Session, calendar_id: str) -> list[date]:
    rows = session.scalars(select(CompanyClosureRow).where(
        or_(CompanyClosureRow.calendar_id.is_(None), CompanyClosureRow.calendar_id == calendar_id)))
    out: set[date] = set()
    for row in rows:
        first, last = date.fromisoformat(row.start_date), date.fromisoformat(row.end_date)
        days = min((last - first).days, MAX_CLOSURE_DAYS)
        out.update(first + timedelta(days=i) for i in range(days + 1))
    return sorted(out)


def _with_closures(session: Session, calendar: BusinessCalendar) -> BusinessCalendar:
    extra = closure_dates(session, calendar.calendar_id)
    if not extra:
        return calendar
    return calendar.model_copy(update={"closures": sorted(set(calendar.closures) | set(extra))})


def calendar_from_row(row: BusinessCalendarRow) -> BusinessCalendar:
    return BusinessCalendar(calendar_id=row.calendar_id, name=row.name, timezone=row.timezone,
                            hours=row.hours, country=row.country, subdivision=row.subdivision,
                            closures=row.closures, working_holidays=row.working_holidays)


def team_calendar_spec(session: Session, team: TeamRow) -> BusinessCalendar:
    """A team's `calendar` JSON is either `{"calendar_id": ...}` or an inline calendar."""
    spec: dict[str, Any] = dict(team.calendar or {})
    ref = spec.get("calendar_id")
    if ref and ref != team.team_id:
        row = session.get(BusinessCalendarRow, ref)
        if row is not None:
            return calendar_from_row(row)
    spec.setdefault("timezone", team.timezone)
    spec["calendar_id"] = team.team_id
    spec.setdefault("name", team.name)
    return BusinessCalendar.model_validate(spec)


def get_calendar(session: Session, calendar_id: str) -> BusinessCalendar | None:
    """A named calendar, or a team's calendar by team id; company closures merged in."""
    row = session.get(BusinessCalendarRow, calendar_id)
    if row is not None:
        return _with_closures(session, calendar_from_row(row))
    team = session.get(TeamRow, calendar_id)
    if team is not None:
        return _with_closures(session, team_calendar_spec(session, team))
    return None


def save_calendar(session: Session, calendar: BusinessCalendar) -> None:
    data = calendar.model_dump(mode="json")
    upsert(session, BusinessCalendarRow.__table__,  # type: ignore[arg-type]
           [{"calendar_id": data["calendar_id"], "name": data["name"], "timezone": data["timezone"],
             "hours": data["hours"], "country": data["country"], "subdivision": data["subdivision"],
             "closures": data["closures"], "working_holidays": data["working_holidays"]}], ["calendar_id"])


def list_calendars(session: Session) -> list[BusinessCalendar]:
    return [calendar_from_row(r) for r in session.scalars(select(BusinessCalendarRow)
                                                          .order_by(BusinessCalendarRow.calendar_id))]


def add_closure(session: Session, start: date, end: date, reason: str = "",
                calendar_id: str | None = None) -> int:
    if end < start:
        raise ValueError(f"closure ends ({end}) before it starts ({start})")
    row = CompanyClosureRow(start_date=start.isoformat(), end_date=end.isoformat(), reason=reason,
                            calendar_id=calendar_id)
    session.add(row)
    session.flush()
    return row.closure_id


class ClosureView(BaseModel):
    closure_id: int
    start: date
    end: date
    reason: str = ""
    calendar_id: str | None = None  # None: every calendar


def list_closures(session: Session) -> list[ClosureView]:
    rows = session.scalars(select(CompanyClosureRow).order_by(CompanyClosureRow.start_date))
    return [ClosureView(closure_id=r.closure_id, start=date.fromisoformat(r.start_date),
                        end=date.fromisoformat(r.end_date), reason=r.reason or "", calendar_id=r.calendar_id)
            for r in rows]
