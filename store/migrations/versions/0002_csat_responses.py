"""csat_responses: one customer-satisfaction answer per ticket resolution.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "csat_responses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.String(length=128), nullable=False),
        sa.Column("resolution_round", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("comment_language", sa.String(length=16), nullable=False),
        sa.Column("comment_translated", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("agent_id", sa.String(length=64), nullable=True),
        sa.Column("team", sa.String(length=64), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.ticket_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_csat_responses_ticket_id", "csat_responses", ["ticket_id"])
    op.create_index("ix_csat_responses_language", "csat_responses", ["language"])
    op.create_index("ix_csat_responses_agent_id", "csat_responses", ["agent_id"])
    op.create_index("ix_csat_responses_submitted_at", "csat_responses", ["submitted_at"])
    op.create_index("uq_csat_ticket_round", "csat_responses", ["ticket_id", "resolution_round"], unique=True)


def downgrade() -> None:
    op.drop_table("csat_responses")
