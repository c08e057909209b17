"""Ticket indexes for the console at a million tickets (bench/store_scale_bench.py, docs/scaling.md).

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: dict[str, list[str]] = {
    "ix_tickets_status_language": ["status", "language"],
    "ix_tickets_status_assignee": ["status", "assignee"],
    "ix_tickets_assignee_created": ["assignee", "created_at"],
}


# Only open tickets with a breached SLA: a few thousand rows among millions, in created_at order.
OPEN_BREACHED = "sla_breached AND status <> 'closed'"


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "tickets", columns, unique=False)
    op.create_index("ix_tickets_open_breached_created", "tickets", ["created_at"], unique=False,
                    postgresql_where=sa.text(OPEN_BREACHED), sqlite_where=sa.text(OPEN_BREACHED))


def downgrade() -> None:
    op.drop_index("ix_tickets_open_breached_created", table_name="tickets")
    for name in INDEXES:
        op.drop_index(name, table_name="tickets")
