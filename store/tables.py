"""SQLAlchemy 2.0 typed tables. The workflow owns ticket state; these rows are its projection."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: DateTime(timezone=True)}


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
    )


class MessageRow(Base):
    __tablename__ = "messages"

    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_id", ondelete="CASCADE"), primary_key=True)
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


class TimelineEventRow(Base):
    __tablename__ = "timeline_events"

    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_id", ondelete="CASCADE"), primary_key=True)
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
