"""The DuckDB event store: open it, write coded documents in batches, read it back.

Writes go through Arrow tables, one transaction per batch, so a crash loses at most the
batch in flight and re-running the same inputs adds nothing (documents are keyed by the
content hash of their text).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import duckdb
import pyarrow as pa

from dateline.records import CodedDocument
from dateline.store.busy import StoreBusyError, StoreError, connect
from dateline.store.schema import SCHEMA_VERSION, applied_migrations, apply_migrations
from dateline.store.writer import build_tables

__all__ = ["SCHEMA_VERSION", "Store", "StoreBusyError", "StoreError", "WriteResult",
           "open_store"]

DEFAULT_DB = "dateline.duckdb"
_INSERT_ORDER = ("documents", "events", "event_actors", "quotes", "claims", "rejections")


@dataclass
class WriteResult:
    """What one batch added to the store."""

    documents: int = 0
    skipped: int = 0  # documents (or rejections) already stored, or repeated in the batch
    events: int = 0
    quotes: int = 0
    claims: int = 0
    rejections: int = 0
    event_ids: tuple[str, ...] = ()  # the batch's new events (not kept by a running total)

    def __iadd__(self, other: WriteResult) -> Self:
        """Add another batch's counts; a run's total keeps no ids, so that its memory does
        not grow with the corpus (a day of news: millions of ids, copied at every batch)."""
        self.documents += other.documents
        self.skipped += other.skipped
        self.events += other.events
        self.quotes += other.quotes
        self.claims += other.claims
        self.rejections += other.rejections
        return self


class Store:
    """An open dateline store. Use :func:`open_store`; close it or use it as a context."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self.con is not None:
            if not self.read_only:
                from dateline.store.allocator import purge

                # The pages the session's statements freed go back before the checkpoint
                # that closing runs takes its own (640 stories replayed: each batch's peak
                # -5 to -7 MiB; benchmarks/results/memory7.md).
                purge()
            self.con.close()
            self.con = None

    @property
    def schema_version(self) -> int:
        applied = applied_migrations(self.con)
        return max(applied) if applied else 0

    def pending_mentions(self) -> int:
        """How many stored mentions await cross-story clustering."""
        from dateline.store.dedup import pending_mentions

        return pending_mentions(self.con)

    def cluster_pending(self) -> int:
        """Cluster, in one transaction, every mention stored with deferred clustering (or
        left so by an interrupted run); the result equals a rebuild. Returns how many."""
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        from dateline.store.dedup import cluster_pending

        with self._transaction() as con:
            return cluster_pending(con)

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of our own inside one transaction: committed when the block ends, rolled
        back on any exception (a kill mid-way leaves the store as it was)."""
        con = self.con.cursor()
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.close()

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored as documents or rejections."""
        wanted = pa.table({"id": pa.array(sorted(set(ids)), type=pa.string())})
        if wanted.num_rows == 0:
            return set()
        # A cursor of our own: a caller's half-read result on .con must not block us.
        cur = self.con.cursor()
        cur.register("_dl_wanted", wanted)
        try:
            rows = cur.execute(
                "SELECT w.id FROM _dl_wanted w WHERE w.id IN (SELECT id FROM documents) "
                "OR w.id IN (SELECT id FROM rejections)"
            ).fetchall()
        finally:
            cur.close()
        return {r[0] for r in rows}

    def write_batch(self, coded: list[CodedDocument], defer_clustering: bool = False
                    ) -> WriteResult:
        """Store a batch in one transaction; documents already stored are skipped.

        Its mentions are clustered across stories at once, or with ``defer_clustering``
        later, by :meth:`cluster_pending` (each is its own event meanwhile).
        """
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        from dateline.coder import CODER_VERSION
        from dateline.store.dedup import cluster_pending, provisional_clusters

        fresh, seen = [], set()
        for item in coded:
            key = _item_id(item)
            if key is None or key in seen:
                continue
            seen.add(key)
            fresh.append(item)
        known = self.known_ids(seen)
        fresh = [item for item in fresh if _item_id(item) not in known]
        result = WriteResult(skipped=len(coded) - len(fresh))
        if not fresh:
            return result
        tables = build_tables(fresh, CODER_VERSION)
        views = {name: f"_dl_new_{name}" for name in _INSERT_ORDER}
        with self._transaction() as con:
            for name in _INSERT_ORDER:
                con.register(views[name], tables.arrow(name))
                if getattr(tables, name):
                    con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM {views[name]}")
            event_ids = [row["id"] for row in tables.events]
            if event_ids:
                # Every stored mention is in an event: its own until it is clustered.
                provisional_clusters(con, views["events"], views["event_actors"],
                                     views["documents"])
            for view in views.values():
                con.unregister(view)
            if not defer_clustering:
                cluster_pending(con)
        result.documents = len(tables.documents)
        result.events = len(tables.events)
        result.quotes = len(tables.quotes)
        result.claims = len(tables.claims)
        result.rejections = len(tables.rejections)
        result.event_ids = tuple(event_ids)
        return result


def _item_id(item: CodedDocument) -> str | None:
    if item.doc is not None:
        return item.doc.id
    return (item.rejected or {}).get("id")


def open_store(path: str | Path = DEFAULT_DB, read_only: bool = False,
               wait: float = 0.0) -> Store:
    """Open (creating and migrating when writable) a store; ``wait`` seconds of retry if busy."""
    path = str(path)
    if read_only and path != ":memory:" and not Path(path).exists():
        raise StoreError(f"no store at {path} (create one with `dateline code ... --db {path}`)")
    con = connect(path, read_only=read_only, wait=wait)
    if not read_only:
        try:
            apply_migrations(con)
        except BaseException:
            con.close()
            raise
    return Store(con, path, read_only)
