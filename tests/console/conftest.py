"""Console fixtures: a seeded SQLite projection, a fake gateway, signed-in AppTests."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from streamlit.testing.v1 import AppTest

from console import translation
from console.demo_seed import seed_console_demo
from console.gateway import ActionOutcome, OutcomeKind, set_gateway
from domain.nlp import TranslateRequest, TranslationResult, TranslationState
from runtime.settings import get_settings
from store.db import make_engine, make_session_factory
from store.users import authenticate

APP = Path(__file__).resolve().parents[2] / "console" / "app.py"
DEMO_PASSWORD = "lingodesk-demo"


@dataclass
class FakeGateway:
    """Records every update; rejects like the real validators do for the cases the tests use."""

    calls: list[tuple[str, str, BaseModel]] = field(default_factory=list)
    unavailable: bool = False

    def ticket_update(self, ticket_id: str, update: str, arg: BaseModel) -> ActionOutcome:
        self.calls.append((ticket_id, update, arg))
        if self.unavailable:
            return ActionOutcome(
                kind=OutcomeKind.UNAVAILABLE, message="Failed client connect: connection refused"
            )
        text = getattr(arg, "text", None)
        if update == "add_note" and text is not None and not text.strip():
            return ActionOutcome(kind=OutcomeKind.INVALID, message="note text is empty")
        if update == "reopen":
            return ActionOutcome(
                kind=OutcomeKind.INVALID,
                message="only a closed ticket can be reopened (status is processing)",
            )
        return ActionOutcome(kind=OutcomeKind.OK, status="processing", detail=f"{update} accepted")

    def task_update(self, task_id: str, arg: BaseModel) -> ActionOutcome:
        self.calls.append((task_id, type(arg).__name__, arg))
        return ActionOutcome(kind=OutcomeKind.OK, status="done", detail="task updated")


def fake_translate(req: TranslateRequest) -> TranslationResult:
    if req.target == "ar":
        return TranslationResult(
            state=TranslationState.UNAVAILABLE,
            source=req.source,
            target=req.target,
            detail=f"no translation model for {req.source}->{req.target}",
        )
    return TranslationResult(
        state=TranslationState.TRANSLATED,
        text=f"[{req.target}] {req.text}",
        source=req.source,
        target=req.target,
        engine="fake",
        applied_terms=[],
    )


@pytest.fixture
def console_db(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("TEMPORAL_ADDRESS", "127.0.0.1:1")  # nothing listens: Temporal is "down"
    monkeypatch.setenv("LINGODESK_GLOSSARIES_DIR", str(tmp_path / "glossaries"))
    get_settings.cache_clear()
    engine = make_engine(sqlite_url)
    seed_console_demo(engine, include_hostile=True)
    engine.dispose()
    yield sqlite_url
    get_settings.cache_clear()


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    fake = FakeGateway()
    set_gateway(fake)
    translation.set_translate_fn(fake_translate)
    yield fake
    set_gateway(None)
    translation.set_translate_fn(None)


def signed_in(url: str, username: str, lang: str = "en", ttl: timedelta = timedelta(hours=1)) -> AppTest:
    """An AppTest whose browser session already holds a real session token for `username`."""
    opened = authenticate(make_session_factory(make_engine(url)), username, DEMO_PASSWORD, ttl)
    assert opened is not None
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["session_token"] = opened.token
    at.session_state["lang"] = lang
    return at


def on_page(at: AppTest, page: str) -> AppTest:
    """Run the app, then switch to `page` (app_pages/<page>.py) the way the sidebar does."""
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    no_exceptions(at)
    return at


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def frame(at: AppTest, *columns: str) -> Any:
    """The first st.dataframe showing all of `columns` (display-only frames have no key in AppTest)."""
    for element in at.dataframe:
        value = element.value
        if all(c in value.columns for c in columns):
            return value
    raise AssertionError(f"no table with columns {columns}")


def texts(at: AppTest) -> str:
    """Everything the page shows as text (markdown, captions, alerts, titles), one string."""
    parts = [
        e.value
        for kind in (
            "title",
            "subheader",
            "markdown",
            "caption",
            "text",
            "info",
            "warning",
            "error",
            "success",
        )
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)
