"""Customer satisfaction (CSAT): what crosses the Temporal boundary for surveys and answers.

One survey per resolution round (`round` = the ticket's `reopen_count` when it was resolved): a
reopened and re-resolved ticket can be rated again, the same round only once.
"""

from datetime import datetime
from typing import Final

from pydantic import BaseModel, Field

from domain.csat_state import CsatAnswer, CsatState
from domain.ticket import Customer

SUBMIT_CSAT_UPDATE: Final = "submit_csat"
CSAT_PATCH: Final = "csat-survey-v1"
MAX_COMMENT_CHARS: Final = 2000
MIN_SCORE: Final = 1
MAX_SCORE: Final = 5


class CsatActivity:
    SEND_SURVEY: Final = "send_csat_survey"
    RECORD: Final = "record_csat"


class CsatSubmission(BaseModel):
    """Input of the `submit_csat` update (sent by the customer web app)."""

    score: int
    round: int = 0
    comment: str = ""
    source: str = "web"  # "web" (survey link or status page), "api"


class CsatSurveyRequest(BaseModel):
    ticket_id: str
    round: int
    customer: Customer
    language: str  # the ticket's (customer's) language
    subject: str = ""
    channel: str = "email"
    expires_at: datetime  # the survey window ends when the workflow does


class CsatSurveyResult(BaseModel):
    state: str  # "sent" | "recorded" (no e-mail: offered on the status page only) | "failed"
    language: str = ""  # the language the survey went out in (fallback: en)
    detail: str = ""


class RecordCsatRequest(BaseModel):
    ticket_id: str
    round: int
    score: int
    comment: str = ""
    comment_language: str = ""
    comment_translated: str | None = None
    language: str = ""
    agent_id: str | None = None
    team: str | None = None
    submitted_at: datetime


class RecordCsatResult(BaseModel):
    low_score: bool = False  # at or below LINGODESK_CSAT_LOW_SCORE: the workflow alerts the supervisor
    recipients: list[str] = Field(default_factory=list)


__all__ = [
    "CsatAnswer",
    "CsatState",
    "CsatSubmission",
    "CsatSurveyRequest",
    "CsatSurveyResult",
    "RecordCsatRequest",
    "RecordCsatResult",
]
