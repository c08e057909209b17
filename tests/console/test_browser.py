"""Real browser: `streamlit run console/app.py` on a free port against a seeded store, headless
Debian chromium signs in, opens tickets, saves screenshots under artifacts/, and fails on any
Streamlit exception box. Skipped where chromium is not installed."""

import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.demo_seed import seed_console_demo
from runtime.devserver import free_port, wait_for_port
from store.db import make_engine
from tests.console.browser import Page, chromium_binary, chromium_page

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "console"
EXCEPTION_BOX = '[data-testid="stException"]'

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(chromium_binary() is None, reason="Debian chromium not installed"),
]


@pytest.fixture
def console_server(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'console.db'}"
    engine = make_engine(url)
    seed_console_demo(engine, include_hostile=True)
    engine.dispose()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
        "LINGODESK_GLOSSARIES_DIR": str(tmp_path / "glossaries"),
        "LINGODESK_CONSOLE_DEMO": "1",
    }
    log = open(tmp_path / "streamlit.log", "wb")  # noqa: SIM115 - owned by the child process
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / "console" / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            "--client.toolbarMode",
            "minimal",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port("127.0.0.1", port, timeout_s=120)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=30) as resp:
            assert resp.read() == b"ok"
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def no_exception_boxes(page: Page) -> None:
    boxes = page.eval(f"[...document.querySelectorAll('{EXCEPTION_BOX}')].map(e => e.innerText)")
    assert boxes == [], boxes


def sign_in(page: Page, username: str) -> None:
    page.type_into('input[aria-label="用户名"]', username)
    page.type_into('input[type="password"]', "lingodesk-demo")
    page.click_button("登录")


def test_sign_in_open_ticket_and_screenshot(console_server: str) -> None:
    binary = chromium_binary()
    assert binary is not None
    with chromium_page(binary) as page:
        page.set_viewport(1280, 1600)  # tall enough for the whole ticket in one screenshot
        # A deep link survives the sign-in form.
        page.navigate(f"{console_server}/ticket?ticket=DEMO-0001")
        page.wait_for("!!document.querySelector('input[type=\"password\"]')", "the sign-in form")
        sign_in(page, "zhang.min")
        page.wait_for(
            "document.body.innerText.includes('工单 DEMO-0001') && "
            "document.body.innerText.includes('固件更新后设备无法启动') && "
            "document.body.innerText.includes('SLA 计时（实时）')",
            "the ticket page",
        )
        page.wait_for("document.body.innerText.includes('分配 / 转派')", "the action forms")
        page.wait_idle()
        page.wait_stable()
        no_exception_boxes(page)
        highlighted = page.eval(
            "document.querySelectorAll('[data-testid=\"stMarkdownContainer\"] span').length"
        )
        assert highlighted > 0
        shot = page.screenshot(ARTIFACTS / "ticket-DEMO-0001.png")
        assert shot.stat().st_size > 10_000

        # A reload is a new Streamlit session: the session token in the URL resumes it, no sign-in.
        assert "session=" in page.eval("location.search")
        page.eval("window.beforeReload = true; location.reload()")  # the marker dies with the old page
        page.wait_for(
            "!window.beforeReload && !!document.body && "
            "document.body.innerText.includes('工单 DEMO-0001') && "
            "!document.querySelector('input[type=\"password\"]')",
            "the ticket page, still signed in, after a reload",
        )
        page.wait_idle()
        page.wait_stable()
        no_exception_boxes(page)

        # The hostile ticket: its HTML/Markdown/JS shows as text, nothing of it becomes markup.
        page.type_into('input[aria-label="工单编号"]', "")
        page.eval("document.querySelector('input[aria-label=\"工单编号\"]').select()")
        page.call("Input.insertText", text="DEMO-0666")
        page.press_enter()
        page.wait_for("document.body.innerText.includes('工单 DEMO-0666')", "the hostile ticket")
        page.wait_idle()
        page.wait_stable()
        no_exception_boxes(page)
        # innerText keeps the asterisks, brackets and tags only if none of them was rendered.
        assert page.eval(
            "document.body.innerText.includes('<script>alert(1)</script> **bold** [x](javascript:alert(1))')"
        )
        assert page.eval("document.querySelectorAll('a[href^=\"javascript\"]').length") == 0
        assert page.eval("[...document.querySelectorAll('script')].every(s => !s.text.includes('alert(1)'))")
        page.screenshot(ARTIFACTS / "ticket-DEMO-0666-escaped.png")

        # A phone-sized overview.
        page.set_viewport(390, 844, mobile=True)
        page.navigate(f"{console_server}/")  # a new browser session: sign in again
        page.wait_for("!!document.querySelector('input[type=\"password\"]')", "the sign-in form")
        sign_in(page, "zhang.min")
        page.wait_for("document.body.innerText.includes('主管总览')", "the overview on a phone")
        page.wait_idle()
        page.wait_stable()
        no_exception_boxes(page)
        page.screenshot(ARTIFACTS / "overview-phone.png")
