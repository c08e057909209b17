"""A batch of hostile tickets through the real workers on the dev server, then into the console.

Every workflow reaches a defined state (taken in, accepting actions) without a single failed
workflow task; the console's ticket page then shows the hostile text as text, never as HTML.
"""

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from console.demo_seed import seed_console_demo
from console.gateway import set_gateway
from domain.ticket import TicketInput
from runtime.settings import get_settings
from runtime.tickets import start_ticket, ticket_handle
from store.db import make_engine
from tests.chaos import figures
from tests.chaos.inprocess import chaos_settings, real_workers
from tests.chaos.workers import wait_state
from tests.console.conftest import FakeGateway, on_page, signed_in
from tests.fuzz.hostile import BIDI, CONTROL, INJECTIONS, ZERO_WIDTH

CORPUS = Path(__file__).resolve().parent / "corpus"
UNESCAPED = re.compile(r"(?<!\\)(<|\]\()")  # a "<" or "](" without a backslash before it
RAW_MARKUP = ("<script", "<img", "<iframe", "](javascript", "onerror=")


def batch(run: str) -> list[TicketInput]:
    tickets: list[TicketInput] = []
    for path in sorted(CORPUS.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.pop("_expect", "accepted") == "accepted":
            tickets.append(TicketInput.model_validate({**raw, "ticket_id": f"{run}-{path.stem}"}))
    extra = [*INJECTIONS, ZERO_WIDTH * 3, BIDI + "Hallo", CONTROL, "Gerät defekt " + INJECTIONS[0]]
    for i, text in enumerate(extra):
        tickets.append(TicketInput(ticket_id=f"{run}-x{i}", subject=text[:60], body=text))
    return tickets


async def failed_tasks(client: Client, ticket_id: str) -> int:
    history = await ticket_handle(client, ticket_id).fetch_history()
    return sum(1 for e in history.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)


@pytest.fixture
def console_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TEMPORAL_ADDRESS", "127.0.0.1:1")
    get_settings.cache_clear()
    set_gateway(FakeGateway())
    yield url
    set_gateway(None)
    get_settings.cache_clear()


async def test_hostile_batch_through_real_workers_and_console(
    dev_env: WorkflowEnvironment, tiny_models_dir: Path, tmp_path: Path, console_on: str
) -> None:
    client = dev_env.client
    tickets = batch(f"fz-{uuid.uuid4().hex[:6]}")
    async with real_workers(client, chaos_settings(console_on, tiny_models_dir, tmp_path)):
        for ticket in tickets:
            await start_ticket(client, ticket)
            figures.add("bad inputs")
        for ticket in tickets:
            state = await wait_state(client, ticket.ticket_id, lambda s: s.accepting_actions, "intake")
            assert state.messages[0].original_text == ticket.body
            description = await ticket_handle(client, ticket.ticket_id).describe()
            assert description.status is WorkflowExecutionStatus.RUNNING
            assert await failed_tasks(client, ticket.ticket_id) == 0, ticket.ticket_id

    engine = make_engine(console_on)
    seed_console_demo(engine)  # console users; the fuzz tickets are already projected
    engine.dispose()
    for ticket in tickets:
        if not any(marker in ticket.body for marker in RAW_MARKUP):
            continue
        at = signed_in(console_on, "zhang.min")
        at.query_params["ticket"] = ticket.ticket_id
        on_page(at, "ticket_detail")
        for element in at.markdown:
            assert not element.proto.allow_html, ticket.ticket_id
            if any(word in element.value for word in ("script", "onerror", "iframe", "javascript")):
                # The hostile text is there, every bracket escaped: Markdown shows it literally.
                assert not UNESCAPED.search(element.value), (ticket.ticket_id, element.value)
