"""`lingodesk mail` and `lingodesk web` as the long-running processes people start."""

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiosmtplib
import httpx

from runtime.devserver import free_port, wait_for_port
from store.tables import InboundEmailRow
from tests.channels.conftest import EMAILS, STATUS_SECRET, MailStack, sample
from tests.channels.helpers import eventually, ticket_row

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def lingodesk(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", *args],
            cwd=REPO,
            env=child_env(env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def child_env(env: dict[str, str]) -> dict[str, str]:
    # Only the mailboxes this test names: not a file from the developer's own environment.
    base = {k: v for k, v in os.environ.items() if k != "LINGODESK_MAILBOXES_FILE"}
    return {**base, **env}


def stack_env(stack: MailStack) -> dict[str, str]:
    s = stack.settings
    return {
        "DATABASE_URL": s.database_url,
        "LINGODESK_DATA_DIR": str(s.data_dir),
        "TEMPORAL_ADDRESS": stack.env.client.service_client.config.target_host,
        "LINGODESK_MAIL_DOMAIN": s.mail_domain,
        "LINGODESK_MAIL_TICKET_PREFIX": stack.prefix,
        "LINGODESK_STATUS_SECRET": STATUS_SECRET,
    }


async def test_mail_command_receives_by_smtp_and_stops_cleanly(mail_stack: MailStack, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "mail.log"
    with lingodesk(["mail", "run", "--smtp-listen", f"127.0.0.1:{port}"], stack_env(mail_stack), log) as proc:
        await asyncio.to_thread(wait_for_port, "127.0.0.1", port, 60)
        await aiosmtplib.send(
            sample("zh_gb18030.eml"),
            sender="wangfang@jixiang-trade.cn",
            recipients=["support@lingodesk.test"],
            hostname="127.0.0.1",
            port=port,
        )

        def delivered() -> str | None:
            with mail_stack.sessions() as session:
                rows = [r for r in session.query(InboundEmailRow) if r.state == "delivered"]
                return rows[0].ticket_id if rows else None

        ticket_id = await eventually(delivered, "mail delivered by the lingodesk mail process")
        await eventually(lambda: ticket_row(mail_stack.sessions, ticket_id), "ticket projected")
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(proc.wait, 30) == 0
    assert "subject" not in log.read_text().lower()  # logs carry ids and sizes, never mail content
    assert "空气净化器" not in log.read_text()


async def test_mail_import_command(mail_stack: MailStack, tmp_path: Path) -> None:
    out = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "cli.main",
            "mail",
            "import",
            str(EMAILS / "ko_ks_c_5601.eml"),
            str(EMAILS / "bounce_dsn.eml"),
        ],
        cwd=REPO,
        env=child_env(stack_env(mail_stack)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    lines = [line.split("\t") for line in out.stdout.splitlines()]
    assert [line[1] for line in lines] == ["new_ticket", "ignored"]
    assert lines[0][2].startswith(mail_stack.prefix)


async def test_web_command_serves_the_pages(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
        "LINGODESK_STATUS_SECRET": STATUS_SECRET,
        "TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
    }  # nothing listens: the pages still serve
    with lingodesk(["web", "--port", str(port)], env, tmp_path / "web.log"):
        await asyncio.to_thread(wait_for_port, "127.0.0.1", port, 60)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert (await client.get("/healthz")).text == "ok"
            form = await client.get("/", params={"lang": "ar"})
            assert form.status_code == 200 and 'dir="rtl"' in form.text
            down = await client.post("/", data={"form_id": "x" * 24, "email": "a@b.example", "message": "hi"})
            assert down.status_code == 503
    without_secret = subprocess.run(
        [sys.executable, "-m", "cli.main", "web"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "LINGODESK_STATUS_SECRET": "", "DATABASE_URL": env["DATABASE_URL"]},
        timeout=60,
    )
    assert without_secret.returncode != 0 and "LINGODESK_STATUS_SECRET" in without_secret.stderr
