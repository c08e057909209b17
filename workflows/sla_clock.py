"""SLA clocks per status node: deadlines, warnings and escalation steps.

A pure helper over `SlaClockState` (it only reads the `now` it is given), so the workflow
stays deterministic and the arithmetic is unit-testable without Temporal.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

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

    def start(self, target: SlaTarget, now: datetime, deadline: datetime | None = None) -> SlaClock | None:
        """Start (or restart) the clock of `target`; `deadline` comes from a business calendar."""
        seconds = self.policy.targets_s.get(target)
        if seconds is None and deadline is None:
            return None
        end = deadline if deadline is not None else now + timedelta(seconds=seconds or 0)
        warn_at = now + (end - now) * self.policy.warn_ratio
        clock = SlaClock(target=target, started_at=now, deadline=end, warn_at=warn_at)
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
        if clock is not None and clock.paused_at is None:
            clock.paused_at = now

    def resume(self, target: SlaTarget, now: datetime) -> None:
        clock = self.state.clocks.get(target)
        if clock is None or clock.paused_at is None:
            return
        # Waiting on the customer does not count: push the deadline by the paused span.
        paused = now - clock.paused_at
        clock.deadline += paused
        clock.warn_at += paused
        clock.paused_at = None

    def due(self, now: datetime) -> list[SlaDue]:
        """Fire everything due at `now`, marking it fired so it never fires twice."""
        fired: list[SlaDue] = []
        for clock in list(self.state.clocks.values()):
            if clock.paused_at is not None:
                continue
            if not clock.warned and now >= clock.warn_at and now < clock.deadline:
                clock.warned = True
                fired.append(SlaWarning(clock.target, clock.deadline))
            if not clock.breached and now >= clock.deadline:
                clock.breached = True
                clock.warned = True
                fired.append(SlaBreach(clock.target, clock.deadline))
            while clock.breached and clock.escalation_step < len(self.policy.chain):
                step = self.policy.chain[clock.escalation_step]
                if now < clock.deadline + timedelta(seconds=step.after_breach_s):
                    break
                fired.append(SlaEscalation(clock.target, clock.escalation_step, step))
                clock.escalation_step += 1
        return fired

    def next_wakeup(self) -> datetime | None:
        times: list[datetime] = []
        for clock in self.state.clocks.values():
            if clock.paused_at is not None:
                continue
            if not clock.warned:
                times.append(clock.warn_at)
            if not clock.breached:
                times.append(clock.deadline)
            elif clock.escalation_step < len(self.policy.chain):
                step = self.policy.chain[clock.escalation_step]
                times.append(clock.deadline + timedelta(seconds=step.after_breach_s))
        return min(times) if times else None
