"""CSAT on the ticket: the survey after resolution and the customer's answer (`submit_csat`).

Durable design: the ticket workflow stays open for `close_grace_s` (default 7 days) after it is
resolved, so it owns the whole survey round. The survey link expires when the workflow ends, so
an answer always reaches a running workflow (the web app reports "survey closed" for the rare
answer that races the end). Called from TicketWorkflow's main loop, behind the
`csat-survey-v1` patch (workflows/patches.py) so histories from before CSAT replay unchanged.
Deterministic: e-mail, translation and SQL happen in activities.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain.csat import (
        CSAT_PATCH,
        MAX_COMMENT_CHARS,
        MAX_SCORE,
        MIN_SCORE,
        CsatActivity,
        CsatAnswer,
        CsatSubmission,
        CsatSurveyRequest,
        CsatSurveyResult,
        RecordCsatRequest,
        RecordCsatResult,
    )
    from domain.nlp import TranslationState
    from domain.sla import SlaPolicy
    from domain.status import TicketStatus
    from domain.ticket import TicketState
    from workflows import ticket_steps as steps
    from workflows.activity_options import store_options

if TYPE_CHECKING:
    from workflows.ticket import TicketWorkflow

SURVEY_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=5),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=5),
    maximum_attempts=5,
    non_retryable_error_types=["PermanentDeliveryFailure", "BadInput"],
)


def survey_due(s: TicketState) -> bool:
    return (
        s.status is TicketStatus.CLOSED
        and s.closed_at is not None
        and s.reopen_count not in s.csat.surveyed_rounds
    )


def survey_window_end(s: TicketState) -> datetime:
    assert s.closed_at is not None
    return s.closed_at + timedelta(seconds=(s.sla_policy or SlaPolicy()).close_grace_s)


def check_submission(s: TicketState, req: CsatSubmission) -> str | None:
    """Why the answer is refused (validator), or None."""
    if not MIN_SCORE <= req.score <= MAX_SCORE:
        return f"score must be between {MIN_SCORE} and {MAX_SCORE}"
    if len(req.comment) > MAX_COMMENT_CHARS:
        return f"comment longer than {MAX_COMMENT_CHARS} characters"
    if s.status is not TicketStatus.CLOSED:
        return "the ticket is not resolved"
    if req.round != s.reopen_count:
        return "this survey is not for the current resolution of the ticket"
    if s.csat.answer_for(req.round) is not None:
        return "this resolution was already rated"
    return None


def unprocessed(s: TicketState) -> bool:
    return any(not a.recorded for a in s.csat.answers)


def accept(wf: "TicketWorkflow", req: CsatSubmission) -> CsatAnswer:
    """The update handler's part: record the answer in state; the main loop does the I/O."""
    s = wf.state
    answer = CsatAnswer(
        round=req.round, score=req.score, comment=req.comment.strip(), submitted_at=workflow.now()
    )
    s.csat.answers.append(answer)
    wf._event(
        "csat",
        f"Customer rated {req.score}/{MAX_SCORE}",
        actor="customer",
        data={"score": req.score, "round": req.round, "source": req.source},
    )
    wf._wake = True
    return answer


async def send_survey_if_due(wf: "TicketWorkflow") -> None:
    s = wf.state
    if not survey_due(s) or not wf.patches.patched(CSAT_PATCH):
        return
    s.csat.surveyed_rounds.append(s.reopen_count)
    req = CsatSurveyRequest(
        ticket_id=s.ticket_id,
        round=s.reopen_count,
        customer=s.customer,
        language=s.language,
        subject=s.subject,
        channel=str(s.channel),
        expires_at=survey_window_end(s),
    )
    try:
        result = await workflow.execute_activity(
            CsatActivity.SEND_SURVEY,
            req,
            result_type=CsatSurveyResult,
            start_to_close_timeout=timedelta(minutes=1),
            retry_policy=SURVEY_RETRY,
        )
    except ActivityError as exc:
        result = CsatSurveyResult(state="failed", detail=str(exc.cause or exc))
    if result.state == "failed":
        wf._event(
            "csat_survey_failed", f"Satisfaction survey not sent: {result.detail}", data={"round": req.round}
        )
        return
    wf._event(
        "csat_survey",
        f"Satisfaction survey {result.state} in {result.language or s.language}",
        data={"round": req.round, "state": result.state, "language": result.language},
    )


async def process_answers(wf: "TicketWorkflow") -> None:
    """Translate each new comment for the agent, record it in SQL, alert on a low score."""
    s = wf.state
    for answer in s.csat.answers:
        if answer.recorded:
            continue
        if answer.comment:
            detection = await steps.detect(answer.comment, [s.language], s.customer.country)
            answer.comment_language = detection.language if detection.reliable else s.language
            result = await steps.translate(
                answer.comment,
                answer.comment_language,
                s.internal_language,
                s.classification.domain,
                s.classification.industry,
            )
            answer.translation_state = result.state
            if result.state in (TranslationState.TRANSLATED, TranslationState.NOT_NEEDED):
                answer.comment_translated = result.text
        else:
            answer.translation_state = TranslationState.NOT_NEEDED
        req = RecordCsatRequest(
            ticket_id=s.ticket_id,
            round=answer.round,
            score=answer.score,
            comment=answer.comment,
            comment_language=answer.comment_language,
            comment_translated=answer.comment_translated,
            language=s.language,
            agent_id=s.assignee,
            team=s.team,
            submitted_at=answer.submitted_at or workflow.now(),
        )
        recorded = await workflow.execute_activity(
            CsatActivity.RECORD, req, result_type=RecordCsatResult, **store_options()
        )
        answer.recorded = True
        summary = f"CSAT {answer.score}/{MAX_SCORE}"
        if answer.comment:
            shown = answer.comment_translated if answer.comment_translated is not None else answer.comment
            summary += f": {shown}"
        wf._event(
            "csat_comment" if answer.comment else "csat_recorded",
            summary[:1000],
            data={
                "score": answer.score,
                "round": answer.round,
                "language": answer.comment_language,
                "translation": str(answer.translation_state),
            },
        )
        if recorded.low_score:
            await steps.notify(
                s.ticket_id,
                "csat_low",
                recorded.recipients or ["supervisor"],
                f"Low satisfaction {answer.score}/{MAX_SCORE} on ticket {s.ticket_id}"
                + (f" ({s.assignee})" if s.assignee else "")
                + (f": {answer.comment_translated or answer.comment}"[:300] if answer.comment else ""),
                "warning",
            )
