"""erasure

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 09:12:40.118204

A resident's personal data can be erased on request, and closed referrals are anonymised when the retention period
ends (services/erasure.py, services/retention.py). The rows stay, without what identifies anyone, so the insights
still count them: these columns say when that happened (and who asked, and why, for an erasure on request).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("erased_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("erasure_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False, server_default="")
        )
        batch_op.create_foreign_key(batch_op.f("fk_resident_erased_by_id_user"), "user", ["erased_by_id"], ["id"])

    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")

    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_resident_erased_by_id_user"), type_="foreignkey")
        batch_op.drop_column("erasure_reason")
        batch_op.drop_column("erased_by_id")
        batch_op.drop_column("erased_at")
