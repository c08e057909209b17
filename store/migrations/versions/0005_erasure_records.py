"""erasure_records: one row per GDPR/PIPL customer erasure (the e-mail only as a SHA-256).

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erasure_records",
        sa.Column("erasure_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email_sha256", sa.String(length=64), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_by", sa.String(length=64), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.Column("rows_deleted", sa.Integer(), nullable=False),
        sa.Column("files_deleted", sa.Integer(), nullable=False),
        sa.Column("workflows_deleted", sa.Integer(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("erasure_id"),
    )
    op.create_index("ix_erasure_records_email_sha256", "erasure_records", ["email_sha256"])
    op.create_index("ix_erasure_records_erased_at", "erasure_records", ["erased_at"])


def downgrade() -> None:
    op.drop_table("erasure_records")
