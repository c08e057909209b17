"""collaboration_mails: e-mails sent to departments about collaboration tasks (idempotent sending).

Revision ID: 0007
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "collaboration_mails",
        sa.Column("message_id", sa.String(length=512), nullable=False),
        sa.Column("task_id", sa.String(length=160), nullable=False),
        sa.Column("ticket_id", sa.String(length=128), nullable=False),
        sa.Column("notification_id", sa.String(length=256), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("message_id"),
    )
    op.create_index("ix_collaboration_mails_task_id", "collaboration_mails", ["task_id"])
    op.create_index("ix_collaboration_mails_ticket_id", "collaboration_mails", ["ticket_id"])
    op.create_index("ix_collaboration_mails_state", "collaboration_mails", ["state"])
    op.create_index("ix_collaboration_mails_created_at", "collaboration_mails", ["created_at"])


def downgrade() -> None:
    op.drop_table("collaboration_mails")
