"""CSAT and hot-issue configuration from the environment (never from activity inputs)."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CsatSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    # Scores at or below this alert the supervisor (console alert list + notification sinks).
    low_score: int = Field(2, alias="LINGODESK_CSAT_LOW_SCORE")
    # Who gets the low-score alert besides the ticket's agent ("supervisor" is the console role).
    low_score_recipients: list[str] = Field(
        default_factory=lambda: ["supervisor"], alias="LINGODESK_CSAT_ALERT_RECIPIENTS"
    )
    survey_template: str = Field("csat_survey", alias="LINGODESK_CSAT_TEMPLATE")
    fallback_language: str = Field("en", alias="LINGODESK_CSAT_FALLBACK_LANGUAGE")
    # How long the status page offers the survey after resolution (the e-mail link lasts as long as
    # the ticket workflow: the SLA policy's close_grace_s, 7 days by default).
    status_page_days: int = Field(7, alias="LINGODESK_CSAT_STATUS_PAGE_DAYS")


class HotIssueSettings(BaseSettings):
    """Spike rule: a topic group is hot when, in the last `window_hours`, it has at least
    `min_count` tickets and at least `ratio` times what its baseline rate predicts for a window
    (baseline: the `baseline_days` before the window, floored at `min_expected`)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    window_hours: float = Field(6.0, alias="LINGODESK_HOT_WINDOW_HOURS")
    baseline_days: float = Field(7.0, alias="LINGODESK_HOT_BASELINE_DAYS")
    min_count: int = Field(5, alias="LINGODESK_HOT_MIN_COUNT")
    ratio: float = Field(3.0, alias="LINGODESK_HOT_RATIO")
    min_expected: float = Field(0.5, alias="LINGODESK_HOT_MIN_EXPECTED")
    # Two hot keys whose ticket sets overlap at least this much (overlap coefficient) are one issue.
    merge_overlap: float = Field(0.6, alias="LINGODESK_HOT_MERGE_OVERLAP")
    # An open alert closes after its group has not been hot for this long; a later spike is new.
    cool_down_hours: float = Field(24.0, alias="LINGODESK_HOT_COOL_DOWN_HOURS")
    recipients: list[str] = Field(default_factory=lambda: ["supervisor"], alias="LINGODESK_HOT_RECIPIENTS")
    scan_every_minutes: int = Field(15, alias="LINGODESK_HOT_SCAN_MINUTES")
    max_tickets: int = Field(50_000, alias="LINGODESK_HOT_MAX_TICKETS")  # safety cap per scan
