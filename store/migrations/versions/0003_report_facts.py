"""report facts: per-ticket and daily facts for the Reports page, plus the rollup watermark;
messages.machine_text for the post-edit rate.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("machine_text", sa.Text(), nullable=True))

    op.create_table(
        "report_ticket_facts",
        sa.Column("ticket_id", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("team", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("agent", sa.String(length=64), nullable=False),
        sa.Column("domain", sa.String(length=32), nullable=False),
        sa.Column("industry", sa.String(length=32), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("handling_s", sa.Float(), nullable=True),
        sa.Column("first_response_s", sa.Float(), nullable=True),
        sa.Column("resolution_s", sa.Float(), nullable=True),
        sa.Column("reopened", sa.Boolean(), nullable=False),
        sa.Column("assigned", sa.Boolean(), nullable=False),
        sa.Column("reassigned", sa.Boolean(), nullable=False),
        sa.Column("repeat_gap_s", sa.Float(), nullable=True),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("machine_translated", sa.Integer(), nullable=False),
        sa.Column("post_edits", sa.Integer(), nullable=False),
        sa.Column("post_edit_sum", sa.Float(), nullable=False),
        sa.Column("reached_pending_assignment", sa.Integer(), nullable=False),
        sa.Column("breach_pending_assignment", sa.Integer(), nullable=False),
        sa.Column("reached_processing", sa.Integer(), nullable=False),
        sa.Column("breach_processing", sa.Integer(), nullable=False),
        sa.Column("reached_pending_collaboration", sa.Integer(), nullable=False),
        sa.Column("breach_pending_collaboration", sa.Integer(), nullable=False),
        sa.Column("reached_pending_reply", sa.Integer(), nullable=False),
        sa.Column("breach_pending_reply", sa.Integer(), nullable=False),
        sa.Column("reached_resolution", sa.Integer(), nullable=False),
        sa.Column("breach_resolution", sa.Integer(), nullable=False),
        sa.Column("breached_any", sa.Integer(), nullable=False),
        sa.Column("csat_sum", sa.Integer(), nullable=False),
        sa.Column("csat_count", sa.Integer(), nullable=False),
        sa.Column("concepts", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id"),
    )
    op.create_index("ix_report_ticket_facts_day", "report_ticket_facts", ["day"])
    op.create_index("ix_report_ticket_facts_language_day", "report_ticket_facts", ["language", "day"])
    op.create_index("ix_report_ticket_facts_agent_day", "report_ticket_facts", ["agent", "day"])
    op.create_index("ix_report_ticket_facts_team_day", "report_ticket_facts", ["team", "day"])

    op.create_table(
        "report_daily_facts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("team", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("agent", sa.String(length=64), nullable=False),
        sa.Column("domain", sa.String(length=32), nullable=False),
        sa.Column("industry", sa.String(length=32), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("handling_count", sa.Integer(), nullable=False),
        sa.Column("handling_sum_s", sa.Float(), nullable=False),
        sa.Column("first_response_count", sa.Integer(), nullable=False),
        sa.Column("first_response_sum_s", sa.Float(), nullable=False),
        sa.Column("resolution_count", sa.Integer(), nullable=False),
        sa.Column("resolution_sum_s", sa.Float(), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.Column("assigned", sa.Integer(), nullable=False),
        sa.Column("reassigned", sa.Integer(), nullable=False),
        sa.Column("repeat_default", sa.Integer(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("machine_translated", sa.Integer(), nullable=False),
        sa.Column("machine_translated_tickets", sa.Integer(), nullable=False),
        sa.Column("post_edits", sa.Integer(), nullable=False),
        sa.Column("post_edit_sum", sa.Float(), nullable=False),
        sa.Column("reached_pending_assignment", sa.Integer(), nullable=False),
        sa.Column("breach_pending_assignment", sa.Integer(), nullable=False),
        sa.Column("reached_processing", sa.Integer(), nullable=False),
        sa.Column("breach_processing", sa.Integer(), nullable=False),
        sa.Column("reached_pending_collaboration", sa.Integer(), nullable=False),
        sa.Column("breach_pending_collaboration", sa.Integer(), nullable=False),
        sa.Column("reached_pending_reply", sa.Integer(), nullable=False),
        sa.Column("breach_pending_reply", sa.Integer(), nullable=False),
        sa.Column("reached_resolution", sa.Integer(), nullable=False),
        sa.Column("breach_resolution", sa.Integer(), nullable=False),
        sa.Column("breached_any", sa.Integer(), nullable=False),
        sa.Column("csat_sum", sa.Integer(), nullable=False),
        sa.Column("csat_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "language", "team", "channel", "agent", "domain", "industry"),
    )
    op.create_index("ix_report_daily_facts_language_day", "report_daily_facts", ["language", "day"])
    op.create_index("ix_report_daily_facts_agent_day", "report_daily_facts", ["agent", "day"])
    op.create_index("ix_report_daily_facts_team_day", "report_daily_facts", ["team", "day"])

    op.create_table(
        "report_watermarks",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("watermark", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("report_watermarks")
    op.drop_table("report_daily_facts")
    op.drop_table("report_ticket_facts")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("machine_text")
