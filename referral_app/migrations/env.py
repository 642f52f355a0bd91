"""Alembic environment: the engine comes from the caller (the CLI or the tests), never from a file."""

from alembic import context
from sqlmodel import SQLModel

import referral_app.models  # noqa: F401  (registers every table)
from referral_app.migrations import include_object

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    raise RuntimeError("Run migrations with `flask --app wsgi db upgrade`, which supplies the database.")

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch migrations rebuild tables (copy, drop, rename); with foreign keys enforced, dropping a
        # table that others point at fails. SQLite only honours this outside a transaction, so it is
        # set on the raw connection before SQLAlchemy begins one, and checked again afterwards.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=sqlite,
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"Migration left rows pointing at missing records: {problems[:5]}")
    connection.commit()
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
