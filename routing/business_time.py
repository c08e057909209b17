"""Business-time arithmetic over a `BusinessCalendar`: add, measure, is-open, next-open.

Open intervals are built per local day from the calendar's shifts, converted to UTC through
`zoneinfo`, so daylight-saving changes are exact: a business second is a real second inside
an open interval. Public holidays come from the `holidays` package (cached per country).
Runs in activities only; the workflow receives absolute datetimes.
"""

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from domain.calendar import BusinessCalendar, parse_hhmm

# A calendar with no open hour in this many days is a configuration error, not a long wait.
MAX_DAYS = 3 * 366

_holiday_lock = threading.Lock()


@lru_cache(maxsize=64)
def _country_holidays(country: str, subdivision: str | None) -> Any:
    return holidays.country_holidays(country, subdiv=subdivision)


def is_public_holiday(country: str, subdivision: str | None, day: date) -> bool:
    table = _country_holidays(country.upper(), subdivision)
    with _holiday_lock:  # the table fills in new years lazily; threads share it
        return day in table


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("business time needs timezone-aware datetimes")
    return at.astimezone(UTC)


class BusinessTime:
    def __init__(self, calendar: BusinessCalendar) -> None:
        if not calendar.has_hours():
            raise ValueError(f"calendar {calendar.calendar_id!r} has no working hours")
        self.calendar = calendar
        self.tz = ZoneInfo(calendar.timezone)
        self._closures = set(calendar.closures)
        self._working_holidays = set(calendar.working_holidays)
        self._shifts = {day: [(parse_hhmm(a), parse_hhmm(b)) for a, b in shifts]
                        for day, shifts in calendar.hours.items()}

    # ------------------------------------------------------------------ days
    def is_closed(self, day: date) -> bool:
        if day in self._closures:
            return True
        cal = self.calendar
        if cal.country and day not in self._working_holidays:
            return is_public_holiday(cal.country, cal.subdivision, day)
        return False

    def _local(self, day: date, minutes: int) -> datetime:
        extra, minutes = divmod(minutes, 24 * 60)
        clock = time(minutes // 60, minutes % 60)
        wall = datetime.combine(day + timedelta(days=extra), clock, tzinfo=self.tz)
        return wall.astimezone(UTC)

    def day_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """Open intervals (UTC) of the shifts that start on local `day`."""
        if self.is_closed(day):
            return []
        out: list[tuple[datetime, datetime]] = []
        for start, end in sorted(self._shifts.get(day.weekday(), [])):
            if end <= start:
                end += 24 * 60  # runs past midnight
            begin, finish = self._local(day, start), self._local(day, end)
            if finish > begin:
                out.append((begin, finish))
        return out

    def intervals_from(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open intervals from `start` on, clipped to it, in order and never overlapping."""
        cursor = _aware(start)
        # The day before: a shift that started yesterday evening may still be running.
        day = cursor.astimezone(self.tz).date() - timedelta(days=1)
        for _ in range(MAX_DAYS):
            for begin, finish in self.day_intervals(day):
                begin = max(begin, cursor)
                if finish > begin:
                    yield begin, finish
                    cursor = finish
            day += timedelta(days=1)
        raise ValueError(f"calendar {self.calendar.calendar_id!r} has no open hours for {MAX_DAYS} days")

    # ------------------------------------------------------------ arithmetic
    def add(self, start: datetime, seconds: float) -> datetime:
        """The instant when `seconds` of business time have passed since `start`."""
        if seconds <= 0:
            return _aware(start)
        remaining = seconds
        for begin, finish in self.intervals_from(start):
            span = (finish - begin).total_seconds()
            if remaining <= span:
                return begin + timedelta(seconds=remaining)
            remaining -= span
        raise AssertionError("unreachable: intervals_from raises first")

    def between(self, start: datetime, end: datetime) -> float:
        """Business seconds in [start, end); negative when end is before start."""
        a, b = _aware(start), _aware(end)
        if b < a:
            return -self.between(b, a)
        total = 0.0
        for begin, finish in self.intervals_from(a):
            if begin >= b:
                break
            total += (min(finish, b) - begin).total_seconds()
        return total

    def is_open(self, at: datetime) -> bool:
        begin, _ = next(self.intervals_from(at))
        return begin <= _aware(at)

    def next_open(self, at: datetime) -> datetime:
        """`at` itself when open, else the start of the next open interval."""
        begin, _ = next(self.intervals_from(at))
        return begin
