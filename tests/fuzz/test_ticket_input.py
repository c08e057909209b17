"""TicketInput: any text is accepted and reaches the workflow unchanged, or refused with a clear error."""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from temporalio.contrib.pydantic import pydantic_data_converter

from domain.ticket import Customer, TicketInput
from runtime.tickets import MAX_TICKET_INPUT_BYTES, TicketTooLarge, check_ticket_size
from tests.chaos import figures
from tests.fuzz.hostile import hostile_text

CORPUS = Path(__file__).resolve().parent / "corpus"


async def roundtrip(ticket: TicketInput) -> TicketInput:
    """What the workflow receives: the input through Temporal's payload conversion."""
    payloads = await pydantic_data_converter.encode([ticket])
    (decoded,) = await pydantic_data_converter.decode(payloads, [TicketInput])
    assert isinstance(decoded, TicketInput)
    return decoded


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subject=hostile_text, body=hostile_text, name=hostile_text, email=hostile_text)
async def test_hostile_text_is_accepted_unchanged(subject: str, body: str, name: str, email: str) -> None:
    figures.add("bad inputs")
    ticket = TicketInput(
        ticket_id="fuzz-1", subject=subject, body=body, customer=Customer(name=name, email=email)
    )
    check_ticket_size(ticket)
    decoded = await roundtrip(ticket)
    assert (decoded.subject, decoded.body, decoded.customer.name) == (subject, body, name)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(max_size=20), st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
), max_size=8))
def test_arbitrary_json_is_a_ticket_or_a_validation_error(raw: dict[str, object]) -> None:
    figures.add("bad inputs")
    try:
        ticket = TicketInput.model_validate({"ticket_id": "fuzz-2", **raw})
    except ValidationError as exc:
        assert exc.errors()  # pydantic names the field and the problem
        return
    check_ticket_size(ticket)


@pytest.mark.parametrize("size", [MAX_TICKET_INPUT_BYTES + 1, 3 * 1024 * 1024])
def test_a_huge_ticket_is_refused_with_a_clear_error(size: int) -> None:
    figures.add("bad inputs")
    with pytest.raises(TicketTooLarge, match=r"too large: \d+ bytes .*limit 1048576"):
        check_ticket_size(TicketInput(ticket_id="huge", body="x" * size))


def test_lone_surrogates_are_refused_clearly() -> None:
    # Wrongly decoded input (surrogateescape) cannot be encoded as UTF-8 JSON for Temporal.
    figures.add("bad inputs")
    with pytest.raises(ValueError):
        check_ticket_size(TicketInput(ticket_id="bad-utf8", body="caf\udce9"))


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.json")), ids=lambda p: p.name)
def test_corpus_payloads(path: Path) -> None:
    figures.add("bad inputs")
    raw = json.loads(path.read_text(encoding="utf-8"))
    expect = raw.pop("_expect", "accepted")
    try:
        ticket = TicketInput.model_validate(raw)
        check_ticket_size(ticket)
    except (ValidationError, TicketTooLarge) as exc:
        assert expect == "rejected", f"{path.name}: {exc}"
        assert str(exc)
        return
    assert expect == "accepted", path.name
