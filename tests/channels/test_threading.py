"""Threading helpers: Message-IDs, the subject token, deterministic ticket ids."""

from hypothesis import given
from hypothesis import strategies as st

from activities.channel_activities import outgoing_message_id, ticket_token
from channels.email.threading import (
    clean_subject,
    normalize_message_id,
    parse_id_list,
    thread_candidates,
    ticket_from_our_message_id,
    ticket_id_for_new_thread,
    ticket_ids_in_subject,
)


def test_message_ids_are_normalised() -> None:
    assert normalize_message_id("  <abc@example.com> ") == "<abc@example.com>"
    assert normalize_message_id("abc@example.com") == "<abc@example.com>"
    assert normalize_message_id("no id here") is None
    assert normalize_message_id(None) is None
    refs = "<a@x>\r\n <b@x> <a@x>  garbage <c@x>"
    assert parse_id_list(refs) == ["<a@x>", "<b@x>", "<c@x>"]


def test_candidates_are_parent_first_then_newest_reference() -> None:
    assert thread_candidates(["<p@x>"], ["<root@x>", "<mid@x>", "<p@x>"]) == ["<p@x>", "<mid@x>", "<root@x>"]


def test_our_outgoing_ids_and_tokens_round_trip() -> None:
    mid = outgoing_message_id("20250101-1A2B3C", 4, "lingodesk.test")
    assert ticket_from_our_message_id(mid, "lingodesk.test") == "20250101-1A2B3C"
    assert ticket_from_our_message_id(mid, "other.domain") is None  # someone else's ids are not ours
    subject = f"Re: Re: AW: Lieferung {ticket_token('20250101-1A2B3C')}"
    assert ticket_ids_in_subject(subject) == ["20250101-1A2B3C"]
    assert clean_subject(subject) == "Lieferung"
    assert clean_subject("回复：Re: 发票问题 [#E1234]") == "发票问题"
    assert clean_subject("Reembolso pedido") == "Reembolso pedido"


@given(st.text(min_size=1, max_size=200))
def test_new_thread_ticket_ids_are_stable_and_token_safe(message_id: str) -> None:
    ticket_id = ticket_id_for_new_thread(message_id)
    assert ticket_id == ticket_id_for_new_thread(message_id)
    assert ticket_ids_in_subject(f"Subject {ticket_token(ticket_id)}") == [ticket_id]
    assert ticket_from_our_message_id(outgoing_message_id(ticket_id, 7, "d.test"), "d.test") == ticket_id
