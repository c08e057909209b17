"""SLA resolution in business time, pause arithmetic, and the after-hours acknowledgement."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from domain.routing import ComputeDeadlinesRequest, DeadlineSpec, ResolveSlaRequest, ResumeSpec
from domain.sla import SlaPolicy, SlaTarget
from routing.acknowledgement import TEMPLATES, format_when, render_ack
from routing.deadlines import compute_deadlines, resolve_with
from store.sla_policies import US_EASTERN

NY = ZoneInfo("America/New_York")
HOUR = 3600
VIP = SlaPolicy(policy_id="vip", targets_s={SlaTarget.ASSIGN: 15 * 60, SlaTarget.FIRST_REPLY: 2 * HOUR,
                                            SlaTarget.RESOLUTION: 8 * HOUR})


def ny(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NY)


def test_resolution_inside_hours_has_no_ack() -> None:
    req = ResolveSlaRequest(ticket_id="t1", language="en", at=ny(2026, 11, 17, 10, 0))
    resolved = resolve_with(req, VIP, US_EASTERN, "newyork")
    assert resolved.open_now and resolved.acknowledgement is None
    assert resolved.deadlines[SlaTarget.ASSIGN].deadline == ny(2026, 11, 17, 10, 15)
    assert resolved.deadlines[SlaTarget.ASSIGN].warn_at == ny(2026, 11, 17, 10, 12)
    assert resolved.deadlines[SlaTarget.RESOLUTION].deadline == ny(2026, 11, 18, 10, 0)
    assert resolved.first_reply_due == ny(2026, 11, 17, 12, 0)


def test_saturday_ticket_gets_an_ack_with_the_promised_time() -> None:
    req = ResolveSlaRequest(ticket_id="t2", language="de", at=ny(2026, 11, 14, 11, 0),
                            customer_timezone="Europe/Berlin")
    resolved = resolve_with(req, VIP, US_EASTERN, None)
    assert not resolved.open_now
    assert resolved.next_open == ny(2026, 11, 16, 9, 0)
    ack = resolved.acknowledgement
    assert ack is not None and ack.language == "de"
    assert ack.expected_by == ny(2026, 11, 16, 11, 0)
    # 11:00 in New York is 17:00 in Berlin: the customer reads their own clock.
    assert "2026-11-16 17:00 (Europe/Berlin, UTC+01:00)" in ack.text
    assert ack.text.startswith("Vielen Dank") and "#t2" in ack.text


def test_ack_language_fallback_and_formats() -> None:
    ack = render_ack("fi", "#t3", datetime(2026, 11, 16, 14, 0, tzinfo=UTC), None, "America/New_York")
    assert ack.language == "en" and "2026-11-16 09:00 (America/New_York, UTC-05:00)" in ack.text
    regional = render_ack("pt-BR", "#t4", datetime(2026, 11, 16, 14, 0, tzinfo=UTC), "Nowhere/Bad", "UTC")
    assert regional.language == "pt" and "(UTC, UTC+00:00)" in regional.text
    assert format_when(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "Asia/Kolkata", "UTC") == \
        "2026-07-01 17:30 (Asia/Kolkata, UTC+05:30)"
    assert all("{ref}" in t and "{when}" in t for t in TEMPLATES.values())


def test_wall_clock_resolution_without_calendar() -> None:
    at = datetime(2026, 11, 14, 11, 0, tzinfo=UTC)
    resolved = resolve_with(ResolveSlaRequest(ticket_id="t", at=at), VIP, None, None)
    assert resolved.open_now and resolved.calendar is None and resolved.acknowledgement is None
    assert (resolved.deadlines[SlaTarget.ASSIGN].deadline - at).total_seconds() == 15 * 60


def test_pause_over_a_weekend_keeps_the_business_time_left() -> None:
    # 8 business hours from Thursday 13:00 end Friday 13:00; paused Thursday 15:00 with 6 h left,
    # resumed Saturday: the 6 hours count from Monday 09:00.
    computed = compute_deadlines(ComputeDeadlinesRequest(calendar=US_EASTERN, resumed=[ResumeSpec(
        target=SlaTarget.RESOLUTION, paused_at=ny(2026, 11, 12, 15, 0), resumed_at=ny(2026, 11, 14, 10, 0),
        deadline=ny(2026, 11, 13, 13, 0), warn_at=ny(2026, 11, 13, 11, 24))]))
    due = computed.deadlines[SlaTarget.RESOLUTION]
    assert due.deadline == ny(2026, 11, 16, 15, 0)
    assert due.warn_at == ny(2026, 11, 16, 13, 24)
    assert due.business_s == 6 * HOUR


def test_fresh_and_breached_resumes() -> None:
    computed = compute_deadlines(ComputeDeadlinesRequest(
        calendar=US_EASTERN,
        fresh=[DeadlineSpec(target=SlaTarget.FIRST_REPLY, start=ny(2026, 11, 13, 16, 30), business_s=2 * HOUR,
                            warn_s=round(1.6 * HOUR))],
        resumed=[ResumeSpec(target=SlaTarget.RESOLUTION, paused_at=ny(2026, 11, 13, 16, 0),
                            resumed_at=ny(2026, 11, 16, 10, 0), deadline=ny(2026, 11, 13, 12, 0),
                            warn_at=ny(2026, 11, 13, 11, 0))]))
    assert computed.deadlines[SlaTarget.FIRST_REPLY].deadline == ny(2026, 11, 16, 10, 30)
    assert computed.deadlines[SlaTarget.FIRST_REPLY].warn_at == ny(2026, 11, 16, 10, 6)
    # Paused after its breach: the deadline stays, so the escalation chain keeps its schedule.
    assert computed.deadlines[SlaTarget.RESOLUTION].deadline == ny(2026, 11, 13, 12, 0)


def test_the_assignment_computes_the_first_reply_deadline_as_the_deadline_activity_would() -> None:
    from activities.routing_activities import first_reply_deadline

    spec = DeadlineSpec(target=SlaTarget.FIRST_REPLY, start=ny(2026, 11, 20, 16, 0), business_s=2 * HOUR,
                        warn_s=round(2 * HOUR * 0.8))
    expected = compute_deadlines(ComputeDeadlinesRequest(calendar=US_EASTERN, fresh=[spec]))
    assert first_reply_deadline(spec, US_EASTERN) == expected.deadlines[SlaTarget.FIRST_REPLY]
    # A calendar that cannot be used gives nothing: the ticket then asks the deadline activity,
    # which reports the problem on the timeline.
    broken = US_EASTERN.model_copy(update={"timezone": "Mars/Olympus_Mons"})
    assert first_reply_deadline(spec, broken) is None
