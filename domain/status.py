"""Ticket status nodes and the table of legal moves between them."""

from enum import StrEnum


class TicketStatus(StrEnum):
    PENDING_ASSIGNMENT = "pending_assignment"  # 待分配
    PROCESSING = "processing"  # 处理中
    PENDING_COLLABORATION = "pending_collaboration"  # 待协同
    PENDING_REPLY = "pending_reply"  # 待回复
    CLOSED = "closed"  # 已结案


STATUS_LABELS_ZH: dict[TicketStatus, str] = {
    TicketStatus.PENDING_ASSIGNMENT: "待分配",
    TicketStatus.PROCESSING: "处理中",
    TicketStatus.PENDING_COLLABORATION: "待协同",
    TicketStatus.PENDING_REPLY: "待回复",
    TicketStatus.CLOSED: "已结案",
}

_S = TicketStatus

TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    _S.PENDING_ASSIGNMENT: frozenset({_S.PROCESSING, _S.CLOSED}),
    _S.PROCESSING: frozenset({_S.PENDING_ASSIGNMENT, _S.PENDING_COLLABORATION, _S.PENDING_REPLY, _S.CLOSED}),
    _S.PENDING_COLLABORATION: frozenset({_S.PROCESSING, _S.PENDING_REPLY, _S.CLOSED, _S.PENDING_ASSIGNMENT}),
    _S.PENDING_REPLY: frozenset({_S.PROCESSING, _S.PENDING_COLLABORATION, _S.CLOSED, _S.PENDING_ASSIGNMENT}),
    _S.CLOSED: frozenset({_S.PROCESSING, _S.PENDING_ASSIGNMENT}),
}


class IllegalTransition(ValueError):
    """A move the ticket process does not allow (e.g. closed -> pending_collaboration)."""

    def __init__(self, current: TicketStatus, target: TicketStatus) -> None:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none"
        super().__init__(f"illegal status change {current} -> {target}; allowed from {current}: {allowed}")
        self.current = current
        self.target = target


def can_transition(current: TicketStatus, target: TicketStatus) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: TicketStatus, target: TicketStatus) -> None:
    if not can_transition(current, target):
        raise IllegalTransition(current, target)


OPEN_STATUSES: frozenset[TicketStatus] = frozenset(s for s in TicketStatus if s is not TicketStatus.CLOSED)
