"""SlaClocks with a business calendar: deadlines wait for the activity, pauses are re-counted."""

from datetime import UTC, datetime, timedelta

from domain.routing import ClockDeadline, ComputedDeadlines, ComputeDeadlinesRequest
from domain.sla import EscalationRole, EscalationStep, SlaClockState, SlaPolicy, SlaTarget
from routing.business_time import BusinessTime
from routing.deadlines import compute_deadlines
from store.sla_policies import US_EASTERN
from workflows.sla_clock import SlaBreach, SlaClocks, SlaEscalation

T0 = datetime(2026, 11, 13, 21, 0, tzinfo=UTC)  # Friday 16:00 in New York


def business_clocks(policy: SlaPolicy | None = None) -> SlaClocks:
    return SlaClocks(SlaClockState(calendar=US_EASTERN), policy or SlaPolicy())


def settle(clocks: SlaClocks) -> None:
    fresh, resumed = clocks.pending()
    req = ComputeDeadlinesRequest(calendar=US_EASTERN, fresh=fresh, resumed=resumed)
    clocks.apply(compute_deadlines(req))


def test_business_clock_waits_for_its_deadline() -> None:
    clocks = business_clocks()
    clock = clocks.start(SlaTarget.FIRST_REPLY, T0)
    assert clock is not None and clock.needs_deadline and clock.business
    assert clocks.next_wakeup() is None
    assert clocks.due(T0 + timedelta(days=30)) == []  # nothing fires before the deadline is known
    fresh, resumed = clocks.pending()
    assert [(f.target, f.business_s, f.warn_s) for f in fresh] == [(SlaTarget.FIRST_REPLY, 4 * 3600, 11520)]
    assert resumed == []
    settle(clocks)
    # 4 business hours from Friday 16:00: 1 h Friday + 3 h Monday -> Monday 12:00 EST.
    assert clock.deadline == datetime(2026, 11, 16, 17, 0, tzinfo=UTC)
    assert not clock.needs_deadline
    assert clocks.next_wakeup() == clock.warn_at


def test_precomputed_deadlines_are_used_as_given() -> None:
    clocks = business_clocks()
    due = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
    clock = clocks.start(SlaTarget.ASSIGN, T0, due, due - timedelta(minutes=6))
    assert clock is not None and not clock.needs_deadline and clock.deadline == due


def test_business_pause_resume_is_recounted_and_wall_fallback() -> None:
    clocks = business_clocks()
    clocks.start(SlaTarget.RESOLUTION, T0)
    settle(clocks)
    original = clocks.state.clocks[SlaTarget.RESOLUTION].deadline
    clocks.pause(SlaTarget.RESOLUTION, T0 + timedelta(hours=1))  # Friday 17:00, closing time
    resumed_at = T0 + timedelta(days=2)  # Sunday: no business time passed while paused
    clocks.resume(SlaTarget.RESOLUTION, resumed_at)
    clock = clocks.state.clocks[SlaTarget.RESOLUTION]
    assert clock.needs_deadline and clock.paused_at is not None
    assert clocks.due(original + timedelta(days=9)) == []
    settle(clocks)
    assert clock.deadline == original and clock.paused_at is None and clock.resumed_at is None
    # Paused Monday 10:00 (EST) to Monday 12:00: the deadline moves by two business hours
    # (from 16:00 on its day to 10:00 the next working day).
    clocks.pause(SlaTarget.RESOLUTION, datetime(2026, 11, 16, 15, 0, tzinfo=UTC))
    clocks.resume(SlaTarget.RESOLUTION, datetime(2026, 11, 16, 17, 0, tzinfo=UTC))
    settle(clocks)
    assert clock.deadline == BusinessTime(US_EASTERN).add(original, 2 * 3600)
    assert clock.deadline == original + timedelta(hours=18)
    original = clock.deadline

    clocks.pause(SlaTarget.RESOLUTION, T0 + timedelta(days=3))
    clocks.resume(SlaTarget.RESOLUTION, T0 + timedelta(days=4))
    clocks.settle_in_wall_time()  # the activity failed: count the pause in wall-clock time
    assert clock.deadline == original + timedelta(days=1)


def test_pause_while_a_resume_is_pending_continues_the_first_pause() -> None:
    clocks = business_clocks()
    clocks.start(SlaTarget.RESOLUTION, T0)
    settle(clocks)
    clocks.pause(SlaTarget.RESOLUTION, T0)
    clocks.resume(SlaTarget.RESOLUTION, T0 + timedelta(hours=1))
    clocks.pause(SlaTarget.RESOLUTION, T0 + timedelta(hours=1))
    clock = clocks.state.clocks[SlaTarget.RESOLUTION]
    assert clock.paused_at == T0 and clock.resumed_at is None and not clock.needs_deadline


def test_target_chain_overrides_the_default_chain() -> None:
    policy = SlaPolicy(target_chains={SlaTarget.ASSIGN: [
        EscalationStep(role=EscalationRole.SUPERVISOR, after_breach_s=0),
        EscalationStep(role=EscalationRole.MANAGER, after_breach_s=600)]})
    clocks = SlaClocks(SlaClockState(), policy)
    clocks.start(SlaTarget.ASSIGN, T0)
    fired = clocks.due(T0 + timedelta(minutes=30))
    assert [type(f) for f in fired] == [SlaBreach, SlaEscalation]
    assert fired[1].step.role is EscalationRole.SUPERVISOR  # type: ignore[union-attr]
    assert clocks.next_wakeup() == T0 + timedelta(minutes=40)


def test_apply_ignores_clocks_that_are_not_waiting() -> None:
    clocks = business_clocks()
    clocks.start(SlaTarget.ASSIGN, T0, T0 + timedelta(hours=1))
    clocks.apply(ComputedDeadlines(deadlines={SlaTarget.ASSIGN: ClockDeadline(deadline=T0, warn_at=T0)}))
    assert clocks.state.clocks[SlaTarget.ASSIGN].deadline == T0 + timedelta(hours=1)
