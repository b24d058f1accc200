"""The dashboard's access to the store: read-only by default, writable only for one review.

A DuckDB file held for writing by another process (a running `dateline code`) cannot be
opened at all; callers get :class:`StoreBusy` after a short retry, and the app answers 503.
Opening a store costs tens of milliseconds, so the read-only connection is kept while
pages are being served and closed after ``idle`` seconds without a request: the dashboard
does not keep the lock that `dateline code` needs. One lock serialises all use, because
DuckDB refuses a read-only and a writable connection to the same file in one process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from dateline.store.busy import StoreBusyError, StoreError, connect

# Facts about the store (table list, story count, per-filter totals) looked up once per
# state of the store file, not per connection: the connection is closed after 2 s idle, and
# recomputing them on every reopen cost ~100 ms. StoreAccess hands each connection the
# facts of the file's current signature, so any write to the store starts afresh.
_FACTS: dict[int, dict[str, Any]] = {}
_MAX_FACTS = 512


def remembered(con: duckdb.DuckDBPyConnection, name: str, compute: Callable[[], Any]) -> Any:
    """compute() once per state of the store behind ``con``, then its remembered value."""
    facts = _FACTS.setdefault(id(con), {})
    if name not in facts:
        if len(facts) >= _MAX_FACTS:  # per-filter totals: bounded, oldest out first
            facts.pop(next(iter(facts)))
        facts[name] = compute()
    return facts[name]


def tables(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The store's table names."""
    return remembered(con, "tables", lambda: frozenset(r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables()").fetchall()))


class StoreBusy(RuntimeError):
    """The store is held for writing by another process."""


class NotAStore(RuntimeError):
    """The file is missing or is not a dateline store."""


def _connect(path: str, read_only: bool, wait: float,
             config: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    # The store package's retry policy, with the dashboard's own exceptions.
    try:
        return connect(path, read_only=read_only, wait=wait, config=config)
    except StoreBusyError as exc:
        raise StoreBusy(str(exc)) from exc
    except StoreError as exc:
        raise NotAStore(str(exc)) from exc


def check_store(path: str | Path) -> None:
    """Raise NotAStore unless ``path`` is an existing DuckDB file with an events table."""
    if not Path(path).is_file():
        raise NotAStore(f"no store at {path}: run `dateline code ... --db {path}` first")
    con = _connect(str(path), read_only=True, wait=2.0)
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
    finally:
        con.close()
    if not {"documents", "events"} <= tables:
        raise NotAStore(f"{path} is not a dateline store (no documents/events tables)")


class StoreAccess:
    """Connections to one store file for the dashboard's requests."""

    def __init__(self, path: str | Path, idle: float = 2.0, wait: float = 1.5,
                 config: dict[str, Any] | None = None) -> None:
        self.path = str(path)
        self.config = dict(config or {})  # DuckDB settings, e.g. {"threads": 1}
        self.idle = idle
        self.wait = wait
        self._lock = threading.RLock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._last_used = 0.0
        self._timer: threading.Timer | None = None
        self._facts: dict[str, Any] = {}
        self._facts_of: tuple[int, ...] | None = None
        # signature after one of our review writes -> the data signature before it
        self._review_writes: dict[tuple[int, ...], tuple[int, ...]] = {}

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The shared read-only connection, opened when needed."""
        with self._lock:
            if self._con is None:
                self._con = _connect(self.path, read_only=True, wait=self.wait,
                                     config=self.config)
                # While it is open no other process can write, so the signature taken now
                # describes everything this connection will read.
                signature = self.signature()
                if signature != self._facts_of:
                    self._facts, self._facts_of = {}, signature
                _FACTS[id(self._con)] = self._facts
            try:
                yield self._con
            finally:
                self._last_used = time.monotonic()
                self._schedule_release()

    @contextmanager
    def writing_review(self, wait: float = 3.0) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writable connection used only to insert one review (reviews.record_review)."""
        with self._lock:
            self.release()
            before = self.signature()
            con = _connect(self.path, read_only=False, wait=wait, config=self.config)
            # Unchanged between the look and the lock: nothing but this review is written
            # now, so pages that never read reviews stay valid (see data_signature).
            unchanged = self.signature() == before
            try:
                yield con
            finally:
                con.close()
                if unchanged:
                    self._review_writes[self.signature()] = self.data_signature(before)
                    while len(self._review_writes) > 1000:
                        self._review_writes.pop(next(iter(self._review_writes)))

    def data_signature(self, signature: tuple[int, ...] | None = None) -> tuple[int, ...]:
        """The signature, ignoring this dashboard's own review writes: keys the cache of
        pages that do not show reviews, so marking an event keeps the tables cached."""
        signature = self.signature() if signature is None else signature
        return self._review_writes.get(signature, signature)

    def signature(self) -> tuple[int, ...]:
        """Changes whenever the store file (or its WAL) is written: keys the result cache."""
        out: list[int] = []
        for p in (Path(self.path), Path(self.path + ".wal")):
            try:
                st = p.stat()
                out += [st.st_mtime_ns, st.st_size]
            except OSError:
                out += [0, 0]
        return tuple(out)

    def release(self) -> None:
        """Close the read-only connection now (it reopens on the next request)."""
        with self._lock:
            if self._con is not None:
                _FACTS.pop(id(self._con), None)
                self._con.close()
                self._con = None

    def _schedule_release(self) -> None:
        if self.idle <= 0:
            self.release()
            return
        if self._timer is not None and self._timer.is_alive():
            return
        self._timer = threading.Timer(self.idle, self._release_if_idle)
        self._timer.daemon = True
        self._timer.start()

    def _release_if_idle(self) -> None:
        with self._lock:
            self._timer = None
            if self._con is None:
                return
            quiet = time.monotonic() - self._last_used
            if quiet >= self.idle:
                self.release()
            else:  # used since the timer was set: look again when it will have been idle
                self._timer = threading.Timer(self.idle - quiet, self._release_if_idle)
                self._timer.daemon = True
                self._timer.start()
