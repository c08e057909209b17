"""The customer web app (Starlette): intake form, status page by signed link, status lookup.

    GET  /                 the form, in the language chosen (?lang=) or the browser's
    POST /                 start a ticket; shows its number and a signed status link
    GET  /status/{token}   the status page of the ticket the token was signed for
    GET  /status, POST     look a ticket up by number + e-mail; redirects to a fresh link

A double-submitted form starts one ticket: the ticket id is derived from a random id placed in
the form when it was rendered. The app never writes ticket state: it starts workflows through
the gateway and reads the SQL projection through store.customer_view.
"""

import hashlib
import logging
import re
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from channels.csat_gateway import CsatGateway
from channels.csat_link import CsatLinkSigner
from channels.gateway import TicketGateway
from channels.signing import ExpiredToken, InvalidToken, StatusLinkSigner
from channels.web import i18n
from channels.web.render import page, stylesheet
from channels.web.survey import status_offer, survey_routes
from domain.ticket import Channel, Customer, TicketInput
from store.customer_view import CustomerTicketView, load_customer_view, ticket_matches_email

log = logging.getLogger("lingodesk.web")

EMAIL = re.compile(r"^[^@\s<>\"',;()\[\]\\]+@[^@\s<>\"',;()\[\]\\]+\.[^@\s<>\"',;()\[\]\\]+$")
FORM_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_BODY_BYTES = 256 * 1024
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        b"base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # status links carry a token: never leak it in Referer
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


class WebConfig(BaseModel):
    public_url: str = "http://localhost:8080"
    show_agent_names: bool = False
    max_message_chars: int = 20_000
    internal_language: str = "zh"
    csat_status_page_days: int = 7  # how long a resolved ticket's status page offers the survey


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in SECURITY_HEADERS if h[0] not in names
                ]
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def web_ticket_id(form_id: str) -> str:
    return "W" + hashlib.sha256(form_id.encode("ascii")).hexdigest()[:14].upper()


def validate_intake(
    form: Mapping[str, str], lang: str, max_chars: int
) -> tuple[dict[str, str], dict[str, str]]:
    values = {k: str(form.get(k, "")).strip() for k in ("name", "email", "subject", "message")}
    errors: dict[str, str] = {}
    if not values["email"]:
        errors["email"] = i18n.t(lang, "error_required")
    elif len(values["email"]) > 254 or not EMAIL.match(values["email"]):
        errors["email"] = i18n.t(lang, "error_email")
    if not values["message"]:
        errors["message"] = i18n.t(lang, "error_required")
    elif len(values["message"]) > max_chars:
        errors["message"] = i18n.t(lang, "error_too_long")
    if len(values["subject"]) > 300:
        errors["subject"] = i18n.t(lang, "error_too_long")
    values["name"] = values["name"][:200]
    return values, errors


def create_app(
    sessions: sessionmaker[Session],
    signer: StatusLinkSigner,
    config: WebConfig,
    tickets: TicketGateway,
    root_path: str = "",
    csat: CsatGateway | None = None,
    csat_signer: CsatLinkSigner | None = None,
) -> Starlette:
    """`tickets` starts workflows (in production a LazyTemporalTickets: connects on first use);
    `csat` + `csat_signer` turn on the satisfaction survey pages (channels/web/survey.py)."""

    def language(
        request: Request, form: Mapping[str, Any] | None = None, ticket_language: str | None = None
    ) -> str:
        chosen = (form or {}).get("lang") or request.query_params.get("lang")
        return i18n.pick_language(
            str(chosen) if chosen else None, ticket_language, request.headers.get("accept-language")
        )

    async def read_form(request: Request) -> Mapping[str, str] | Response:
        if int(request.headers.get("content-length") or 0) > MAX_BODY_BYTES:
            return PlainTextResponse("request too large", status_code=413)
        form = await request.form(max_files=0, max_fields=20, max_part_size=MAX_BODY_BYTES)
        return {k: v for k, v in form.items() if isinstance(v, str)}

    def intake_page(
        lang: str,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        error: str = "",
        status_code: int = 200,
    ) -> Response:
        return page(
            "intake.html.j2",
            lang,
            root_path,
            "intake_title",
            status_code=status_code,
            form_id=secrets.token_urlsafe(18),
            values=values or {"name": "", "email": "", "subject": "", "message": ""},
            errors=errors or {},
            error=error,
            max_chars=config.max_message_chars,
        )

    async def intake(request: Request) -> Response:
        return intake_page(language(request))

    async def submit(request: Request) -> Response:
        form = await read_form(request)
        if isinstance(form, Response):
            return form
        lang = language(request, form)
        values, errors = validate_intake(form, lang, config.max_message_chars)
        form_id = form.get("form_id", "")
        if errors or not FORM_ID.match(form_id):
            return intake_page(lang, values, errors, status_code=400)
        ticket_id = web_ticket_id(form_id)
        link = f"{config.public_url.rstrip('/')}/status/{signer.sign(ticket_id)}?lang={lang}"
        if form.get("website"):  # the hidden honeypot field: a bot; look successful, start nothing
            log.info("intake honeypot filled; ignored")
            return page(
                "thanks.html.j2", lang, root_path, "thanks_title", ticket_id=ticket_id, status_link=None
            )
        ticket = TicketInput(
            ticket_id=ticket_id,
            channel=Channel.WEB,
            customer=Customer(email=values["email"].lower(), name=values["name"], language=lang),
            subject=values["subject"],
            body=values["message"],
            internal_language=config.internal_language,
            external_ids={"web_form_language": lang},
        )
        try:
            await tickets.start(ticket)
        except Exception as exc:  # Temporal unreachable: keep what they typed, ask to retry
            log.warning("intake: ticket %s not started: %s", ticket_id, type(exc).__name__)
            return intake_page(lang, values, error=i18n.t(lang, "error_unavailable"), status_code=503)
        log.info("intake: ticket %s started (lang=%s)", ticket_id, lang)
        return page("thanks.html.j2", lang, root_path, "thanks_title", ticket_id=ticket_id, status_link=link)

    def lookup_page(
        lang: str,
        notice_key: str = "",
        title_key: str = "",
        values: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        return page(
            "lookup.html.j2",
            lang,
            root_path,
            "lookup_title",
            status_code=status_code,
            notice=i18n.t(lang, notice_key) if notice_key else "",
            notice_title=i18n.t(lang, title_key) if title_key else "",
            values=values or {"ticket_id": "", "email": ""},
        )

    async def status(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            ticket_id = signer.verify(token)
        except ExpiredToken:
            return lookup_page(language(request), "link_expired", "link_invalid_title", status_code=403)
        except InvalidToken:
            return lookup_page(language(request), "link_invalid_body", "link_invalid_title", status_code=403)
        with sessions() as session:
            view = load_customer_view(session, ticket_id, config.show_agent_names)
        if view is None:  # started moments ago and not projected yet
            now = datetime.now(UTC)
            view = CustomerTicketView(
                ticket_id=ticket_id,
                status="pending_assignment",
                language="und",
                subject="",
                created_at=now,
                updated_at=now,
            )
        lang = language(request, ticket_language=view.language)
        survey = None
        if csat is not None and view.status == "closed":
            window = timedelta(days=config.csat_status_page_days)
            survey = status_offer(sessions, csat_signer, ticket_id, root_path, lang, window)
        return page(
            "status.html.j2",
            lang,
            root_path,
            "status_title",
            title_values={"ticket_id": view.ticket_id},
            view=view,
            survey=survey,
        )

    async def lookup(request: Request) -> Response:
        return lookup_page(language(request))

    async def lookup_submit(request: Request) -> Response:
        form = await read_form(request)
        if isinstance(form, Response):
            return form
        lang = language(request, form)
        ticket_id = form.get("ticket_id", "").strip().lstrip("#").strip("[]#")[:64]
        email = form.get("email", "").strip()[:254]
        with sessions() as session:
            found = ticket_matches_email(session, ticket_id, email)
        if not found:  # one message for every mismatch: no hint which half was wrong
            return lookup_page(
                lang, "lookup_failed", values={"ticket_id": ticket_id, "email": email}, status_code=404
            )
        return RedirectResponse(f"{root_path}/status/{signer.sign(ticket_id)}?lang={lang}", status_code=303)

    async def style(request: Request) -> Response:
        return Response(
            stylesheet(), media_type="text/css", headers={"cache-control": "public, max-age=3600"}
        )

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def not_found(request: Request, exc: Exception) -> Response:
        lang = language(request)
        return page("error.html.j2", lang, root_path, "not_found", status_code=404, message="")

    app = Starlette(
        routes=[
            Route("/", intake, methods=["GET"]),
            Route("/", submit, methods=["POST"]),
            Route("/status", lookup, methods=["GET"]),
            Route("/status", lookup_submit, methods=["POST"]),
            Route("/status/{token}", status, methods=["GET"]),
            Route("/static/style.css", style, methods=["GET"]),
            Route("/healthz", health, methods=["GET"]),
            *(
                survey_routes(
                    sessions,
                    csat_signer,
                    csat,
                    root_path,
                    language,
                    read_form,
                    lambda lang, key: lookup_page(lang, key, "link_invalid_title", status_code=403),
                )
                if csat is not None and csat_signer is not None
                else []
            ),
        ],
        exception_handlers={404: not_found},
    )
    app.add_middleware(SecurityHeaders)
    return app
