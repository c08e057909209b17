"""SQLAlchemy 2.0 typed tables. The workflow owns ticket state; these rows are its projection."""

from datetime import date, datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: DateTime(timezone=True),
    }


# Partial-index predicate (migration 0008): few rows, and implied by the overview's `status IN (open...)`.
OPEN_BREACHED = "sla_breached AND status <> 'closed'"


class TicketRow(Base):
    __tablename__ = "tickets"

    ticket_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    customer_email: Mapped[str] = mapped_column(String(320), default="", index=True)
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_country: Mapped[str | None] = mapped_column(String(8))
    customer_tier: Mapped[str] = mapped_column(String(16), default="standard")
    subject: Mapped[str] = mapped_column(Text, default="")
    subject_translated: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), index=True)
    language_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    language_mixed: Mapped[bool] = mapped_column(Boolean, default=False)
    domain: Mapped[str] = mapped_column(String(32), index=True)
    domain_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    industry: Mapped[str | None] = mapped_column(String(32))
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    needs_triage: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    assignee: Mapped[str | None] = mapped_column(String(64), index=True)
    team: Mapped[str | None] = mapped_column(String(64))
    assignment_count: Mapped[int] = mapped_column(Integer, default=0)
    reassigned: Mapped[bool] = mapped_column(Boolean, default=False)
    sla_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    sla_clocks: Mapped[dict[str, Any]] = mapped_column(default=dict)
    next_deadline: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    workflow_runs: Mapped[int] = mapped_column(Integer, default=1)
    # Number of timeline events the row reflects: a late, older write never overwrites a newer one.
    state_version: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_tickets_status_created", "status", "created_at"),
        Index("ix_tickets_language_created", "language", "created_at"),
        # Found by bench/store_scale_bench.py at a million tickets (migration 0008, docs/scaling.md):
        # the overview's open-ticket aggregates become index-only scans, the SLA-risk "breached"
        # probe and an agent's ticket list stop walking the whole created_at index.
        Index("ix_tickets_status_language", "status", "language"),
        Index("ix_tickets_status_assignee", "status", "assignee"),
        Index("ix_tickets_open_breached_created", "created_at", postgresql_where=sa.text(OPEN_BREACHED),
              sqlite_where=sa.text(OPEN_BREACHED)),
        Index("ix_tickets_assignee_created", "assignee", "created_at"),
    )


class MessageRow(Base):
    __tablename__ = "messages"

    ticket_id: Mapped[str] = mapped_column(
        ForeignKey("tickets.ticket_id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    direction: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(320), default="")
    original_text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="")
    translated_text: Mapped[str | None] = mapped_column(Text)
    translation_language: Mapped[str] = mapped_column(String(16), default="")
    translation_state: Mapped[str] = mapped_column(String(16))
    engine: Mapped[str] = mapped_column(String(64), default="")
    model_id: Mapped[str] = mapped_column(String(128), default="")
    glossary_version: Mapped[str] = mapped_column(String(64), default="")
    applied_terms: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime | None]
    external_message_id: Mapped[str | None] = mapped_column(String(512), index=True)
    delivery: Mapped[str] = mapped_column(String(16), default="none")
    delivery_detail: Mapped[str] = mapped_column(Text, default="")
    template: Mapped[str | None] = mapped_column(String(64))
    # The machine translation an agent started from when they sent their own customer-language text
    # (reports: post-edit rate). None when what was sent is the machine output or needed none.
    machine_text: Mapped[str | None] = mapped_column(Text)


class TimelineEventRow(Base):
    __tablename__ = "timeline_events"

    ticket_id: Mapped[str] = mapped_column(
        ForeignKey("tickets.ticket_id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    actor: Mapped[str] = mapped_column(String(128), default="system")
    summary: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    public: Mapped[bool] = mapped_column(Boolean, default=False)


class TeamRow(Base):
    __tablename__ = "teams"

    team_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    languages: Mapped[list[Any]] = mapped_column(default=list)
    domains: Mapped[list[Any]] = mapped_column(default=list)
    supervisor: Mapped[str | None] = mapped_column(String(64))
    manager: Mapped[str | None] = mapped_column(String(64))
    calendar: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AgentRow(Base):
    __tablename__ = "agents"

    agent_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), default="")
    role: Mapped[str] = mapped_column(String(32), default="agent")
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.team_id"))
    # language code -> proficiency 1..5
    languages: Mapped[dict[str, Any]] = mapped_column(default=dict)
    domains: Mapped[list[Any]] = mapped_column(default=list)
    industries: Mapped[list[Any]] = mapped_column(default=list)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    # weekday (0=Mon) -> list of ["HH:MM", "HH:MM"] shifts
    working_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    capacity: Mapped[int] = mapped_column(Integer, default=10)
    presence: Mapped[str] = mapped_column(String(16), default="offline")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DepartmentRow(Base):
    __tablename__ = "departments"

    department_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    head: Mapped[str | None] = mapped_column(String(64))
    manager: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(320), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    calendar: Mapped[dict[str, Any]] = mapped_column(default=dict)


class NotificationRow(Base):
    __tablename__ = "notifications"

    # "<workflow run id>:<activity id>": a retried notify activity writes one row.
    notification_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    recipients: Mapped[list[Any]] = mapped_column(default=list)
    summary: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16), default="info")
    created_at: Mapped[datetime] = mapped_column(index=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[datetime | None]


class OutboundRow(Base):
    """One row per reply leaving Lingodesk; written before sending so a retry never sends twice."""

    __tablename__ = "outbound_messages"

    ticket_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(320), default="")
    message_id: Mapped[str] = mapped_column(String(512), unique=True)
    state: Mapped[str] = mapped_column(String(16))  # pending | sent | recorded | failed
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


# --- Console: sign-in, sessions, audit (issue #9) -------------------------------------------


class UserRow(Base):
    """A console sign-in. Only scrypt hashes are stored (store/users.py); roles gate pages and actions."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(32))  # agent | department | supervisor | admin
    agent_id: Mapped[str | None] = mapped_column(String(64))  # the agents row this person works as
    department_id: Mapped[str | None] = mapped_column(String(64))  # for department members
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ConsoleSessionRow(Base):
    """A signed-in console session; only the SHA-256 of the bearer token is kept."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    last_seen_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class AuditLogRow(Base):
    """Who did or viewed what, when, on which ticket. Append-only."""

    __tablename__ = "audit_log"

    audit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(32), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    ticket_id: Mapped[str | None] = mapped_column(String(128), index=True)
    outcome: Mapped[str] = mapped_column(String(16), default="ok")  # ok | rejected | failed
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


# Keyset pagination of the console's ticket list seeks on (sort key, ticket_id); the ticket_id
# tie-breaker must be in the index or deep pages degrade to scans (store/queries).
Index("ix_tickets_created_id", TicketRow.created_at, TicketRow.ticket_id)
Index("ix_tickets_updated_id", TicketRow.updated_at, TicketRow.ticket_id)
Index("ix_tickets_deadline_id", TicketRow.next_deadline, TicketRow.ticket_id)
Index("ix_tickets_assignee_deadline", TicketRow.assignee, TicketRow.next_deadline)
Index("ix_tickets_team_created", TicketRow.team, TicketRow.created_at)


# --- E-mail channel: inbound mail, rejected mail, IMAP cursors (issue #8, store/email_threads.py) --


class InboundEmailRow(Base):
    """One row per inbound e-mail, keyed by Message-ID: the same mail delivered twice is handled once."""

    __tablename__ = "inbound_emails"

    message_id: Mapped[str] = mapped_column(String(512), primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(16))  # message | auto_reply | bounce
    action: Mapped[str] = mapped_column(String(16), default="")  # new_ticket | follow_up | ignored
    state: Mapped[str] = mapped_column(String(16), index=True)  # pending | delivered | ignored
    ticket_id: Mapped[str | None] = mapped_column(String(128), index=True)
    sender: Mapped[str] = mapped_column(String(320), default="")
    raw_sha256: Mapped[str] = mapped_column(String(64), default="")
    raw_path: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str] = mapped_column(Text, default="")  # bounce status, skipped attachments, ...
    received_at: Mapped[datetime] = mapped_column(index=True)
    processed_at: Mapped[datetime | None]


class RejectedEmailRow(Base):
    """Mail that could not become a ticket (oversized, malformed); the raw bytes stay on disk."""

    __tablename__ = "rejected_emails"

    raw_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(64), default="")
    message_id: Mapped[str | None] = mapped_column(String(512))
    reason: Mapped[str] = mapped_column(Text)
    raw_path: Mapped[str] = mapped_column(Text, default="")  # "" when the mail was left on the server
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(index=True)


class MailboxCursorRow(Base):
    """The last IMAP UID handled per mailbox; a new UIDVALIDITY restarts it (dedup keeps that safe)."""

    __tablename__ = "mailbox_cursors"

    mailbox: Mapped[str] = mapped_column(String(64), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger, default=0)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime]


# --- Cross-department collaboration tasks (issue #7) ----------------------------------------


class CollaborationTaskRow(Base):
    """Projection of one CollaborationWorkflow (store/collaboration.py reads it for department views)."""

    __tablename__ = "collaboration_tasks"

    task_id: Mapped[str] = mapped_column(String(160), primary_key=True)  # ticket-<id>-task-<n>
    ticket_id: Mapped[str] = mapped_column(String(128), index=True)
    task_no: Mapped[int] = mapped_column(Integer)
    department: Mapped[str] = mapped_column(String(64), index=True)
    department_name: Mapped[str] = mapped_column(String(200), default="")
    assignee: Mapped[str] = mapped_column(String(64), index=True)
    head: Mapped[str | None] = mapped_column(String(64))
    manager: Mapped[str | None] = mapped_column(String(64))
    requested_by: Mapped[str] = mapped_column(String(64), default="")
    agent: Mapped[str | None] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | done | cancelled
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deadline: Mapped[datetime] = mapped_column(index=True)
    business_time: Mapped[bool] = mapped_column(Boolean, default=False)
    pause_customer_sla: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(64))
    close_reason: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    misses: Mapped[int] = mapped_column(Integer, default=0)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    next_reminder_at: Mapped[datetime | None]
    # Number of task events the row reflects: a late, older write never overwrites a newer one.
    state_version: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_collaboration_tasks_dept_status_deadline", "department", "status", "deadline"),
    )


class CollaborationEventRow(Base):
    """A task's own history (opened, reminders, comments, result), keyed (task_id, seq)."""

    __tablename__ = "collaboration_events"

    task_id: Mapped[str] = mapped_column(
        ForeignKey("collaboration_tasks.task_id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(128), default="system")
    summary: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


# --- Routing and SLA: business calendars, policy versions, round-robin state (issue #6) -------


class BusinessCalendarRow(Base):
    """A named business calendar (teams may reference one by id from `TeamRow.calendar`)."""

    __tablename__ = "business_calendars"

    calendar_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # weekday (0=Mon) -> list of ["HH:MM", "HH:MM"] shifts
    hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    country: Mapped[str | None] = mapped_column(String(8))
    subdivision: Mapped[str | None] = mapped_column(String(16))
    closures: Mapped[list[Any]] = mapped_column(default=list)  # ISO dates
    working_holidays: Mapped[list[Any]] = mapped_column(default=list)  # ISO dates


class CompanyClosureRow(Base):
    """Days the company is closed (e.g. Spring Festival), for every calendar or one (`calendar_id`)."""

    __tablename__ = "company_closures"

    closure_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    start_date: Mapped[str] = mapped_column(String(10))  # ISO date, inclusive
    end_date: Mapped[str] = mapped_column(String(10))  # ISO date, inclusive
    calendar_id: Mapped[str | None] = mapped_column(String(64), index=True)  # None: all calendars
    reason: Mapped[str] = mapped_column(String(200), default="")


class SlaPolicyRow(Base):
    """One version of an SLA policy. Versions are never edited: a change publishes version + 1."""

    __tablename__ = "sla_policies"

    policy_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # Which tickets it applies to; None matches any. The most specific active policy wins.
    priority: Mapped[str | None] = mapped_column(String(16))
    tier: Mapped[str | None] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(16))
    policy: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the SlaPolicy JSON
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class RoutingStateRow(Base):
    """When the router last picked each agent: ties between equal scores go round-robin."""

    __tablename__ = "routing_state"

    agent_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_assigned_at: Mapped[datetime | None]
    assigned_total: Mapped[int] = mapped_column(Integer, default=0)


class TemplateVariantRow(Base):
    """One language variant of a reply template (templates/): a machine draft or approved text.

    Approved rows are reused as they are (no MT at send time) while `source_hash` still matches
    the template's Chinese text; after the source changes they count as stale.
    """

    __tablename__ = "template_variants"

    template: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # draft | approved
    source_hash: Mapped[str] = mapped_column(String(16))
    engine: Mapped[str] = mapped_column(String(64), default="")
    model_id: Mapped[str] = mapped_column(String(128), default="")
    glossary_version: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(Integer, default=1)


class CsatResponseRow(Base):
    """One customer-satisfaction answer per resolution of a ticket (a reopened ticket can be rated again)."""

    __tablename__ = "csat_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_id", ondelete="CASCADE"), index=True)
    # Which resolution was rated (0 for the first, reopen_count at the time of the survey otherwise).
    resolution_round: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    comment_language: Mapped[str] = mapped_column(String(16), default="")
    comment_translated: Mapped[str | None] = mapped_column(Text)
    # Copied from the ticket at answer time so reports group without joins.
    language: Mapped[str] = mapped_column(String(16), index=True)
    agent_id: Mapped[str | None] = mapped_column(String(64), index=True)
    team: Mapped[str | None] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(index=True)

    __table_args__ = (Index("uq_csat_ticket_round", "ticket_id", "resolution_round", unique=True),)


# --- Reports: per-ticket and daily facts maintained by the rollup activity (issue #10, store/reports/) --


class ReportTicketFactRow(Base):
    """Each ticket's report figures, derived once from its row, events, messages and CSAT answers."""

    __tablename__ = "report_ticket_facts"

    ticket_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    day: Mapped[date] = mapped_column(index=True)  # UTC day of tickets.created_at
    created_at: Mapped[datetime]
    language: Mapped[str] = mapped_column(String(16))
    team: Mapped[str] = mapped_column(String(64), default="")  # "" when none: facts never hold NULL keys
    channel: Mapped[str] = mapped_column(String(16))
    agent: Mapped[str] = mapped_column(String(64), default="")
    domain: Mapped[str] = mapped_column(String(32))
    industry: Mapped[str] = mapped_column(String(32), default="")
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    handling_s: Mapped[float | None] = mapped_column(Float)
    first_response_s: Mapped[float | None] = mapped_column(Float)
    resolution_s: Mapped[float | None] = mapped_column(Float)
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)
    assigned: Mapped[bool] = mapped_column(Boolean, default=False)
    reassigned: Mapped[bool] = mapped_column(Boolean, default=False)
    # Seconds since the same customer's previous ticket in the same domain (None: no earlier one).
    repeat_gap_s: Mapped[float | None] = mapped_column(Float)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    machine_translated: Mapped[int] = mapped_column(Integer, default=0)
    post_edits: Mapped[int] = mapped_column(Integer, default=0)
    post_edit_sum: Mapped[float] = mapped_column(Float, default=0.0)
    # Per status node: 1 when the ticket entered it / breached that node's SLA (store/reports/nodes.py).
    reached_pending_assignment: Mapped[int] = mapped_column(Integer, default=0)
    breach_pending_assignment: Mapped[int] = mapped_column(Integer, default=0)
    reached_processing: Mapped[int] = mapped_column(Integer, default=0)
    breach_processing: Mapped[int] = mapped_column(Integer, default=0)
    reached_pending_collaboration: Mapped[int] = mapped_column(Integer, default=0)
    breach_pending_collaboration: Mapped[int] = mapped_column(Integer, default=0)
    reached_pending_reply: Mapped[int] = mapped_column(Integer, default=0)
    breach_pending_reply: Mapped[int] = mapped_column(Integer, default=0)
    reached_resolution: Mapped[int] = mapped_column(Integer, default=0)
    breach_resolution: Mapped[int] = mapped_column(Integer, default=0)
    breached_any: Mapped[int] = mapped_column(Integer, default=0)
    csat_sum: Mapped[int] = mapped_column(Integer, default=0)
    csat_count: Mapped[int] = mapped_column(Integer, default=0)
    concepts: Mapped[list[Any]] = mapped_column(default=list)  # internal-language glossary terms
    computed_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_report_ticket_facts_language_day", "language", "day"),
        Index("ix_report_ticket_facts_agent_day", "agent", "day"),
        Index("ix_report_ticket_facts_team_day", "team", "day"),
    )


class ReportDailyFactRow(Base):
    """Sums of ticket facts per created day and dimension set: what report queries read at 1M tickets."""

    __tablename__ = "report_daily_facts"

    day: Mapped[date] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    team: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    agent: Mapped[str] = mapped_column(String(64), primary_key=True)
    domain: Mapped[str] = mapped_column(String(32), primary_key=True)
    industry: Mapped[str] = mapped_column(String(32), primary_key=True)
    tickets: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    handling_count: Mapped[int] = mapped_column(Integer, default=0)
    handling_sum_s: Mapped[float] = mapped_column(Float, default=0.0)
    first_response_count: Mapped[int] = mapped_column(Integer, default=0)
    first_response_sum_s: Mapped[float] = mapped_column(Float, default=0.0)
    resolution_count: Mapped[int] = mapped_column(Integer, default=0)
    resolution_sum_s: Mapped[float] = mapped_column(Float, default=0.0)
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    assigned: Mapped[int] = mapped_column(Integer, default=0)
    reassigned: Mapped[int] = mapped_column(Integer, default=0)
    repeat_default: Mapped[int] = mapped_column(Integer, default=0)  # repeats within REPEAT_DAYS_DEFAULT
    messages: Mapped[int] = mapped_column(Integer, default=0)
    machine_translated: Mapped[int] = mapped_column(Integer, default=0)
    machine_translated_tickets: Mapped[int] = mapped_column(Integer, default=0)  # with >= 1 MT message
    post_edits: Mapped[int] = mapped_column(Integer, default=0)
    post_edit_sum: Mapped[float] = mapped_column(Float, default=0.0)
    # Per status node: tickets that entered it / breached its SLA there.
    reached_pending_assignment: Mapped[int] = mapped_column(Integer, default=0)
    breach_pending_assignment: Mapped[int] = mapped_column(Integer, default=0)
    reached_processing: Mapped[int] = mapped_column(Integer, default=0)
    breach_processing: Mapped[int] = mapped_column(Integer, default=0)
    reached_pending_collaboration: Mapped[int] = mapped_column(Integer, default=0)
    breach_pending_collaboration: Mapped[int] = mapped_column(Integer, default=0)
    reached_pending_reply: Mapped[int] = mapped_column(Integer, default=0)
    breach_pending_reply: Mapped[int] = mapped_column(Integer, default=0)
    reached_resolution: Mapped[int] = mapped_column(Integer, default=0)
    breach_resolution: Mapped[int] = mapped_column(Integer, default=0)
    breached_any: Mapped[int] = mapped_column(Integer, default=0)
    csat_sum: Mapped[int] = mapped_column(Integer, default=0)
    csat_count: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_report_daily_facts_language_day", "language", "day"),
        Index("ix_report_daily_facts_agent_day", "agent", "day"),
        Index("ix_report_daily_facts_team_day", "team", "day"),
    )


class ReportWatermarkRow(Base):
    """How far the facts rollup has read (tickets.updated_at / csat submitted_at), per rollup name."""

    __tablename__ = "report_watermarks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    watermark: Mapped[datetime]
    updated_at: Mapped[datetime]


# --- GDPR/PIPL erasure records (issue #11, store/gdpr.py) -------------------------------------


class ErasureRecordRow(Base):
    """Proof that a customer's data was erased: who, when, how much; the e-mail only as a SHA-256."""

    __tablename__ = "erasure_records"

    erasure_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email_sha256: Mapped[str] = mapped_column(String(64), index=True)
    erased_at: Mapped[datetime] = mapped_column(index=True)
    erased_by: Mapped[str] = mapped_column(String(64))
    tickets: Mapped[int] = mapped_column(Integer, default=0)
    rows_deleted: Mapped[int] = mapped_column(Integer, default=0)
    files_deleted: Mapped[int] = mapped_column(Integer, default=0)
    workflows_deleted: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)  # rows per table, workflow outcomes


class HotIssueAlertRow(Base):
    """A cross-language spike of tickets about one thing (one row per open group, updated as it grows)."""

    __tablename__ = "hot_issue_alerts"

    alert_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Topic keys of the group ("model:X200", "concept:electronics/battery"); a later scan whose hot
    # group shares a key with an open alert updates that alert instead of raising another.
    keys: Mapped[list[Any]] = mapped_column(default=list)
    label: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | closed
    ticket_count: Mapped[int] = mapped_column(Integer, default=0)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    window_hours: Mapped[float] = mapped_column(Float, default=0.0)
    expected: Mapped[float] = mapped_column(Float, default=0.0)  # baseline tickets per window
    first_seen_at: Mapped[datetime] = mapped_column(index=True)
    last_hot_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    notified_count: Mapped[int] = mapped_column(Integer, default=0)  # ticket_count when last sent out
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[datetime | None]


class HotIssueTicketRow(Base):
    """The tickets an alert lists."""

    __tablename__ = "hot_issue_tickets"

    alert_id: Mapped[int] = mapped_column(
        ForeignKey("hot_issue_alerts.alert_id", ondelete="CASCADE"), primary_key=True
    )
    ticket_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    language: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime]


class CollaborationMailRow(Base):
    """One e-mail to a department about a collaboration task (opened, reminder, reassigned, ...).

    Written before the mail is sent, keyed by its Message-ID (derived from the notification), so a
    retried notify activity finds `sent` and does not mail the department twice.
    """

    __tablename__ = "collaboration_mails"

    message_id: Mapped[str] = mapped_column(String(512), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(160), index=True)
    ticket_id: Mapped[str] = mapped_column(String(128), index=True)
    notification_id: Mapped[str] = mapped_column(String(256), default="")
    kind: Mapped[str] = mapped_column(String(48), default="")
    recipients: Mapped[list[Any]] = mapped_column(default=list)  # e-mail addresses
    state: Mapped[str] = mapped_column(String(16), index=True)  # sending | sent | failed
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(index=True)
    sent_at: Mapped[datetime | None]
