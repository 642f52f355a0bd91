"""directory

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 13:10:57.018594
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE service_fts USING fts5(body, content='service_search', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER service_search_ai AFTER INSERT ON service_search BEGIN "
    "INSERT INTO service_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER service_search_ad AFTER DELETE ON service_search BEGIN "
    "INSERT INTO service_fts(service_fts, rowid, body) VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER service_search_au AFTER UPDATE ON service_search BEGIN "
    "INSERT INTO service_fts(service_fts, rowid, body) VALUES ('delete', old.id, old.body); "
    "INSERT INTO service_fts(rowid, body) VALUES (new.id, new.body); END",
]
POSTGRES_FTS = "CREATE INDEX ix_service_search_body_tsv ON service_search USING gin (to_tsvector('simple', body))"


def upgrade() -> None:
    op.create_table(
        "search_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("terms", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("filters", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("outcode", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("result_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_log")),
    )
    with op.batch_alter_table("search_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_log_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_log_outcode"), ["outcode"], unique=False)

    op.create_table(
        "taxonomy",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("uri", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxonomy")),
    )
    op.create_table(
        "location",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("location_type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("external_identifier", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("external_identifier_type", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_location_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location")),
    )
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_location_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "organization_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_organization_translation_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_translation")),
        sa.UniqueConstraint("organization_id", "locale", name=op.f("uq_organization_translation_organization_id")),
    )
    with op.batch_alter_table("organization_translation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organization_translation_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "taxonomy_term",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("taxonomy_id", sa.Uuid(), nullable=True),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("term_uri", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["taxonomy_term.id"],
            name=op.f("fk_taxonomy_term_parent_id_taxonomy_term"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["taxonomy_id"], ["taxonomy.id"], name=op.f("fk_taxonomy_term_taxonomy_id_taxonomy"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxonomy_term")),
    )
    with op.batch_alter_table("taxonomy_term", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_taxonomy_term_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_taxonomy_term_taxonomy_id"), ["taxonomy_id"], unique=False)

    op.create_table(
        "accessibility",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("feature", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("details", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_accessibility_location_id_location"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accessibility")),
    )
    with op.batch_alter_table("accessibility", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accessibility_feature"), ["feature"], unique=False)
        batch_op.create_index(batch_op.f("ix_accessibility_location_id"), ["location_id"], unique=False)

    op.create_table(
        "address",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("attention", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("address_1", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("address_2", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("region", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("state_province", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("postal_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("address_type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_address_location_id_location"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address")),
    )
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_address_location_id"), ["location_id"], unique=False)

    op.create_table(
        "attribute",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("link_id", sa.Uuid(), nullable=False),
        sa.Column("link_type", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("link_entity", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("taxonomy_term_id", sa.Uuid(), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["taxonomy_term_id"],
            ["taxonomy_term.id"],
            name=op.f("fk_attribute_taxonomy_term_id_taxonomy_term"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribute")),
    )
    with op.batch_alter_table("attribute", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attribute_link_id"), ["link_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attribute_taxonomy_term_id"), ["taxonomy_term_id"], unique=False)

    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("entity_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_change_log_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_log_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_log_user_id"), ["user_id"], unique=False)

    op.create_table(
        "contact",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_contact_service_id_service"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_service_id"), ["service_id"], unique=False)

    op.create_table(
        "cost_option",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("option", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("amount_description", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_cost_option_service_id_service"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_option")),
    )
    with op.batch_alter_table("cost_option", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cost_option_service_id"), ["service_id"], unique=False)

    op.create_table(
        "listing_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "closed",
                "wrong_contact",
                "unclear",
                "wrong_area",
                "other",
                name="reportreason",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("details", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolution_note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["user.id"], name=op.f("fk_listing_report_resolved_by_id_user")),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_listing_report_service_id_service"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_report")),
    )
    with op.batch_alter_table("listing_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_listing_report_service_id"), ["service_id"], unique=False)

    op.create_table(
        "service_area",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("extent", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("extent_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("uri", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("service_area", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("outcode", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_service_area_service_id_service"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_area")),
    )
    with op.batch_alter_table("service_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_area_outcode"), ["outcode"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_area_service_id"), ["service_id"], unique=False)

    op.create_table(
        "service_at_location",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_service_at_location_location_id_location"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_service_at_location_service_id_service"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_at_location")),
    )
    with op.batch_alter_table("service_at_location", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_at_location_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_at_location_service_id"), ["service_id"], unique=False)

    op.create_table(
        "service_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_service_search_service_id_service"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_search")),
        sa.UniqueConstraint("service_id", name=op.f("uq_service_search_service_id")),
    )
    op.create_table(
        "service_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("application_process", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("eligibility_description", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_service_translation_service_id_service"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_translation")),
        sa.UniqueConstraint("service_id", "locale", name=op.f("uq_service_translation_service_id")),
    )
    with op.batch_alter_table("service_translation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_translation_service_id"), ["service_id"], unique=False)

    op.create_table(
        "phone",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "phone",
                "sms",
                "relay_uk",
                "video_relay",
                "video_call",
                "whatsapp",
                name="contactkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_phone_contact_id_contact"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone")),
    )
    with op.batch_alter_table("phone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_phone_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "schedule",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=True),
        sa.Column("service_at_location_id", sa.Uuid(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("dtstart", sa.Date(), nullable=True),
        sa.Column("freq", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("interval", sa.Integer(), nullable=True),
        sa.Column("byday", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("bymonthday", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("opens_at", sa.Time(), nullable=True),
        sa.Column("closes_at", sa.Time(), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("schedule_link", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("attending_type", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_at_location_id"],
            ["service_at_location.id"],
            name=op.f("fk_schedule_service_at_location_id_service_at_location"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_schedule_service_id_service"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule")),
    )
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_schedule_service_at_location_id"), ["service_at_location_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_schedule_service_id"), ["service_id"], unique=False)

    op.create_table(
        "language",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=True),
        sa.Column("phone_id", sa.Uuid(), nullable=True),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["phone_id"], ["phone.id"], name=op.f("fk_language_phone_id_phone"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_language_service_id_service"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_language")),
    )
    with op.batch_alter_table("language", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_language_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_language_service_id"), ["service_id"], unique=False)

    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("logo", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.add_column(sa.Column("uri", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.add_column(sa.Column("parent_organization_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "status",
                sa.Enum("pending", "approved", name="organizationstatus", native_enum=False, length=32),
                nullable=False,
                server_default="approved",
            )
        )
        batch_op.create_index(batch_op.f("ix_organization_status"), ["status"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_organization_parent_organization_id_organization"),
            "organization",
            ["parent_organization_id"],
            ["id"],
        )

    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fees", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("accreditations", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("alert", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(
            sa.Column("application_process", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("eligibility_description", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("minimum_age", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("maximum_age", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("is_free", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("bsl_staff", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("bsl_interpreter", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("in_person", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("online", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("by_phone", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("assurer_email", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
        batch_op.add_column(sa.Column("updated_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_service_updated_by_id_user"), "user", ["updated_by_id"], ["id"])

    # Full-text search over `service_search.body`: FTS5 on SQLite, a GIN tsvector index on PostgreSQL.
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(POSTGRES_FTS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("service_search_ai", "service_search_ad", "service_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS service_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_service_search_body_tsv")
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_service_updated_by_id_user"), type_="foreignkey")
        batch_op.drop_column("updated_by_id")
        batch_op.drop_column("assurer_email")
        batch_op.drop_column("by_phone")
        batch_op.drop_column("online")
        batch_op.drop_column("in_person")
        batch_op.drop_column("bsl_interpreter")
        batch_op.drop_column("bsl_staff")
        batch_op.drop_column("is_free")
        batch_op.drop_column("maximum_age")
        batch_op.drop_column("minimum_age")
        batch_op.drop_column("eligibility_description")
        batch_op.drop_column("application_process")
        batch_op.drop_column("alert")
        batch_op.drop_column("accreditations")
        batch_op.drop_column("fees")

    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_organization_parent_organization_id_organization"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_organization_status"))
        batch_op.drop_column("status")
        batch_op.drop_column("parent_organization_id")
        batch_op.drop_column("uri")
        batch_op.drop_column("logo")

    with op.batch_alter_table("language", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_language_service_id"))
        batch_op.drop_index(batch_op.f("ix_language_code"))

    op.drop_table("language")
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_service_id"))
        batch_op.drop_index(batch_op.f("ix_schedule_service_at_location_id"))

    op.drop_table("schedule")
    with op.batch_alter_table("phone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phone_contact_id"))

    op.drop_table("phone")
    with op.batch_alter_table("service_translation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_translation_service_id"))

    op.drop_table("service_translation")
    op.drop_table("service_search")
    with op.batch_alter_table("service_at_location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_at_location_service_id"))
        batch_op.drop_index(batch_op.f("ix_service_at_location_location_id"))

    op.drop_table("service_at_location")
    with op.batch_alter_table("service_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_area_service_id"))
        batch_op.drop_index(batch_op.f("ix_service_area_outcode"))

    op.drop_table("service_area")
    with op.batch_alter_table("listing_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_listing_report_service_id"))

    op.drop_table("listing_report")
    with op.batch_alter_table("cost_option", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cost_option_service_id"))

    op.drop_table("cost_option")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_service_id"))

    op.drop_table("contact")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_log_user_id"))
        batch_op.drop_index(batch_op.f("ix_change_log_entity_id"))
        batch_op.drop_index(batch_op.f("ix_change_log_at"))

    op.drop_table("change_log")
    with op.batch_alter_table("attribute", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attribute_taxonomy_term_id"))
        batch_op.drop_index(batch_op.f("ix_attribute_link_id"))

    op.drop_table("attribute")
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_address_location_id"))

    op.drop_table("address")
    with op.batch_alter_table("accessibility", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accessibility_location_id"))
        batch_op.drop_index(batch_op.f("ix_accessibility_feature"))

    op.drop_table("accessibility")
    with op.batch_alter_table("taxonomy_term", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_taxonomy_term_taxonomy_id"))
        batch_op.drop_index(batch_op.f("ix_taxonomy_term_code"))

    op.drop_table("taxonomy_term")
    with op.batch_alter_table("organization_translation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_translation_organization_id"))

    op.drop_table("organization_translation")
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_organization_id"))

    op.drop_table("location")
    op.drop_table("taxonomy")
    with op.batch_alter_table("search_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_log_outcode"))
        batch_op.drop_index(batch_op.f("ix_search_log_created_at"))

    op.drop_table("search_log")
