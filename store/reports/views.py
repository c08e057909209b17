"""Report rows: flat pydantic models, so every table exports to CSV column for column.

Durations are seconds; rates are fractions 0..1; None where the denominator is zero.
"""

from pydantic import BaseModel


class LanguageReportRow(BaseModel):
    language: str
    tickets: int
    resolved: int
    avg_handling_s: float | None = None
    median_handling_s: float | None = None
    avg_first_response_s: float | None = None
    median_first_response_s: float | None = None
    avg_resolution_s: float | None = None
    median_resolution_s: float | None = None
    breach_rate_pending_assignment: float | None = None
    breach_rate_processing: float | None = None
    breach_rate_pending_collaboration: float | None = None
    breach_rate_pending_reply: float | None = None
    breach_rate_resolution: float | None = None
    csat_avg: float | None = None
    csat_count: int = 0
    reopen_rate: float | None = None
    repeat_rate: float | None = None
    machine_translated_share: float | None = None  # of messages
    machine_translated_ticket_share: float | None = None  # of tickets
    post_edit_rate: float | None = None
    post_edited_replies: int = 0


class PeopleReportRow(BaseModel):
    """One agent or one team (`key`); tickets count for the agent/team holding them at rollup time."""

    key: str
    tickets: int
    resolved: int
    handled_per_day: float | None = None
    avg_handling_s: float | None = None
    csat_avg: float | None = None
    csat_count: int = 0
    breach_rate: float | None = None
    first_assignment_accuracy: float | None = None


class HandlingByLanguageRow(BaseModel):
    key: str  # agent or team
    language: str
    tickets: int
    avg_handling_s: float | None = None


class DistributionRow(BaseModel):
    group: str  # a request domain or an industry
    language: str
    tickets: int
    share_of_group: float  # of the group's tickets, how many are in this language
    share_of_language: float  # of the language's tickets, how many are in this group


class RecurringIssueRow(BaseModel):
    domain: str
    concept: str  # a glossary term in the internal language, the same whatever the customer wrote in
    tickets: int
    languages: str  # "de:3, es:2"
    first_day: str
    last_day: str
