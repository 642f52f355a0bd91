"""One engine per app, one Session per request.

Services only `flush`; a view commits once per unit of work. Tests swap `DatabaseState.bind`
for a connection inside a transaction that they roll back.

SQLite (WAL) lets one connection write at a time. A transaction that began by reading and then writes cannot wait
for the writer before it: SQLite refuses the write at once (`lost_write_race`), since waiting could deadlock and
the other's commit would leave its reads out of date. So a request that writes says so when it begins: every
transaction of a POST (any method but GET, HEAD, OPTIONS) begins with BEGIN IMMEDIATE, which waits its turn (up to
the busy timeout) and then reads the newest data, so optimistic locking and idempotency keys decide races as they do
on PostgreSQL. A GET that writes as well (the audit row of what it showed, a draft's automatic answer) reads without
taking the lock, as most GETs only read; if its write loses that race, its view runs once more, from the start, in a
write transaction (`init_app`). PostgreSQL needs neither: a write waits for the row's other writer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

# An execution option of the engine that `DatabaseState.writer` is: its transactions begin with BEGIN IMMEDIATE.
BEGIN_IMMEDIATE = "begin_immediate"
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class DatabaseState:
    engine: Engine
    bind: Engine | Connection
    _writer: tuple[Engine, Engine] | None = field(default=None, repr=False)  # (engine, its writer), made once

    @property
    def writer(self) -> Engine:
        """The engine, with transactions that write from the start (tests may swap the engine)."""
        if self._writer is None or self._writer[0] is not self.engine:
            self._writer = (self.engine, writer_of(self.engine))
        return self._writer[1]

    def bind_for(self, *, writes: bool) -> Engine | Connection:
        """What a session binds to; a test's connection (already in its transaction) whether or not it writes."""
        return self.writer if writes and self.bind is self.engine else self.bind


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
            # No memory map (SQLite's default). Mapping the file made a search over 10,000 services about a third
            # quicker in its SQL, but every mapped page counts in each worker's resident memory: with 64 MB mapped a
            # worker reached 181 MB RSS at scale, over the 150 MB target (bench/RESULTS.md, issue 8). Searches that
            # repeat come from the page cache (referral_app/page_cache.py) anyway.
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_on_begin(connection):  # pragma: no cover
        immediate = connection.get_execution_options().get(BEGIN_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def lost_write_race(error: DBAPIError) -> bool:
    """Whether SQLite refused a write because another connection is writing, or committed, since this
    transaction first read.

    In WAL mode a transaction that has read may not write while another writes (SQLITE_BUSY, at once: waiting
    could deadlock) nor over what another committed since (SQLITE_BUSY_SNAPSHOT). Requests avoid it (see the
    module's docstring); services that may run in a transaction begun with a plain BEGIN (commands, scripts) roll
    back and look again, as after a stale version. PostgreSQL waits for the other transaction instead.
    """
    return getattr(error.orig, "sqlite_errorname", None) in {"SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT"}


def writer_of(engine: Engine) -> Engine:
    """The engine whose transactions write from the start: on SQLite they begin with BEGIN IMMEDIATE."""
    return engine.execution_options(**{BEGIN_IMMEDIATE: True}) if engine.dialect.name == "sqlite" else engine


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["database"] = DatabaseState(engine=engine, bind=engine)
    app.teardown_appcontext(_close_session)
    app.dispatch_request = _again_after_lost_write_race(app.dispatch_request)


def _writes() -> bool:
    return has_request_context() and request.method not in READ_ONLY_METHODS


def get_session() -> Session:
    """The request's session, created on first use; a request that may write gets write transactions."""
    if "db_session" not in g:
        state: DatabaseState = current_app.extensions["database"]
        bind = state.bind_for(writes=_writes())
        g.db_session = Session(bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint")
    return g.db_session


def _again_after_lost_write_race(dispatch: Callable[[], Any]) -> Callable[[], Any]:
    """Run a GET's view once more, in a write transaction, when its write lost the race (see the module's
    docstring). A GET changes nothing the person asked for, so running it again is safe; a POST never gets here."""

    @functools.wraps(dispatch)
    def dispatch_request() -> Any:
        try:
            return dispatch()
        except OperationalError as error:
            session: Session | None = g.get("db_session")
            state: DatabaseState = current_app.extensions["database"]
            if session is None or not lost_write_race(error) or session.bind is not state.engine:
                raise
            session.rollback()  # what it read is out of date; objects it loaded reload in the new transaction
            session.bind = state.writer
            return dispatch()

    return dispatch_request


def rollback_session() -> None:
    """Roll back the request's session, if it has one: after an unexpected error, so the error page can read."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
