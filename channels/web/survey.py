"""The satisfaction survey pages of the customer web app.

    GET  /survey/{token}   the form (score 1-5, optional comment) for the signed resolution round
    POST /survey/{token}   hands the answer to the ticket workflow (`submit_csat` update)

The token (channels/csat_link.py) names the ticket and the resolution round and expires with the
survey window. The page never writes SQL: the workflow validates, records and translates.
The status page of a resolved ticket offers a fresh link (`status_offer`).
"""

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from channels.csat_gateway import CsatGateway, CsatRefused, SurveyClosed
from channels.csat_link import CsatLinkSigner, SurveyToken
from channels.signing import ExpiredToken, InvalidToken
from channels.web import i18n
from channels.web.render import page
from domain.csat import MAX_COMMENT_CHARS, MAX_SCORE, MIN_SCORE, CsatSubmission
from store.csat import CsatOffer, survey_offer

log = logging.getLogger("lingodesk.web.survey")

LanguageFn = Callable[..., str]
FormReader = Callable[[Request], Awaitable[Mapping[str, str] | Response]]


class SurveyOffer(BaseModel):
    """What the status page shows: a link to rate, or a thank-you when already rated."""

    link: str | None = None
    rated: bool = False


def status_offer(
    sessions: sessionmaker[Session],
    signer: CsatLinkSigner | None,
    ticket_id: str,
    root: str,
    lang: str,
    window: timedelta,
    now: datetime | None = None,
) -> SurveyOffer | None:
    if signer is None:
        return None
    with sessions() as session:
        offer = survey_offer(session, ticket_id)
    now = now or datetime.now(UTC)
    if offer is None:
        return None
    if offer.rated:
        return SurveyOffer(rated=True)
    if now >= offer.closed_at + window:
        return None
    token = signer.sign(ticket_id, offer.round, offer.closed_at + window)
    return SurveyOffer(link=f"{root}/survey/{token}?lang={lang}")


def survey_routes(
    sessions: sessionmaker[Session],
    signer: CsatLinkSigner,
    csat: CsatGateway,
    root: str,
    language: LanguageFn,
    read_form: FormReader,
    invalid_link: Callable[[str, str], Response],
) -> list[Route]:
    def done(lang: str, heading: str, message: str, status_code: int = 200) -> Response:
        return page(
            "survey_done.html.j2",
            lang,
            root,
            "survey_title",
            status_code=status_code,
            heading=i18n.t(lang, heading),
            message=i18n.t(lang, message) if message else "",
        )

    def form_page(
        lang: str,
        token: str,
        ticket_id: str,
        error: str = "",
        selected: int | None = None,
        comment: str = "",
        status_code: int = 200,
    ) -> Response:
        return page(
            "survey.html.j2",
            lang,
            root,
            "survey_title",
            status_code=status_code,
            token=token,
            ticket_id=ticket_id,
            error=error,
            selected=selected,
            comment=comment,
            max_chars=MAX_COMMENT_CHARS,
        )

    def check(request: Request) -> tuple[str, SurveyToken | Response, CsatOffer | None]:
        token = request.path_params["token"]
        try:
            survey = signer.verify(token)
        except ExpiredToken:
            return token, invalid_link(language(request), "link_expired"), None
        except InvalidToken:
            return token, invalid_link(language(request), "link_invalid_body"), None
        with sessions() as session:
            offer = survey_offer(session, survey.ticket_id)
        return token, survey, offer

    def state_page(lang: str, survey: SurveyToken, offer: CsatOffer | None) -> Response | None:
        """The answer to a link whose round is over or already rated; None when the form applies."""
        if offer is None or offer.round != survey.round:
            return done(lang, "survey_title", "survey_closed", status_code=410)
        if offer.rated:
            return done(lang, "survey_thanks_title", "survey_already")
        return None

    async def show(request: Request) -> Response:
        token, survey, offer = check(request)
        if isinstance(survey, Response):
            return survey
        lang = language(request, ticket_language=offer.language if offer else None)
        return state_page(lang, survey, offer) or form_page(lang, token, survey.ticket_id)

    async def answer(request: Request) -> Response:
        token, survey, offer = check(request)
        if isinstance(survey, Response):
            return survey
        form = await read_form(request)
        if isinstance(form, Response):
            return form
        lang = language(request, form, offer.language if offer else None)
        comment = str(form.get("comment", "")).strip()
        try:
            score = int(str(form.get("score", "")).strip())
        except ValueError:
            score = 0
        if not MIN_SCORE <= score <= MAX_SCORE:
            return form_page(lang, token, survey.ticket_id, i18n.t(lang, "error_score"), None, comment, 400)
        if len(comment) > MAX_COMMENT_CHARS:
            return form_page(
                lang, token, survey.ticket_id, i18n.t(lang, "error_too_long"), score, comment, 400
            )
        submission = CsatSubmission(score=score, round=survey.round, comment=comment, source="web")
        try:
            await csat.submit(survey.ticket_id, submission)
        except CsatRefused as exc:
            log.info("survey %s round %s refused: %s", survey.ticket_id, survey.round, exc)
            if "already rated" in str(exc):
                return done(lang, "survey_thanks_title", "survey_already", status_code=409)
            return done(lang, "survey_title", "survey_closed", status_code=409)
        except SurveyClosed:
            return done(lang, "survey_title", "survey_closed", status_code=410)
        except Exception as exc:  # Temporal unreachable: keep the answer on the form, ask to retry
            log.warning("survey %s not submitted: %s", survey.ticket_id, type(exc).__name__)
            return form_page(
                lang, token, survey.ticket_id, i18n.t(lang, "error_unavailable"), score, comment, 503
            )
        return done(lang, "survey_thanks_title", "survey_thanks_body")

    routes: list[Any] = [
        Route("/survey/{token}", show, methods=["GET"]),
        Route("/survey/{token}", answer, methods=["POST"]),
    ]
    return routes
