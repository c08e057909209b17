import json
from datetime import UTC, datetime, timedelta

from domain.sla import SlaClockState, SlaPolicy, SlaTarget
from domain.status import TicketStatus
from domain.ticket import Channel, Priority, TicketInput, TicketState, raise_priority
from workflows.sla_clock import SlaBreach, SlaClocks, SlaEscalation, SlaWarning

ISSUE_JSON = (
    '{"ticket_id": "demo-1", "channel": "email", "customer": {"email": "k.weber@example.de", '
    '"name": "Klaus Weber"}, "subject": "Gerät startet nicht", "body": "Guten Tag, das Gerät startet '
    'nach dem Firmware-Update nicht mehr. Bitte um Hilfe."}'
)


def test_ticket_input_from_any_client_json_has_defaults() -> None:
    inp = TicketInput.model_validate(json.loads(ISSUE_JSON))
    assert inp.channel is Channel.EMAIL
    assert inp.customer.tier == "standard"
    assert inp.customer.country is None and inp.received_at is None
    assert inp.attachments == [] and inp.external_ids == {}
    assert inp.internal_language == "zh"
    assert inp.priority is Priority.NORMAL


def test_state_round_trips_through_json() -> None:
    state = TicketState(ticket_id="x", status=TicketStatus.PROCESSING, assignee="a")
    again = TicketState.model_validate_json(state.model_dump_json())
    assert again == state


def test_unknown_fields_from_newer_clients_are_ignored() -> None:
    data = json.loads(ISSUE_JSON) | {"some_future_field": 1}
    assert TicketInput.model_validate(data).ticket_id == "demo-1"


def test_raise_priority_saturates() -> None:
    assert raise_priority(Priority.NORMAL) is Priority.HIGH
    assert raise_priority(Priority.URGENT) is Priority.URGENT


def test_sla_clock_warns_breaches_and_escalates_once() -> None:
    t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    clocks = SlaClocks(SlaClockState(), SlaPolicy())
    clock = clocks.start(SlaTarget.ASSIGN, t0)
    assert clock is not None and clock.deadline == t0 + timedelta(minutes=30)
    assert clocks.next_wakeup() == t0 + timedelta(minutes=24)
    assert clocks.due(t0 + timedelta(minutes=10)) == []
    fired = clocks.due(t0 + timedelta(minutes=24))
    assert [type(f) for f in fired] == [SlaWarning]
    fired = clocks.due(t0 + timedelta(minutes=30))
    assert [type(f) for f in fired] == [SlaBreach, SlaEscalation]
    assert clocks.due(t0 + timedelta(minutes=31)) == []
    fired = clocks.due(t0 + timedelta(hours=3))
    assert [f.step.role for f in fired if isinstance(f, SlaEscalation)] == ["supervisor", "manager"]
    assert clocks.next_wakeup() is None


def test_sla_pause_pushes_the_deadline() -> None:
    t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    clocks = SlaClocks(SlaClockState(), SlaPolicy())
    clocks.start(SlaTarget.RESOLUTION, t0)
    deadline = clocks.state.clocks[SlaTarget.RESOLUTION].deadline
    clocks.pause(SlaTarget.RESOLUTION, t0 + timedelta(hours=1))
    assert clocks.next_wakeup() is None
    clocks.resume(SlaTarget.RESOLUTION, t0 + timedelta(hours=5))
    assert clocks.state.clocks[SlaTarget.RESOLUTION].deadline == deadline + timedelta(hours=4)
