"""One engine per app, one Session per request.

Services only `flush`; a view commits once per unit of work. Tests swap `DatabaseState.bind`
for a connection inside a transaction that they roll back.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session


@dataclass
class DatabaseState:
    engine: Engine
    bind: Engine | Connection


# PostgreSQL: prepare every statement on its first execution and plan it once per connection (a generic plan).
# psycopg prepares only from the 5th execution and PostgreSQL then plans 5 more times with the values before it
# may settle on a generic plan, so the same search statement took 10 times longer or shorter depending on how
# often its connection had run it (bench/RESULTS.md, problem 2). Planning the search page's query costs 1-3 ms
# each time, and with the stored tsvector (migration 0004) its generic plan is as fast or faster for every
# search in the benchmark: it assumes a few matches for the words and starts from their GIN index.
POSTGRESQL_CONNECT_ARGS = {"prepare_threshold": 0, "options": "-c plan_cache_mode=force_generic_plan"}


def make_engine(url: str) -> Engine:
    """Create an engine; for SQLite, turn on WAL, foreign keys and real transactions."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, connect_args=POSTGRESQL_CONNECT_ARGS)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})

    @event.listens_for(engine, "connect")
    def _sqlite_on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every test
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that
        # SAVEPOINT works (the tests rely on it) and BEGIN is explicit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if ":memory:" not in url:
            cursor.execute("PRAGMA journal_mode=WAL")
            # Read the file through the operating system's page cache, shared by every connection, instead of
            # copying pages into each connection's own 2 MB cache: a search over 10,000 services touches
            # more pages than that, and its page query took about a third less time this way. At most 64 MB:
            # mapped pages count in each worker's resident memory (bench/RESULTS.md, issue 8), and the hot part of
            # a 10,000-service directory fits.
            cursor.execute("PRAGMA mmap_size=67108864")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_on_begin(connection):  # pragma: no cover
        connection.exec_driver_sql("BEGIN")

    return engine


def lost_write_race(error: DBAPIError) -> bool:
    """Whether SQLite refused a write because another connection is writing, or committed, since this
    transaction first read.

    In WAL mode a transaction that has read may not write while another writes (SQLITE_BUSY, at once: waiting
    could deadlock) nor over what another committed since (SQLITE_BUSY_SNAPSHOT). The caller rolls back and looks
    again, as after a stale version. PostgreSQL waits for the other transaction instead.
    """
    return getattr(error.orig, "sqlite_errorname", None) in {"SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT"}


def init_app(app: Flask) -> None:
    app.extensions["database"] = DatabaseState(engine=(engine := make_engine(app.config["DATABASE_URL"])), bind=engine)
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    """The request's session, created on first use."""
    if "db_session" not in g:
        state: DatabaseState = current_app.extensions["database"]
        g.db_session = Session(bind=state.bind, expire_on_commit=False, join_transaction_mode="create_savepoint")
    return g.db_session


def rollback_session() -> None:
    """Roll back the request's session, if it has one: after an unexpected error, so the error page can read."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
