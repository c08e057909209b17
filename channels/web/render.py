"""Page rendering for the customer web pages: Jinja2 with autoescaping always on.

Every value that reaches a page (customer text, agent replies, subjects, ticket ids, error
messages) is escaped by Jinja; nothing is marked safe. Dates are shown in UTC, unambiguous in
every language.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.responses import HTMLResponse

from channels.web import i18n
from store.customer_view import PublicEvent

TEMPLATES = Path(__file__).with_name("templates")


@lru_cache(maxsize=1)
def environment() -> Environment:
    # autoescape=True for every template, whatever its file extension.
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def when(value: datetime | None) -> str:
    if value is None:
        return ""
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def status_label(lang: str) -> Callable[[str], str]:
    def label(status: str) -> str:
        key = f"status_{status}"
        return i18n.t(lang, key) if key in i18n.catalog()["en"] else status

    return label


def event_label(lang: str) -> Callable[[PublicEvent], str]:
    def label(event: PublicEvent) -> str:
        if event.kind == "status" and event.status:
            return i18n.t(lang, "event_status", status=status_label(lang)(event.status))
        key = f"event_{event.kind}"
        return i18n.t(lang, key) if key in i18n.catalog()["en"] else i18n.t(lang, "event_other")

    return label


def page(
    template: str,
    lang: str,
    root: str,
    title_key: str,
    status_code: int = 200,
    title_values: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    def translate(key: str, **values: str) -> str:
        return i18n.t(lang, key, **values)

    html = (
        environment()
        .get_template(template)
        .render(
            lang=lang,
            dir=i18n.direction(lang),
            root=root,
            languages=i18n.language_choices(),
            t=translate,
            title=context.pop("title", None) or translate(title_key, **(title_values or {})),
            when=when,
            status_label=status_label(lang),
            event_label=event_label(lang),
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code)


def stylesheet() -> str:
    return environment().get_template("style.css.j2").render()
