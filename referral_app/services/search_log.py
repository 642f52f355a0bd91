"""Searches recorded for the insights' gap analysis, written in batches.

Every search (its first page, not each keystroke of live search) adds one anonymous `SearchLog` row. Written with
the search, it made every search a write transaction: on SQLite all searches queued for the one writer and, under
load, failed with "database is locked"; on PostgreSQL each paid for a commit. Instead each worker process keeps the
rows of the last `SEARCH_LOG_FLUSH_SECONDS` and writes them together in one transaction, after the response of the
request that finds them due has been sent, and when the process exits. If a worker is killed, the searches of its
last few seconds are lost: they are anonymous counts for spotting gaps, not records anyone relies on.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, insert
from sqlmodel import Session

from referral_app.models import SearchLog

log = logging.getLogger(__name__)
# A batch is written at the latest when it holds this many rows: at a few hundred searches a second, a batch of
# five seconds would hold thousands and keep its worker busy for tens of milliseconds, felt by the searches queued
# behind it. 200 rows take 2-4 ms.
MAX_BATCH_ROWS = 200


@dataclass
class _Batch:
    rows: list[dict] = field(default_factory=list)
    started: float = 0.0  # time.monotonic() of the oldest row


_lock = threading.Lock()  # threaded workers share the batches
_batches: dict[Engine | Connection, _Batch] = {}


def record(
    row: dict, *, session: Session, delay_seconds: int, clock: Callable[[], float] = time.monotonic
) -> Callable[[], int] | None:
    """Keep one search's row.

    With no delay the row is added to `session`, which the caller commits. Otherwise it joins this process's batch
    for the session's database; when the oldest row has waited `delay_seconds` or the batch is full, returns the
    function that writes the batch, for the caller to run once its response has been sent.
    """
    if not delay_seconds:
        session.add(SearchLog(**row))
        session.flush()
        return None
    bind = session.get_bind()
    with _lock:
        if bind not in _batches:
            _batches[bind] = _Batch()
            atexit.register(flush, bind)
        batch = _batches[bind]
        if not batch.rows:
            batch.started = clock()
        batch.rows.append(row)
        due = len(batch.rows) >= MAX_BATCH_ROWS or clock() - batch.started >= delay_seconds
    return (lambda: flush(bind)) if due else None


def flush(bind: Engine | Connection) -> int:
    """Write the rows waiting for this database in one transaction; how many were written."""
    with _lock:
        batch = _batches.get(bind)
        if batch is None or not batch.rows:
            return 0
        rows, batch.rows = batch.rows, []
    try:
        with Session(bind=bind, join_transaction_mode="create_savepoint") as session:
            session.execute(insert(SearchLog), rows)
            session.commit()
    except Exception:  # the searches were answered; losing their counts must not break anything else
        log.exception("Could not write %d search log rows; they are dropped", len(rows))
        return 0
    return len(rows)


def waiting(bind: Engine | Connection) -> int:
    """How many rows wait in this process's batch for `bind` (for tests and the benchmark)."""
    with _lock:
        batch = _batches.get(bind)
        return len(batch.rows) if batch else 0
