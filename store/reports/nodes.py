"""Status nodes the reports measure SLA breaches at, and which SLA clock belongs to which node."""

# The ticket's status nodes plus the ticket-wide resolution clock (workflows/sla_clock.py targets).
NODES: tuple[str, ...] = (
    "pending_assignment",
    "processing",
    "pending_collaboration",
    "pending_reply",
    "resolution",
)

# SLA target (domain/sla.py SlaTarget) -> the node its breach is counted at.
TARGET_NODE: dict[str, str] = {
    "assign": "pending_assignment",
    "first_reply": "processing",
    "next_reply": "processing",
    "collaboration": "pending_collaboration",
    "pending_reply": "pending_reply",
    "resolution": "resolution",
}

# Every ticket starts waiting for assignment and runs the resolution clock from intake.
ALWAYS_REACHED: frozenset[str] = frozenset({"pending_assignment", "resolution"})
