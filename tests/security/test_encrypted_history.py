"""Ticket text is ciphertext on the Temporal server; authorised engineers decode it through the
codec endpoint (`lingodesk codec-server`) over HTTP and with `temporal workflow show --codec-endpoint`."""

import asyncio
import base64
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads
from temporalio.worker import Replayer

from domain.actions import AssignRequest, ReplyRequest
from domain.status import TicketStatus
from domain.ticket import TicketInput
from runtime.client import encrypted_converter
from runtime.devserver import free_port, wait_for_port
from runtime.tickets import start_ticket, ticket_handle
from security.codec_tokens import new_token
from security.keys import build_keyring, new_key
from tests.conftest import REPO_ROOT, _binary
from tests.security.conftest import KEYS_TEXT, SecureStack, wait_for_status
from workflows.collaboration import CollaborationWorkflow
from workflows.ticket import TicketWorkflow


def secret_ticket(ticket_id: str) -> TicketInput:
    marker = uuid.uuid4().hex[:10]
    return TicketInput.model_validate(
        {
            "ticket_id": ticket_id,
            "channel": "email",
            "customer": {"email": f"klaus.{marker}@example.de", "name": f"Klaus Geheim{marker}"},
            "subject": f"Bestellung {marker}",
            "body": f"Guten Tag, meine Adresse ist Hauptstraße {marker}. Das Gerät startet nicht.",
        }
    )


def all_payload_bytes(events: list) -> bytes:  # type: ignore[type-arg]
    return b"".join(e.SerializeToString() for e in events)


@pytest.fixture
def codec_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`lingodesk codec-server` as a real process with the workers' keys; yields (url, token)."""
    token, line = new_token("alice")
    tokens = tmp_path / "codec_tokens"
    tokens.write_text(line + "\n", encoding="utf-8")
    port = free_port()
    env = {
        **os.environ,
        "LINGODESK_PAYLOAD_KEYS": KEYS_TEXT,
        "LINGODESK_CODEC_TOKENS_FILE": str(tokens),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'codec_audit.db'}",
    }
    log = open(tmp_path / "codec.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "codec-server", "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port("127.0.0.1", port, timeout_s=60)
        yield f"http://127.0.0.1:{port}", token
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
    assert KEYS_TEXT.split(":", 1)[1][:16] not in (tmp_path / "codec.log").read_text(errors="replace")


async def test_ticket_text_is_ciphertext_on_the_server(secure_stack: SecureStack) -> None:
    inp = secret_ticket(f"enc-{uuid.uuid4().hex[:8]}")
    await start_ticket(secure_stack.client, inp)
    state = await wait_for_status(secure_stack.client, inp.ticket_id, TicketStatus.PENDING_ASSIGNMENT)
    translated = state.messages[0].translated_text
    assert translated and state.language == "de"  # the workers read and translated it
    handle = ticket_handle(secure_stack.client, inp.ticket_id)
    _ = await handle.execute_update(TicketWorkflow.assign, AssignRequest(agent_id="lukas", by="zhang.min"))
    _ = await handle.execute_update(TicketWorkflow.reply, ReplyRequest(agent_id="lukas", text="请重启设备。"))

    plain = await secure_stack.plain_client()
    history = await plain.get_workflow_handle(f"ticket-{inp.ticket_id}").fetch_history()
    raw = all_payload_bytes(list(history.events))
    for secret in (inp.body, inp.subject, inp.customer.email, inp.customer.name, translated, "请重启设备"):
        assert secret.encode() not in raw, secret
    assert inp.body.split("Hauptstraße ")[1][:10].encode() not in raw
    # Every payload in the history is sealed, with the active key id.
    # (Patch markers are the SDK's own plain ids such as "routing-sla-v1", never customer data.)
    payloads = [
        p
        for e in history.events
        if e.marker_recorded_event_attributes.marker_name != "core_patch"
        for p in _payloads(e)
    ]
    plain_payloads = [p for p in payloads if p.metadata["encoding"] != b"binary/encrypted"]
    assert payloads and not plain_payloads, plain_payloads[:3]
    assert {p.metadata["encryption-key-id"] for p in payloads} == {b"k2"}

    # After a rotation (k3 appended and active) the old history still reads.
    rotated = build_keyring(f"{KEYS_TEXT}\nk3:{new_key()}", None, None)
    assert rotated is not None and rotated.active_id == "k3"
    started = history.events[0].workflow_execution_started_event_attributes.input.payloads
    [decoded] = await encrypted_converter(rotated).decode(started, [TicketInput])
    assert decoded.body == inp.body
    # An encrypted history replays with the keys (committed replay histories are plain and need none).
    replayer = Replayer(
        workflows=[TicketWorkflow, CollaborationWorkflow], data_converter=encrypted_converter(rotated)
    )
    assert (await replayer.replay_workflow(history, raise_on_replay_failure=True)).replay_failure is None


def _payloads(event) -> list:  # type: ignore[no-untyped-def,type-arg]
    """Every Payload message inside one history event (inputs, results, headers, failures)."""
    found = []

    def walk(msg) -> None:  # type: ignore[no-untyped-def]
        for field, value in msg.ListFields():
            if field.message_type is None or field.name == "search_attributes":
                continue  # search attributes stay plain by design: the server indexes them
            if hasattr(value, "ListFields"):
                items = [value]  # a single message
            elif field.message_type.GetOptions().map_entry:
                items = list(value.values())
            else:
                items = list(value)  # a repeated field
            for item in items:
                if field.message_type.full_name == "temporal.api.common.v1.Payload":
                    found.append(item)
                elif hasattr(item, "ListFields"):
                    walk(item)

    walk(event)
    return found


async def test_engineers_decode_through_the_codec_endpoint(
    secure_stack: SecureStack, codec_server: tuple[str, str]
) -> None:
    url, token = codec_server
    inp = secret_ticket(f"codec-{uuid.uuid4().hex[:8]}")
    await start_ticket(secure_stack.client, inp)
    await wait_for_status(secure_stack.client, inp.ticket_id, TicketStatus.PENDING_ASSIGNMENT)
    plain = await secure_stack.plain_client()
    history = await plain.get_workflow_handle(f"ticket-{inp.ticket_id}").fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes.input
    request = json_format.MessageToDict(Payloads(payloads=started.payloads))

    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        refused = await http.post("/decode", json=request)
        assert refused.status_code == 401 and inp.customer.name not in refused.text
        resp = await http.post(
            "/decode", json=request, headers={"Authorization": f"Bearer {token}", "X-Namespace": "default"}
        )
    assert resp.status_code == 200
    [out] = resp.json()["payloads"]
    assert json.loads(base64.b64decode(out["data"]))["body"] == inp.body

    def show(*codec: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                _binary("temporal"),
                "workflow",
                "show",
                "-w",
                f"ticket-{inp.ticket_id}",
                "--address",
                secure_stack.target,
                "-o",
                "json",
                *codec,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )

    without, with_codec = await asyncio.gather(
        asyncio.to_thread(show),
        asyncio.to_thread(show, "--codec-endpoint", url, "--codec-auth", f"Bearer {token}"),
    )
    assert without.returncode == 0, without.stderr
    assert with_codec.returncode == 0, with_codec.stderr
    assert inp.customer.name not in without.stdout and inp.customer.name not in _decoded_texts(without.stdout)
    assert inp.customer.name in with_codec.stdout or inp.customer.name in _decoded_texts(with_codec.stdout)


def _decoded_texts(cli_json: str) -> str:
    """The CLI prints payload data as base64 or inline JSON depending on the encoding: read both."""
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "data" and isinstance(value, str):
                    try:
                        texts.append(base64.b64decode(value).decode("utf-8", "replace"))
                    except ValueError:
                        texts.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(cli_json))
    return "\n".join(texts)
