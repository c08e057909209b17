"""Activity calls and pure helpers used by TicketWorkflow.

Activities are called by name with an explicit result type, so this module imports no
activity code and the workflow sandbox stays free of heavy libraries.
"""

from datetime import datetime

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain.channels import SendReplyRequest, SendReplyResult, SendState
    from domain.collaboration import CollaborationBoard
    from domain.csat_state import CsatState
    from domain.ids import ActivityName
    from domain.nlp import (
        Classification,
        ClassifyRequest,
        DetectLanguageRequest,
        LanguageDetection,
        TranslateRequest,
        TranslationResult,
        TranslationState,
    )
    from domain.routing import RoutingState
    from domain.store_io import NotifyRequest, RecordTicketRequest
    from domain.ticket import Customer, Direction, TicketMessage, TicketState, TimelineEvent
    from workflows.activity_options import nlp_options, notify_options, send_options, store_options

MAX_DETECTION_CHARS = 2000


def inbound_message(seq: int, customer: Customer, text: str, received_at: datetime,
                    message_id: str | None) -> TicketMessage:
    """A message from the customer: the first one at intake, or one written later."""
    return TicketMessage(seq=seq, direction=Direction.INBOUND, author=customer.email or customer.name,
                         original_text=text, created_at=received_at, external_message_id=message_id)


def detection_text(subject: str, body: str) -> str:
    return f"{subject}\n\n{body}".strip() if subject else body


def event(seq: int, at: datetime, kind: str, summary: str, actor: str, public: bool,
          data: dict[str, str | int | float | bool | None] | None) -> TimelineEvent:
    return TimelineEvent(seq=seq, at=at, kind=kind, actor=actor, summary=summary, public=public,
                         data=data or {})


def triage_reasons(detection: LanguageDetection, classification: Classification) -> list[str]:
    reasons: list[str] = []
    if not detection.reliable:
        reasons.append(f"language uncertain ({detection.language}, {detection.confidence:.2f})")
    if not classification.reliable:
        reasons.append(f"domain uncertain ({classification.domain}, {classification.confidence:.2f})")
    return reasons


async def detect(text: str, prior: list[str], country: str | None) -> LanguageDetection:
    req = DetectLanguageRequest(text=text[:MAX_DETECTION_CHARS], prior_languages=prior, country=country)
    try:
        return await workflow.execute_activity(ActivityName.DETECT_LANGUAGE, req,
                                               result_type=LanguageDetection, **nlp_options())
    except ActivityError:
        return LanguageDetection(method="failed")


async def classify(text: str, language: str, translated: str | None) -> Classification:
    req = ClassifyRequest(text=text, language=language, translated_text=translated)
    try:
        return await workflow.execute_activity(ActivityName.CLASSIFY_REQUEST, req,
                                               result_type=Classification, **nlp_options())
    except ActivityError:
        return Classification(layer="failed")


async def translate(text: str, source: str, target: str, domain: str | None,
                    industry: str | None) -> TranslationResult:
    if not text.strip() or source == target:
        return TranslationResult(state=TranslationState.NOT_NEEDED, text=text, source=source, target=target)
    if source == "und":
        return TranslationResult(state=TranslationState.UNAVAILABLE, source=source, target=target,
                                 detail="source language undetermined")
    req = TranslateRequest(text=text, source=source, target=target, domain=domain, industry=industry)
    try:
        return await workflow.execute_activity(ActivityName.TRANSLATE_TEXT, req,
                                               result_type=TranslationResult, **nlp_options())
    except ActivityError as exc:
        return TranslationResult(state=TranslationState.FAILED, source=source, target=target,
                                 detail=f"translation failed: {exc.cause or exc}")


def apply_translation(message: TicketMessage, result: TranslationResult) -> None:
    message.translation_state = result.state
    message.translation_language = result.target
    message.translated_text = result.text if result.state in (
        TranslationState.TRANSLATED, TranslationState.NOT_NEEDED) else None
    message.engine = result.engine
    message.model_id = result.model_id
    message.glossary_version = result.glossary_version
    message.applied_terms = result.applied_terms
    if result.state not in (TranslationState.TRANSLATED, TranslationState.NOT_NEEDED):
        message.delivery_detail = result.detail


def apply_approved_text(message: TicketMessage, text: str, language: str) -> None:
    message.translated_text = text
    message.translation_language = language
    message.translation_state = TranslationState.NOT_NEEDED
    message.engine = "approved"


def mark_not_needed(message: TicketMessage) -> None:
    message.translation_state = TranslationState.NOT_NEEDED


def needs_retry_state(state: TranslationState) -> bool:
    return state in (TranslationState.UNAVAILABLE, TranslationState.FAILED)


def needs_retry(result: TranslationResult) -> bool:
    # An undetermined source will not improve by waiting; a missing or failing model may.
    return needs_retry_state(result.state) and result.source != "und"


async def project(state: TicketState, messages: list[TicketMessage], events: list[TimelineEvent]) -> None:
    # The header carries what the projection stores; the SLA policy, routing, collaboration and
    # CSAT state stay in the workflow (they were a quarter of each write's payload).
    header = state.model_copy(update={"messages": [], "timeline": [], "sla_policy": None,
                                      "routing": RoutingState(), "collaboration": CollaborationBoard(),
                                      "csat": CsatState()})
    req = RecordTicketRequest(state=header, messages=messages, events=events, version=len(state.timeline))
    await workflow.execute_activity(ActivityName.RECORD_TICKET, req, **store_options())


async def notify(ticket_id: str, kind: str, recipients: list[str], summary: str,
                 severity: str = "info") -> None:
    req = NotifyRequest(ticket_id=ticket_id, kind=kind, recipients=recipients, summary=summary,
                        severity=severity)
    try:
        await workflow.execute_activity(ActivityName.NOTIFY, req, **notify_options())
    except ActivityError:
        workflow.logger.warning("notification %s for %s failed", kind, ticket_id)


async def send_reply(state: TicketState, message: TicketMessage) -> SendReplyResult:
    thread = [m.external_message_id for m in state.messages
              if m.external_message_id and not m.external_message_id.startswith("req:")]
    req = SendReplyRequest(
        ticket_id=state.ticket_id, seq=message.seq, channel=state.channel, customer=state.customer,
        subject=state.subject, text=message.translated_text or "", language=message.translation_language,
        original_text=message.original_text, in_reply_to=thread[-1] if thread else None, references=thread,
    )
    try:
        return await workflow.execute_activity(ActivityName.SEND_REPLY, req, result_type=SendReplyResult,
                                               **send_options())
    except ActivityError as exc:
        return SendReplyResult(state=SendState.FAILED, detail=str(exc.cause or exc))
