"""Logs carry no message bodies at the default level: a ticket runs through the real workers
(intake, detection, translation, assignment, reply, a customer follow-up) under log capture."""

import asyncio
import logging
import uuid

import pytest

from domain.actions import AssignRequest, CustomerMessage, ReplyRequest
from domain.status import TicketStatus
from domain.ticket import TicketInput
from runtime.tickets import get_snapshot, start_ticket, ticket_handle
from tests.security.conftest import SecureStack, wait_for_status
from workflows.ticket import TicketWorkflow


def everything_logged(records: list[logging.LogRecord]) -> str:
    parts = []
    for record in records:
        parts.append(record.getMessage())
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        parts.extend(str(v) for k, v in vars(record).items() if k.startswith("temporal"))
    return "\n".join(parts)


async def test_no_message_body_in_logs_at_the_default_level(
    secure_stack: SecureStack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # what `lingodesk worker` configures
    marker = uuid.uuid4().hex[:12]
    secrets = {
        "body": f"Meine Kreditkarte endet auf {marker[:4]}, Adresse Lindenweg {marker}.",
        "follow-up": f"Nachtrag: Telefon {marker[::-1]}",
        "reply": f"请联系客户{marker[2:8]}号",
        "name": f"Erika Muster{marker[:5]}",
    }
    inp = TicketInput.model_validate(
        {
            "ticket_id": f"log-{marker[:8]}",
            "channel": "email",
            "customer": {"email": f"erika.{marker}@example.de", "name": secrets["name"]},
            "subject": "Kreditkarte",
            "body": secrets["body"],
        }
    )
    await start_ticket(secure_stack.client, inp)
    await wait_for_status(secure_stack.client, inp.ticket_id, TicketStatus.PENDING_ASSIGNMENT)
    handle = ticket_handle(secure_stack.client, inp.ticket_id)
    _ = await handle.execute_update(TicketWorkflow.assign, AssignRequest(agent_id="lukas", by="zhang.min"))
    _ = await handle.execute_update(
        TicketWorkflow.reply, ReplyRequest(agent_id="lukas", text=secrets["reply"])
    )
    await handle.signal(TicketWorkflow.customer_message, CustomerMessage(text=secrets["follow-up"]))
    for _ in range(300):
        state = await get_snapshot(secure_stack.client, inp.ticket_id)
        if len(state.messages) >= 3 and state.messages[-1].translated_text:
            break
        await asyncio.sleep(0.1)
    assert any(m.original_text == secrets["follow-up"] for m in state.messages)  # it ran through

    logged = everything_logged(caplog.records)
    assert caplog.records, "the workers log something at INFO (otherwise this test proves nothing)"
    for what, text in secrets.items():
        assert text not in logged, f"the {what} appears in the logs"
    assert marker not in logged and inp.customer.email not in logged
