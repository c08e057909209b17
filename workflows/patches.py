"""Workflow versioning with one marker per ticket run instead of one per change.

Each `workflow.patched(id)` that a new run calls records a marker and makes the SDK upsert the
`TemporalChangeVersion` search attribute. The upsert is a visibility write on the server, and
a ticket paid four markers and four upserts before it was assigned. A run started by this code
records one marker instead, for the newest *generation*. It does so at its first check, and
every change that generation includes then answers True without a marker of its own.

A run from before a generation has no marker for it. Its checks fall through to
`workflow.patched(id)` and replay exactly as recorded (tests/replay keeps such histories).

Append-only: a later change goes into a new generation, listed first and holding every id of
the one before. Never add to a generation that has shipped, because running tickets have
already recorded its marker.
"""

from typing import Final

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.csat import CSAT_PATCH

# Histories from before routing and business-time SLAs replay without them.
ROUTING_PATCH: Final = "routing-sla-v1"
# Before this, an auto-assigned business-time ticket asked `compute_sla_deadlines` for its
# first-reply deadline after the assignment; now the assignment brings it.
FIRST_REPLY_PATCH: Final = "first-reply-deadline-with-assignment"
# Histories from before intake ran its independent activities side by side replay them in turn.
INTAKE_PARALLEL_PATCH: Final = "intake-parallel-v1"
# Histories from before the fix marked events as flushed after the write, not before it.
FLUSH_MARKS_PATCH: Final = "flush-marks-before-await"
# Histories from before this upserted the search attributes again when nothing had changed.
SEARCH_ATTRIBUTES_ONCE_PATCH: Final = "search-attributes-once"

# Newest first. Each generation's marker stands for every id in its set.
GENERATIONS: Final[tuple[tuple[str, frozenset[str]], ...]] = (
    (
        "ticket-generation-1",
        frozenset(
            {
                ROUTING_PATCH,
                FIRST_REPLY_PATCH,
                INTAKE_PARALLEL_PATCH,
                FLUSH_MARKS_PATCH,
                CSAT_PATCH,
                SEARCH_ATTRIBUTES_ONCE_PATCH,
            }
        ),
    ),
)


class PatchGate:
    """One per workflow instance, because its answer depends on that run's history."""

    def __init__(self) -> None:
        self._included: frozenset[str] | None = None

    def patched(self, patch_id: str) -> bool:
        if self._included is None:
            self._included = self._generation()
        return patch_id in self._included or workflow.patched(patch_id)

    @staticmethod
    def _generation() -> frozenset[str]:
        # Decided at the run's first check, whatever calls it. Replay makes the same first
        # check, so the marker is met at the same place. When that first check is live,
        # each included change would also have answered True on its own.
        for marker, included in GENERATIONS:
            if workflow.patched(marker):
                return included
        return frozenset()
