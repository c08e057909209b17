"""Absolute SLA deadlines from business seconds, and SLA resolution once policy and calendar are known.

Pure functions of their inputs (the `holidays` tables aside), shared by the real activities
and the test fakes so both compute the same deadlines.
"""

from datetime import datetime, timedelta

from domain.calendar import BusinessCalendar
from domain.routing import (
    ClockDeadline,
    ComputedDeadlines,
    ComputeDeadlinesRequest,
    ResolvedSla,
    ResolveSlaRequest,
)
from domain.sla import SlaPolicy, SlaTarget
from routing.acknowledgement import render_ack
from routing.business_time import BusinessTime


def wall_deadline(start: datetime, seconds: int, warn_ratio: float) -> ClockDeadline:
    return ClockDeadline(deadline=start + timedelta(seconds=seconds),
                         warn_at=start + timedelta(seconds=seconds * warn_ratio), business_s=seconds)


def business_deadline(bt: BusinessTime, start: datetime, seconds: int, warn_ratio: float) -> ClockDeadline:
    return ClockDeadline(deadline=bt.add(start, seconds), warn_at=bt.add(start, seconds * warn_ratio),
                         business_s=seconds)


def compute_deadlines(req: ComputeDeadlinesRequest) -> ComputedDeadlines:
    bt = BusinessTime(req.calendar)
    out: dict[SlaTarget, ClockDeadline] = {}
    for spec in req.fresh:
        out[spec.target] = ClockDeadline(deadline=bt.add(spec.start, spec.business_s),
                                         warn_at=bt.add(spec.start, spec.warn_s), business_s=spec.business_s)
    for r in req.resumed:
        if r.deadline <= r.paused_at:
            # Paused after the breach: the escalation chain keeps counting from the old deadline.
            out[r.target] = ClockDeadline(deadline=r.deadline, warn_at=r.warn_at)
            continue
        left = bt.between(r.paused_at, r.deadline)
        warn_left = max(bt.between(r.paused_at, r.warn_at), 0.0)
        out[r.target] = ClockDeadline(deadline=bt.add(r.resumed_at, left),
                                      warn_at=bt.add(r.resumed_at, warn_left), business_s=round(left))
    return ComputedDeadlines(deadlines=out)


def resolve_with(req: ResolveSlaRequest, policy: SlaPolicy, calendar: BusinessCalendar | None,
                 team_id: str | None) -> ResolvedSla:
    """Deadlines for the requested targets, and the after-hours acknowledgement when closed now."""
    resolved = ResolvedSla(policy=policy, calendar=calendar, team_id=team_id)
    first_reply_s = policy.targets_s.get(SlaTarget.FIRST_REPLY)
    if calendar is None:
        for target in req.targets:
            if target in policy.targets_s:
                seconds = policy.targets_s[target]
                resolved.deadlines[target] = wall_deadline(req.at, seconds, policy.warn_ratio)
        if first_reply_s is not None:
            resolved.first_reply_due = req.at + timedelta(seconds=first_reply_s)
        return resolved
    bt = BusinessTime(calendar)
    for target in req.targets:
        if target in policy.targets_s:
            resolved.deadlines[target] = business_deadline(bt, req.at, policy.targets_s[target],
                                                           policy.warn_ratio)
    resolved.open_now = bt.is_open(req.at)
    resolved.next_open = bt.next_open(req.at)
    if first_reply_s is not None:
        resolved.first_reply_due = bt.add(req.at, first_reply_s)
    if not resolved.open_now and resolved.first_reply_due is not None:
        resolved.acknowledgement = render_ack(req.language, req.ticket_ref or f"#{req.ticket_id}",
                                              resolved.first_reply_due, req.customer_timezone,
                                              calendar.timezone)
    return resolved
