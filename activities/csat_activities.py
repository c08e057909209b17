"""CSAT activities (task queue `tickets`): mail the survey, record the answer.

The survey text is the `csat_survey` reply template (templates/catalog/csat_survey.yaml) in the
customer's language, an approved variant only (a machine draft is never mailed); the link is a
signed, expiring survey token (channels/csat_link.py). Configuration (public URL, secret, low-score
threshold, recipients) comes from the environment, never from the activity input.
"""

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.channel_activities import reply_subject, ticket_token
from channels.csat_link import CsatLinkSigner, survey_url
from channels.outbound import Mailer, OutgoingEmail, PermanentDeliveryFailure
from domain.csat import CsatActivity, CsatSurveyRequest, CsatSurveyResult, RecordCsatRequest, RecordCsatResult
from insights.settings import CsatSettings
from store.agents import escalation_contacts
from store.csat import record_response
from templates.model import Availability, TemplateError
from templates.render import render_text
from templates.service import TemplateService


def survey_message_id(ticket_id: str, round_: int, domain: str) -> str:
    # Deterministic: a retried activity re-sends the same Message-ID (receivers de-duplicate).
    return f"<ticket-{ticket_id}.csat{round_}@{domain}>"


class CsatActivities:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        templates: TemplateService,
        signer: CsatLinkSigner | None,
        mailer: Mailer | None,
        public_url: str,
        mail_domain: str = "lingodesk.local",
        settings: CsatSettings | None = None,
    ) -> None:
        self.sessions = sessions
        self.templates = templates
        self.signer = signer
        self.mailer = mailer
        self.public_url = public_url
        self.mail_domain = mail_domain
        self.settings = settings or CsatSettings()

    def survey_text(self, language: str, values: dict[str, str]) -> tuple[str, str]:
        """(text, language): the approved variant in `language`, else in the fallback language."""
        name = self.settings.survey_template
        for lang in (language, self.settings.fallback_language):
            resolved = self.templates.resolve(name, lang)
            if resolved.text is not None and resolved.availability in (
                Availability.APPROVED,
                Availability.SOURCE,
            ):
                return render_text(resolved.text, values, f"{name} [{lang}]"), lang
        raise ApplicationError(
            f"no approved {name} text in {language} or the fallback language",
            type="BadInput",
            non_retryable=True,
        )

    @activity.defn(name=CsatActivity.SEND_SURVEY)
    def send_csat_survey(self, req: CsatSurveyRequest) -> CsatSurveyResult:
        if self.signer is None:
            return CsatSurveyResult(state="failed", detail="no link secret (LINGODESK_STATUS_SECRET)")
        if self.mailer is None or not req.customer.email:
            # No e-mail channel: the status page offers the survey of a resolved ticket.
            return CsatSurveyResult(
                state="recorded",
                language=req.language,
                detail="no mailer or address; offered on the status page",
            )
        token = self.signer.sign(req.ticket_id, req.round, req.expires_at)
        try:
            text, lang = self.survey_text(
                req.language,
                {"ticket_id": req.ticket_id, "survey_url": survey_url(self.public_url, token, req.language)},
            )
        except TemplateError as exc:
            raise ApplicationError(str(exc), type="BadInput", non_retryable=True) from exc
        email = OutgoingEmail(
            message_id=survey_message_id(req.ticket_id, req.round, self.mail_domain),
            to=req.customer.email,
            to_name=req.customer.name,
            subject=reply_subject(req.subject, req.ticket_id),
            text=text,
            language=lang,
            ticket_token=ticket_token(req.ticket_id),
        )
        try:
            self.mailer.send(email)
        except PermanentDeliveryFailure as exc:
            return CsatSurveyResult(state="failed", language=lang, detail=str(exc))
        return CsatSurveyResult(state="sent", language=lang)

    @activity.defn(name=CsatActivity.RECORD)
    def record_csat(self, req: RecordCsatRequest) -> RecordCsatResult:
        with self.sessions.begin() as session:
            record_response(session, req)
            low = req.score <= self.settings.low_score
            # The team's supervisor by agent id too: role names reach the console list and the
            # webhook, but only agent ids resolve to an address for the e-mail sink.
            supervisor = escalation_contacts(session, req.team, req.agent_id).supervisor if low else None
        recipients = [*self.settings.low_score_recipients, *(p for p in (supervisor, req.agent_id) if p)]
        return RecordCsatResult(low_score=low, recipients=list(dict.fromkeys(recipients)) if low else [])
