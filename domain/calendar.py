"""Business calendars: the hours in which SLA time runs, per team or per named calendar.

Only data here: the arithmetic (time zones, public holidays from the `holidays` package)
lives in `routing/business_time.py` and runs in activities, never in the workflow.
"""

import re
from datetime import date

from pydantic import BaseModel, Field, field_validator

_HHMM = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")

WeekdayShifts = dict[int, list[tuple[str, str]]]


def parse_hhmm(value: str) -> int:
    """Minutes after midnight for "HH:MM" ("24:00" is the end of the day)."""
    match = _HHMM.match(value.strip())
    if match is None:
        raise ValueError(f"time must be HH:MM, got {value!r}")
    minutes = int(match.group(1)) * 60 + int(match.group(2))
    if minutes > 24 * 60:
        raise ValueError(f"time after 24:00: {value!r}")
    return minutes


def weekdays_hours(start: str = "09:00", end: str = "18:00", days: int = 5) -> WeekdayShifts:
    """Monday..(days) with one shift each; `days=7` with 00:00-24:00 is a 24/7 calendar."""
    return {d: [(start, end)] for d in range(days)}


class BusinessCalendar(BaseModel):
    """When a team works. Shifts are local wall-clock times in `timezone`.

    A shift whose end is not after its start runs past midnight (22:00-06:00) and belongs to
    the day it starts on. Dates in `closures` (company closures, extra days off) and the
    public holidays of `country`/`subdivision` have no business hours.
    """

    calendar_id: str = "default"
    name: str = ""
    timezone: str = "UTC"
    # weekday (0 = Monday) -> shifts; split shifts are several entries on one day
    hours: WeekdayShifts = Field(default_factory=weekdays_hours)
    country: str | None = None  # ISO 3166 code for the `holidays` package, e.g. "US", "DE"
    subdivision: str | None = None  # state/province for regional holidays, e.g. "NY", "BY"
    closures: list[date] = Field(default_factory=list)
    # Holidays the company works anyway (a public holiday that is a normal day for this team).
    working_holidays: list[date] = Field(default_factory=list)

    @field_validator("hours")
    @classmethod
    def _check_hours(cls, hours: WeekdayShifts) -> WeekdayShifts:
        for day, shifts in hours.items():
            if not 0 <= day <= 6:
                raise ValueError(f"weekday must be 0 (Monday) .. 6 (Sunday), got {day}")
            for start, end in shifts:
                if parse_hhmm(start) >= 24 * 60:
                    raise ValueError(f"a shift cannot start at {start}")
                parse_hhmm(end)
        return hours

    def has_hours(self) -> bool:
        return any(shifts for shifts in self.hours.values())


def always_open(timezone: str = "UTC") -> BusinessCalendar:
    return BusinessCalendar(calendar_id="24x7", name="24/7", timezone=timezone,
                            hours=weekdays_hours("00:00", "24:00", days=7))
