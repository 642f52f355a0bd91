"""referral list indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 16:00:00.000000

The inbox and "My referrals" read a page of ids ordered by when each referral last changed; these indexes hold
every column that query reads, so it never visits the table (bench/RESULTS.md, issue 4).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(
            "ix_referral_organization_id_status_updated_at",
            ["organization_id", "status", "updated_at", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_referral_referrer_id_status_updated_at",
            ["referrer_id", "status", "updated_at", "created_at", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_referrer_id_status_updated_at")
        batch_op.drop_index("ix_referral_organization_id_status_updated_at")
