"""Business-time arithmetic: shifts, weekends, public holidays, closures, DST, overnight shifts."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import BusinessCalendar, always_open, weekdays_hours
from routing.business_time import BusinessTime

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
HOUR = 3600


def us_eastern(**kw: object) -> BusinessTime:
    return BusinessTime(BusinessCalendar(calendar_id="us", timezone="America/New_York", country="US",
                                         hours=weekdays_hours("09:00", "17:00"), **kw))  # type: ignore[arg-type]


def ny(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NY)


def test_friday_afternoon_plus_two_hours_is_monday_morning() -> None:
    bt = us_eastern()
    assert bt.add(ny(2026, 11, 13, 16, 0), 2 * HOUR) == ny(2026, 11, 16, 10, 0)


def test_weekend_and_memorial_day_are_skipped() -> None:
    bt = us_eastern()
    # Friday 2026-05-22 16:00; Monday 2026-05-25 is Memorial Day.
    due = bt.add(ny(2026, 5, 22, 16, 0), 2 * HOUR)
    assert due == ny(2026, 5, 26, 10, 0)
    assert bt.between(ny(2026, 5, 22, 16, 0), due) == 2 * HOUR


def test_us_spring_forward_weekend_keeps_business_hours_exact() -> None:
    bt = us_eastern()
    start = ny(2026, 3, 6, 16, 0)  # Friday, EST (UTC-5); DST starts Sunday 2026-03-08
    due = bt.add(start, 2 * HOUR)
    assert due == ny(2026, 3, 9, 10, 0)
    assert due.astimezone(UTC) == datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # EDT, UTC-4
    assert start.astimezone(UTC) == datetime(2026, 3, 6, 21, 0, tzinfo=UTC)


def test_always_open_calendar_counts_real_hours_across_dst() -> None:
    bt = BusinessTime(always_open("America/New_York"))
    assert bt.between(ny(2026, 3, 7, 0, 0), ny(2026, 3, 9, 0, 0)) == 47 * HOUR  # spring forward
    assert bt.between(ny(2026, 10, 31, 0, 0), ny(2026, 11, 2, 0, 0)) == 49 * HOUR  # fall back
    berlin = BusinessTime(always_open("Europe/Berlin"))
    sunday = datetime(2026, 10, 25, 0, 0, tzinfo=BERLIN)
    assert berlin.between(sunday, sunday.replace(day=26)) == 25 * HOUR
    # 24 business hours from Saturday noon end on Sunday at 11:00 local, not 12:00, after fall back.
    assert berlin.add(datetime(2026, 10, 24, 12, 0, tzinfo=BERLIN), 24 * HOUR) == \
        datetime(2026, 10, 25, 11, 0, tzinfo=BERLIN)


def test_split_shifts_skip_the_lunch_break() -> None:
    cal = BusinessCalendar(timezone="Asia/Manila", hours={d: [("09:00", "12:00"), ("13:00", "18:00")]
                                                          for d in range(5)})
    bt = BusinessTime(cal)
    manila = ZoneInfo("Asia/Manila")
    assert bt.add(datetime(2026, 11, 17, 11, 30, tzinfo=manila), HOUR) == \
        datetime(2026, 11, 17, 13, 30, tzinfo=manila)
    assert not bt.is_open(datetime(2026, 11, 17, 12, 30, tzinfo=manila))
    assert bt.next_open(datetime(2026, 11, 17, 12, 30, tzinfo=manila)) == \
        datetime(2026, 11, 17, 13, 0, tzinfo=manila)


def test_overnight_shift_runs_past_midnight() -> None:
    cal = BusinessCalendar(timezone="UTC", hours={d: [("22:00", "06:00")] for d in range(7)})
    bt = BusinessTime(cal)
    day = datetime(2026, 11, 17, tzinfo=UTC)
    assert bt.add(day - timedelta(hours=1), 2 * HOUR) == day + timedelta(hours=1)
    # From 05:00 one hour is left in this shift; the next starts at 22:00.
    assert bt.add(day + timedelta(hours=5), 2 * HOUR) == day + timedelta(hours=23)
    assert bt.is_open(datetime(2026, 11, 17, 3, 0, tzinfo=UTC))


def test_company_closures_and_working_holidays() -> None:
    closed = us_eastern(closures=[date(2026, 11, 16)])  # a Monday
    assert closed.add(ny(2026, 11, 13, 16, 0), 2 * HOUR) == ny(2026, 11, 17, 10, 0)
    # Thanksgiving is a public holiday, unless the team works it.
    assert us_eastern().add(ny(2026, 11, 25, 16, 0), 2 * HOUR) == ny(2026, 11, 27, 10, 0)
    works = us_eastern(working_holidays=[date(2026, 11, 26)])
    assert works.add(ny(2026, 11, 25, 16, 0), 2 * HOUR) == ny(2026, 11, 26, 10, 0)


def test_open_and_next_open_and_zero() -> None:
    bt = us_eastern()
    saturday = ny(2026, 11, 14, 10, 0)
    assert not bt.is_open(saturday)
    assert bt.next_open(saturday) == ny(2026, 11, 16, 9, 0)
    assert bt.is_open(ny(2026, 11, 16, 9, 0))
    assert bt.add(saturday, 0) == saturday
    assert bt.between(ny(2026, 11, 16, 12, 0), ny(2026, 11, 16, 10, 0)) == -2 * HOUR


def test_bad_calendars_fail_loudly() -> None:
    with pytest.raises(ValueError, match="no working hours"):
        BusinessTime(BusinessCalendar(hours={}))
    with pytest.raises(ValueError, match="HH:MM"):
        BusinessCalendar(hours={0: [("9am", "17:00")]})
    with pytest.raises(ValueError, match="timezone-aware"):
        us_eastern().add(datetime(2026, 1, 5, 9, 0), HOUR)


@settings(max_examples=60, deadline=None)
@given(start_minutes=st.integers(min_value=0, max_value=60 * 24 * 400), seconds=st.integers(1, 40 * 8 * HOUR))
def test_add_and_between_agree(start_minutes: int, seconds: int) -> None:
    bt = us_eastern()
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=start_minutes)
    due = bt.add(start, seconds)
    assert due > start
    assert bt.between(start, due) == pytest.approx(seconds)
    assert bt.is_open(due - timedelta(seconds=1))
