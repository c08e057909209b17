"""CSAT end to end on the dev server: the production ticket worker (worker.py: real store, CSAT
and notify activities, SMTP to a local sink), fake NLP, and the customer web app in process.

resolve -> survey e-mail in German with a signed link -> answer through /survey/{token} ->
recorded on the ticket and in csat_responses, comment translated to zh, low-score alert in the
console's alert list.
"""

import email.message
from functools import partial

import httpx
from sqlalchemy import select

from channels.csat_gateway import TemporalCsat
from channels.csat_link import CsatLinkSigner
from channels.signing import load_secret, signer_from_settings
from channels.web.app import WebConfig, create_app
from domain.actions import AssignRequest, ResolveRequest
from domain.ids import ticket_workflow_id
from domain.nlp import TranslationState
from domain.ticket import TicketState
from store.queries import alerts
from store.tables import CsatResponseRow, NotificationRow
from tests.channels.conftest import MailStack, sample
from tests.channels.helpers import eventually, has_event, ticket_row, update_when_ready

BASE = "https://help.lingodesk.test"


def text_of(msg: email.message.Message) -> str:
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            return bytes(part.get_payload(decode=True)).decode()
    raise AssertionError("no text/plain part")


def web_client(stack: MailStack) -> httpx.AsyncClient:
    settings = stack.settings
    status_signer = signer_from_settings(settings)
    secret = load_secret(settings)
    assert status_signer is not None and secret is not None
    app = create_app(
        stack.sessions,
        status_signer,
        WebConfig(public_url=BASE),
        stack.gateway,
        csat=TemporalCsat(stack.env.client),
        csat_signer=CsatLinkSigner(secret),
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE)


def csat_row(stack: MailStack, ticket_id: str) -> CsatResponseRow | None:
    with stack.sessions() as session:
        return session.scalars(select(CsatResponseRow).where(CsatResponseRow.ticket_id == ticket_id)).first()


def low_score_alert(stack: MailStack, ticket_id: str) -> NotificationRow | None:
    with stack.sessions() as session:
        return session.scalars(
            select(NotificationRow).where(
                NotificationRow.ticket_id == ticket_id, NotificationRow.kind == "csat_low"
            )
        ).first()


async def test_resolve_survey_mail_web_answer_recorded_translated_and_alerted(mail_stack: MailStack) -> None:
    ticket_id = (await mail_stack.ingestor.ingest(sample("de_outlook_html.eml"))).ticket_id or ""
    handle = mail_stack.env.client.get_workflow_handle(ticket_workflow_id(ticket_id))
    await update_when_ready(handle, "assign", AssignRequest(agent_id="lukas.meyer", by="zhang.min"))
    await handle.execute_update(
        "resolve", ResolveRequest(by="lukas.meyer", resolution="Steuerplatine getauscht")
    )

    def survey_mails() -> list[email.message.Message]:
        return [m for m in mail_stack.sink.received if ".csat0@" in str(m["Message-ID"])]

    msg = (await eventually(survey_mails, "the survey e-mail at the SMTP server"))[0]
    body = text_of(msg)
    assert msg["Content-Language"] == "de" and f"[#{ticket_id}]" in str(msg["Subject"])
    assert f"Ihre Anfrage {ticket_id} wurde erledigt" in body  # the approved German variant
    link = next(w for w in body.split() if w.startswith(f"{BASE}/survey/"))
    path = link.removeprefix(BASE)
    token = path.split("?")[0].rsplit("/", 1)[1]
    secret = load_secret(mail_stack.settings)
    assert secret is not None
    survey = CsatLinkSigner(secret).verify(token)
    assert (survey.ticket_id, survey.round) == (ticket_id, 0)

    async with web_client(mail_stack) as web:
        form = await web.get(path)
        assert form.status_code == 200 and 'lang="de"' in form.text
        assert "Wie zufrieden waren Sie?" in form.text
        done = await web.post(
            path.split("?")[0],
            data={"score": "1", "comment": "Das Gerät ist immer noch kaputt.", "lang": "de"},
        )
        assert done.status_code == 200 and "Vielen Dank für Ihr Feedback" in done.text

        row = await eventually(partial(csat_row, mail_stack, ticket_id), "the answer in csat_responses")
        assert (row.score, row.resolution_round, row.language, row.agent_id) == (1, 0, "de", "lukas.meyer")
        assert row.comment == "Das Gerät ist immer noch kaputt."
        assert row.comment_translated == "[zh] Das Gerät ist immer noch kaputt."  # fake NLP marks its output

        alert = await eventually(partial(low_score_alert, mail_stack, ticket_id), "the low-score alert")
        assert "supervisor" in alert.recipients and "lukas.meyer" in alert.recipients
        assert "1/5" in alert.summary and "[zh] Das Gerät" in alert.summary
        assert any(a.notification_id == alert.notification_id for a in alerts(mail_stack.sessions))

        # Recorded on the ticket: workflow state and the projected timeline.
        state: TicketState = await handle.query("get_snapshot", result_type=TicketState)
        answer = state.csat.answers[0]
        assert answer.translation_state is TranslationState.TRANSLATED and answer.recorded
        assert await eventually(lambda: has_event(mail_stack.sessions, ticket_id, "csat_comment"), "timeline")
        assert has_event(mail_stack.sessions, ticket_id, "csat_survey")

        # The same link again: the workflow's validator refuses, the page says it was rated.
        again = await web.post(path.split("?")[0], data={"score": "5", "lang": "de"})
        assert again.status_code == 409 and "bereits bewertet" in again.text
        assert (await web.get(path)).status_code == 200  # the form page now says "already rated"
        assert "bereits bewertet" in (await web.get(path)).text


async def test_status_page_of_a_resolved_ticket_offers_the_survey(mail_stack: MailStack) -> None:
    ticket_id = (await mail_stack.ingestor.ingest(sample("es_gmail_html.eml"))).ticket_id or ""
    handle = mail_stack.env.client.get_workflow_handle(ticket_workflow_id(ticket_id))
    await update_when_ready(handle, "assign", AssignRequest(agent_id="lukas.meyer", by="zhang.min"))
    await handle.execute_update("resolve", ResolveRequest(by="lukas.meyer"))
    status_signer = signer_from_settings(mail_stack.settings)
    assert status_signer is not None

    def closed() -> bool:
        row = ticket_row(mail_stack.sessions, ticket_id)
        return row is not None and row.status == "closed"

    await eventually(closed, "the resolution projected")
    async with web_client(mail_stack) as web:
        status = await web.get(f"/status/{status_signer.sign(ticket_id)}?lang=es")
        assert status.status_code == 200 and "Valorar nuestro servicio" in status.text
        survey_path = next(
            part.split('"')[0] for part in status.text.split('href="') if part.startswith("/survey/")
        )
        done = await web.post(survey_path.split("?")[0], data={"score": "5", "lang": "es"})
        assert done.status_code == 200 and "Gracias por su opinión" in done.text
        row = await eventually(partial(csat_row, mail_stack, ticket_id), "the answer in csat_responses")
        assert row.score == 5 and row.comment == "" and row.comment_translated is None
        assert low_score_alert(mail_stack, ticket_id) is None  # 5/5 alerts nobody
        status = await web.get(f"/status/{status_signer.sign(ticket_id)}?lang=es")
        assert "ya ha sido valorada" in status.text
