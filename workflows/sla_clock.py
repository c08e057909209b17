"""SLA clocks per status node: deadlines, warnings and escalation steps.

A pure helper over `SlaClockState` (it only reads the `now` it is given), so the workflow
stays deterministic and the arithmetic is unit-testable without Temporal.

With a business calendar (`SlaClockState.calendar`), starting or resuming a clock only marks
it `needs_deadline`; the main loop asks the `compute_sla_deadlines` activity for absolute
datetimes (`pending()` -> activity -> `apply()`), so update handlers never wait on I/O.
Until then the clock neither fires nor sets a timer.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.routing import ComputedDeadlines, DeadlineSpec, ResumeSpec
from domain.sla import EscalationStep, SlaClock, SlaClockState, SlaPolicy, SlaTarget


@dataclass(frozen=True)
class SlaWarning:
    target: SlaTarget
    deadline: datetime


@dataclass(frozen=True)
class SlaBreach:
    target: SlaTarget
    deadline: datetime


@dataclass(frozen=True)
class SlaEscalation:
    target: SlaTarget
    step_index: int
    step: EscalationStep


SlaDue = SlaWarning | SlaBreach | SlaEscalation


class SlaClocks:
    def __init__(self, state: SlaClockState, policy: SlaPolicy) -> None:
        self.state = state
        self.policy = policy

    def start(self, target: SlaTarget, now: datetime, deadline: datetime | None = None,
              warn_at: datetime | None = None) -> SlaClock | None:
        """Start (or restart) the clock of `target`.

        `deadline` (and `warn_at`) may come precomputed from a business calendar; without one,
        a business-time ticket marks the clock for the main loop to compute.
        """
        seconds = self.policy.targets_s.get(target)
        if seconds is None and deadline is None:
            return None
        business = self.state.calendar is not None
        end = deadline if deadline is not None else now + timedelta(seconds=seconds or 0)
        if warn_at is None:
            warn_at = now + (end - now) * self.policy.warn_ratio
        clock = SlaClock(target=target, started_at=now, deadline=end, warn_at=warn_at, business=business,
                         needs_deadline=business and deadline is None, target_s=seconds or 0)
        self.state.clocks[target] = clock
        return clock

    def stop(self, target: SlaTarget) -> SlaClock | None:
        return self.state.clocks.pop(target, None)

    def stop_all(self) -> None:
        self.state.clocks.clear()

    def running(self, target: SlaTarget) -> bool:
        return target in self.state.clocks

    def pause(self, target: SlaTarget, now: datetime) -> None:
        clock = self.state.clocks.get(target)
        if clock is None:
            return
        if clock.resumed_at is not None:
            # Paused again before the resume was counted: the first pause simply goes on.
            clock.resumed_at = None
            clock.needs_deadline = False
            return
        if clock.paused_at is None:
            clock.paused_at = now

    def resume(self, target: SlaTarget, now: datetime) -> None:
        clock = self.state.clocks.get(target)
        if clock is None or clock.paused_at is None or clock.resumed_at is not None:
            return
        if clock.business:
            # The business time left at the pause counts again from now: an activity computes it.
            clock.resumed_at = now
            clock.needs_deadline = True
            return
        # Waiting on the customer does not count: push the deadline by the paused span.
        paused = now - clock.paused_at
        clock.deadline += paused
        clock.warn_at += paused
        clock.paused_at = None

    # ------------------------------------------------------- business time
    def pending(self) -> tuple[list[DeadlineSpec], list[ResumeSpec]]:
        """Clocks waiting for business-time deadlines: fresh starts and resumed pauses."""
        fresh: list[DeadlineSpec] = []
        resumed: list[ResumeSpec] = []
        for clock in self.state.clocks.values():
            if not clock.needs_deadline:
                continue
            if clock.resumed_at is not None and clock.paused_at is not None:
                resumed.append(ResumeSpec(target=clock.target, paused_at=clock.paused_at,
                                          resumed_at=clock.resumed_at, deadline=clock.deadline,
                                          warn_at=clock.warn_at))
            else:
                fresh.append(self._spec(clock.target, clock.started_at, clock.target_s))
        return fresh, resumed

    def fresh_spec(self, target: SlaTarget, start: datetime) -> DeadlineSpec | None:
        """What `pending()` will ask for if `target` starts at `start` on a business calendar
        (None: wall-clock time, or no target), so a caller can have it computed in advance."""
        seconds = self.policy.targets_s.get(target)
        if seconds is None or self.state.calendar is None:
            return None
        return self._spec(target, start, seconds)

    def _spec(self, target: SlaTarget, start: datetime, business_s: int) -> DeadlineSpec:
        return DeadlineSpec(target=target, start=start, business_s=business_s,
                            warn_s=round(business_s * self.policy.warn_ratio))

    def apply(self, computed: ComputedDeadlines) -> None:
        for target, result in computed.deadlines.items():
            clock = self.state.clocks.get(target)
            if clock is None or not clock.needs_deadline:
                continue
            clock.deadline = result.deadline
            clock.warn_at = result.warn_at
            self._settled(clock)

    def settle_in_wall_time(self) -> None:
        """Fallback when business time cannot be computed: count wall-clock time instead."""
        for clock in self.state.clocks.values():
            if not clock.needs_deadline:
                continue
            if clock.resumed_at is not None and clock.paused_at is not None:
                paused = clock.resumed_at - clock.paused_at
                clock.deadline += paused
                clock.warn_at += paused
            else:
                clock.deadline = clock.started_at + timedelta(seconds=clock.target_s)
                clock.warn_at = clock.started_at + timedelta(seconds=clock.target_s * self.policy.warn_ratio)
            self._settled(clock)

    @staticmethod
    def _settled(clock: SlaClock) -> None:
        if clock.resumed_at is not None:
            clock.paused_at = None
            clock.resumed_at = None
        clock.needs_deadline = False

    def due(self, now: datetime) -> list[SlaDue]:
        """Fire everything due at `now`, marking it fired so it never fires twice."""
        fired: list[SlaDue] = []
        for clock in list(self.state.clocks.values()):
            if clock.paused_at is not None or clock.needs_deadline:
                continue
            if not clock.warned and now >= clock.warn_at and now < clock.deadline:
                clock.warned = True
                fired.append(SlaWarning(clock.target, clock.deadline))
            if not clock.breached and now >= clock.deadline:
                clock.breached = True
                clock.warned = True
                fired.append(SlaBreach(clock.target, clock.deadline))
            chain = self.policy.chain_for(clock.target)
            while clock.breached and clock.escalation_step < len(chain):
                step = chain[clock.escalation_step]
                if now < clock.deadline + timedelta(seconds=step.after_breach_s):
                    break
                fired.append(SlaEscalation(clock.target, clock.escalation_step, step))
                clock.escalation_step += 1
        return fired

    def next_wakeup(self) -> datetime | None:
        times: list[datetime] = []
        for clock in self.state.clocks.values():
            if clock.paused_at is not None or clock.needs_deadline:
                continue
            chain = self.policy.chain_for(clock.target)
            if not clock.warned:
                times.append(clock.warn_at)
            if not clock.breached:
                times.append(clock.deadline)
            elif clock.escalation_step < len(chain):
                step = chain[clock.escalation_step]
                times.append(clock.deadline + timedelta(seconds=step.after_breach_s))
        return min(times) if times else None
