"""A store attached to a long-lived database instance (how `dateline code` opens its store for
each batch): created and migrated like open_store's, released to other processes when
closed, and "store busy" while another process holds it."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from dateline.records import CodedDocument, Document, Rejected
from dateline.store import SCHEMA_VERSION, StoreBusyError, attach_store, open_store

_COUNT = ("import sys, duckdb; c = duckdb.connect(sys.argv[1], read_only=True); "
          "print(c.execute('SELECT count(*) FROM rejections').fetchone()[0])")


def _rejection(k: int) -> CodedDocument:
    return CodedDocument.rejection(Rejected(origin=f"r{k}.bin", reason="binary"))


def test_attached_store_is_migrated_written_and_released(tmp_path):
    db = str(tmp_path / "s.duckdb")
    instance = duckdb.connect(":memory:")
    for k in range(2):  # the second attach finds the file made by the first
        with attach_store(instance, db) as store:
            assert store.schema_version == SCHEMA_VERSION
            assert store.write_batch([_rejection(k)]).rejections == 1
            assert store.known_ids([_rejection(k).rejected["id"], "nope"]) == {
                _rejection(k).rejected["id"]}
        # closed: another process opens the file while this instance lives on
        other = subprocess.run([sys.executable, "-c", _COUNT, db], capture_output=True,
                               text=True, check=True)
        assert other.stdout.strip() == str(k + 1)
    # the instance itself keeps nothing of the store
    assert "dl_store" not in {r[0] for r in instance.execute(
        "SELECT database_name FROM duckdb_databases()").fetchall()}
    instance.close()


def test_a_batch_that_fails_leaves_nothing_and_the_store_attachable(tmp_path):
    db = str(tmp_path / "s.duckdb")
    instance = duckdb.connect(":memory:")
    bad = CodedDocument(doc=Document(text="x"), origin="x")
    bad.events = ["not an event"]  # fails while its rows are built
    with pytest.raises(AttributeError), attach_store(instance, db) as store:
        store.write_batch([_rejection(0), bad])
    with attach_store(instance, db) as store:
        assert store.con.execute("SELECT count(*) FROM rejections").fetchone()[0] == 0
        assert store.con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    instance.close()


def test_attaching_a_store_another_process_holds_says_busy(tmp_path):
    db = str(tmp_path / "s.duckdb")
    open_store(db).close()
    program = ("import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
               "sys.stdin.read()")
    holder = subprocess.Popen([sys.executable, "-c", program, db], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        instance = duckdb.connect(":memory:")
        with pytest.raises(StoreBusyError, match="store busy"):
            attach_store(instance, db, wait=0.3)
    finally:
        holder.stdin.close()
        holder.wait()
    with attach_store(instance, db) as store:  # free again: the failed attach left no trace
        assert store.schema_version == SCHEMA_VERSION
    instance.close()
