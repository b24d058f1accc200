"""The batch writer: one transaction per batch, idempotent re-runs, clear busy errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dateline.records import (
    Actor,
    Claim,
    CodedDocument,
    Document,
    Location,
    Quote,
    Rejected,
)
from dateline.store import StoreBusyError, StoreError, open_store
from dateline.store.schema import MIGRATIONS, apply_migrations
from dateline.store.synthetic import make_event

ARREST = "Mexican police arrested ten men in Tijuana on Friday."


def _coded(text: str = ARREST) -> CodedDocument:
    """A story with one arrest (the arrest sentence is added to other texts)."""
    if ARREST not in text:
        text = f"{text} {ARREST}"
    doc = Document(text=text, published="2018-03-23", title="Arrests", source="wire",
                   origin="test.txt")
    event = make_event(
        doc, ARREST, "arrested", "COERCE", mode="arrest",
        actors=[("Mexican police", "MEX", "COP")], recipients=[("ten men", None, None)],
        date="2018-03-23",
        location=Location(name="Tijuana", country="MEX", lat=32.5, lon=-117.0, geonameid=3981609),
        confidence=0.9)
    return CodedDocument(
        doc=doc, events=[event],
        quotes=[Quote(text="We acted fast", start=0, end=13, speaker=Actor(text="the chief"))],
        claims=[Claim(text="ten men", start=24, end=31, value=10, unit="men",
                      attributed_to={"name": "police", "kind": "org"})],
        contexts=["crime"],
    )


def _counts(store) -> dict[str, int]:
    return {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "events", "event_actors", "quotes", "claims", "rejections")}


def test_batch_writes_every_table_with_contract_columns(tmp_path):
    coded = _coded()
    with open_store(tmp_path / "s.duckdb") as store:
        result = store.write_batch([coded])
        assert (result.documents, result.events, result.quotes, result.claims) == (1, 1, 1, 1)
        assert _counts(store)["event_actors"] == 2
        row = store.con.execute(
            "SELECT actor1_code, actor2_name, event_date, location_name, trigger_start, "
            "cluster_id, doc_id FROM events").fetchone()
        assert row[0] == "MEXCOP" and row[1] == "ten men"
        assert str(row[2]) == "2018-03-23" and row[3] == "Tijuana" and row[4] == 15
        assert row[5] is not None and row[6] == coded.doc.id
        published, contexts, n_events = store.con.execute(
            "SELECT published, contexts, n_events FROM documents").fetchone()
        assert str(published) == "2018-03-23" and contexts == ["crime"] and n_events == 1


def test_rerun_and_in_batch_duplicates_store_each_story_once(tmp_path):
    path = tmp_path / "s.duckdb"
    rej = CodedDocument.rejection(Rejected(origin="x.bin", reason="binary"))
    with open_store(path) as store:
        first = store.write_batch([_coded(), _coded(), rej, rej])
        assert first.documents == 1 and first.rejections == 1 and first.skipped == 2
    with open_store(path) as store:
        again = store.write_batch([_coded(), rej])
        assert again.documents == 0 and again.rejections == 0 and again.skipped == 2
        assert _counts(store) == {"documents": 1, "events": 1, "event_actors": 2, "quotes": 1,
                                  "claims": 1, "rejections": 1}
        assert store.known_ids([_coded().doc.id, "nope"]) == {_coded().doc.id}


def test_failed_batch_leaves_store_unchanged(tmp_path, monkeypatch):
    from dateline.store import dedup

    def boom(con):
        raise RuntimeError("dedup failed")

    with open_store(tmp_path / "s.duckdb") as store:
        store.write_batch([_coded("First story about a meeting in Mexico City.")])
        monkeypatch.setattr(dedup, "cluster_pending", boom)
        with pytest.raises(RuntimeError):
            store.write_batch([_coded()])
        assert _counts(store)["documents"] == 1 and _counts(store)["events"] == 1


def test_migrations_record_applied_numbers_and_tolerate_gaps(tmp_path, monkeypatch):
    import duckdb

    con = duckdb.connect(str(tmp_path / "m.duckdb"))
    assert apply_migrations(con) == [n for n, _ in sorted(MIGRATIONS)]
    assert apply_migrations(con) == []
    monkeypatch.setattr("dateline.store.schema.MIGRATIONS", MIGRATIONS + [
        (97, "CREATE TABLE later_a (x INTEGER);"), (95, "CREATE TABLE later_b (x INTEGER);")])
    assert apply_migrations(con) == [95, 97]
    listed = con.execute("SELECT value FROM meta WHERE key = 'migrations'").fetchone()[0]
    assert listed.endswith("95,97")
    con.close()


def test_second_writer_gets_store_busy_not_a_traceback(tmp_path):
    path = tmp_path / "busy.duckdb"
    with open_store(path):
        code = ("from dateline.store import open_store, StoreBusyError\n"
                f"try:\n    open_store({str(path)!r})\nexcept StoreBusyError as e:\n"
                "    print('BUSY', e)\n")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                             timeout=60)
    assert out.stdout.startswith("BUSY store busy"), out.stderr
    assert StoreBusyError.__mro__[1] is StoreError


def test_read_only_store_refuses_writes_and_missing_file(tmp_path):
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        store.write_batch([_coded()])
    with open_store(path, read_only=True) as store:
        assert store.known_ids([_coded().doc.id])
        with pytest.raises(StoreError):
            store.write_batch([_coded("Another story.")])
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "missing.duckdb", read_only=True)


def test_a_running_total_of_batches_counts_without_keeping_their_ids():
    from dateline.store import WriteResult

    total = WriteResult()
    for k in range(3):
        total += WriteResult(documents=2, events=3, event_ids=(f"a{k}", f"b{k}", f"c{k}"))
    assert (total.documents, total.events) == (6, 9)
    assert total.event_ids == ()  # memory of a run's summary must not grow with the corpus
