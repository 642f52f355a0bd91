"""Alembic environment: the engine comes from the caller (the CLI or the tests), never from a file."""

from alembic import context
from sqlmodel import SQLModel

import referral_app.models  # noqa: F401  (registers every table)

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    raise RuntimeError("Run migrations with `flask --app wsgi db upgrade`, which supplies the database.")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
