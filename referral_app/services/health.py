"""The database's state for `/healthz`."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from referral_app.migrations import alembic_config


def migration_heads() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def database_state(*, engine: Engine, heads: frozenset[str]) -> dict[str, str]:
    """`{"status": "ok"|"unavailable", "schema": "current"|"behind"|"missing"}`: no versions, no errors."""
    try:
        with engine.connect() as connection:
            try:
                revisions = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
            except SQLAlchemyError:
                return {"status": "ok", "backend": engine.dialect.name, "schema": "missing"}
    except SQLAlchemyError:
        return {"status": "unavailable", "backend": engine.dialect.name}
    schema = "current" if revisions == heads else "behind"
    return {"status": "ok", "backend": engine.dialect.name, "schema": schema}
