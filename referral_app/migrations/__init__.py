"""Alembic, driven from Python so that `flask --app wsgi db ...` and the tests share one path."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def current_revisions(engine: Engine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def make_revision(engine: Engine, message: str, *, autogenerate: bool = True) -> None:
    command.revision(alembic_config(engine), message=message, autogenerate=autogenerate)


# Database objects made by hand in migrations, which the models cannot describe.
UNMODELLED_TABLES = frozenset({"service_fts", "service_fts_data", "service_fts_idx", "service_fts_docsize",
                               "service_fts_config", "service_fts_content"})  # fmt: skip
UNMODELLED_INDEXES = frozenset({"ix_service_search_body_tsv"})
UNMODELLED_COLUMNS = frozenset({("service_search", "body_tsv")})  # PostgreSQL only (migration 0004)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave hand-made full-text objects out of autogenerate's comparison."""
    if type_ == "table" and name in UNMODELLED_TABLES:
        return False
    if type_ == "column" and (obj.table.name, name) in UNMODELLED_COLUMNS:
        return False
    return not (type_ == "index" and name in UNMODELLED_INDEXES)
