"""search indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 14:29:47.657187
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accessibility", schema=None) as batch_op:
        batch_op.create_index("ix_accessibility_location_id_feature", ["location_id", "feature"], unique=False)

    with op.batch_alter_table("attribute", schema=None) as batch_op:
        batch_op.create_index("ix_attribute_link_id_taxonomy_term_id", ["link_id", "taxonomy_term_id"], unique=False)

    with op.batch_alter_table("language", schema=None) as batch_op:
        batch_op.create_index("ix_language_service_id_code", ["service_id", "code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("language", schema=None) as batch_op:
        batch_op.drop_index("ix_language_service_id_code")

    with op.batch_alter_table("attribute", schema=None) as batch_op:
        batch_op.drop_index("ix_attribute_link_id_taxonomy_term_id")

    with op.batch_alter_table("accessibility", schema=None) as batch_op:
        batch_op.drop_index("ix_accessibility_location_id_feature")
