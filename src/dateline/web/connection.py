"""The dashboard's access to the store: read-only by default, writable only for one review.

A DuckDB file held for writing by another process (a running `dateline code`) cannot be
opened at all; callers get :class:`StoreBusy` after a short retry, and the app answers 503.
Connections are opened per request and closed after it, so the dashboard never keeps the
lock that `dateline code` needs; one process-wide lock serialises them because DuckDB
refuses a read-only and a writable connection to the same file in one process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

_LOCK = threading.RLock()


class StoreBusy(RuntimeError):
    """The store is held for writing by another process."""


class NotAStore(RuntimeError):
    """The file is missing or is not a dateline store."""


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def _connect(path: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise NotAStore(f"cannot open store {path}: {exc}") from exc
            if time.monotonic() >= deadline:
                raise StoreBusy(f"store busy: {path} is open for writing by another "
                                "process (e.g. a running `dateline code`)") from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def check_store(path: str | Path) -> None:
    """Raise NotAStore unless ``path`` is an existing DuckDB file with an events table."""
    if not Path(path).is_file():
        raise NotAStore(f"no store at {path}: run `dateline code ... --db {path}` first")
    with reading(str(path), wait=2.0) as con:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
    if not {"documents", "events"} <= tables:
        raise NotAStore(f"{path} is not a dateline store (no documents/events tables)")


@contextmanager
def reading(path: str, wait: float = 1.5) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for one request."""
    with _LOCK:
        con = _connect(path, read_only=True, wait=wait)
        try:
            yield con
        finally:
            con.close()


@contextmanager
def writing_review(path: str, wait: float = 3.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable connection used only to insert one review (see reviews.record_review)."""
    with _LOCK:
        con = _connect(path, read_only=False, wait=wait)
        try:
            yield con
        finally:
            con.close()
