import pytest

from domain.status import TRANSITIONS, IllegalTransition, TicketStatus, can_transition, check_transition


def test_every_status_has_a_row() -> None:
    assert set(TRANSITIONS) == set(TicketStatus)


@pytest.mark.parametrize(("current", "target"), [
    (TicketStatus.PENDING_ASSIGNMENT, TicketStatus.PROCESSING),
    (TicketStatus.PROCESSING, TicketStatus.PENDING_COLLABORATION),
    (TicketStatus.PENDING_COLLABORATION, TicketStatus.PENDING_REPLY),
    (TicketStatus.PENDING_REPLY, TicketStatus.PROCESSING),
    (TicketStatus.PROCESSING, TicketStatus.CLOSED),
    (TicketStatus.CLOSED, TicketStatus.PROCESSING),
])
def test_legal_moves(current: TicketStatus, target: TicketStatus) -> None:
    assert can_transition(current, target)
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), [
    (TicketStatus.PENDING_ASSIGNMENT, TicketStatus.PENDING_COLLABORATION),
    (TicketStatus.PENDING_ASSIGNMENT, TicketStatus.PENDING_REPLY),
    (TicketStatus.CLOSED, TicketStatus.PENDING_COLLABORATION),
    (TicketStatus.CLOSED, TicketStatus.PENDING_REPLY),
])
def test_illegal_moves_say_what_is_allowed(current: TicketStatus, target: TicketStatus) -> None:
    with pytest.raises(IllegalTransition) as err:
        check_transition(current, target)
    message = str(err.value)
    assert f"{current} -> {target}" in message
    for allowed in TRANSITIONS[current]:
        assert str(allowed) in message
