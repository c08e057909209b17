"""The CSAT part of TicketState (kept apart so domain/ticket.py can import it without a cycle)."""

from datetime import datetime

from pydantic import BaseModel, Field

from domain.nlp import TranslationState


class CsatAnswer(BaseModel):
    round: int
    score: int
    comment: str = ""
    comment_language: str = ""
    comment_translated: str | None = None
    translation_state: TranslationState = TranslationState.PENDING
    submitted_at: datetime | None = None
    recorded: bool = False  # written to `csat_responses` (and the low-score alert sent)


class CsatState(BaseModel):
    """Carried in TicketState across continue-as-new."""

    surveyed_rounds: list[int] = Field(default_factory=list)
    answers: list[CsatAnswer] = Field(default_factory=list)

    def answer_for(self, round_: int) -> CsatAnswer | None:
        return next((a for a in self.answers if a.round == round_), None)
