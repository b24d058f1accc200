"""The Spark job's row shaping and `spark-load`, without starting Spark."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner

from dateline.distributed.commands import spark_load
from dateline.distributed.job import PARTITION_COLUMN, TABLES, coded_rows, month_of
from dateline.distributed.load import load_parquet
from dateline.records import Actor, CodedDocument, Document, Event, Evidence, Quote, Rejected
from dateline.store import open_store
from dateline.store.integrity import check_store
from dateline.store.writer import TABLE_SCHEMAS

NOW = dt.datetime(2026, 1, 1, 12, 0, 0)


def _story(i: int, published: str | None, event_date: str | None) -> CodedDocument:
    text = f"Police in Lagos arrested {i} suspects after a raid on Tuesday, officials said."
    doc = Document(text=text, published=published, origin=f"s{i}.txt")
    event = Event(type="COERCE", mode="arrest", evidence=Evidence(
        sentence=text, start=0, end=len(text), trigger="arrested", trigger_start=16,
        trigger_end=24), actors=[Actor(text="Police", country="NGA", sector="COP")],
        date=event_date, date_precision="day" if event_date else None)
    event.assign_id(doc.id)
    return CodedDocument(doc=doc, events=[event], quotes=[Quote(text="x", start=0, end=1)],
                         origin=doc.origin)


def _write_parquet(out, coded) -> None:
    """The layout Spark writes: OUT/<table>/month=YYYY-MM/part-*.parquet."""
    rows = defaultdict(list)
    for table, row in coded_rows(coded, "test", now=NOW):
        rows[table].append(row)
    for table in TABLES:
        names = TABLE_SCHEMAS[table].names + [PARTITION_COLUMN]
        by_month = defaultdict(list)
        for row in rows[table]:
            by_month[row[-1]].append(dict(zip(names, row)))
        for month, items in by_month.items():
            folder = out / table / f"{PARTITION_COLUMN}={month}"
            folder.mkdir(parents=True, exist_ok=True)
            tbl = pa.Table.from_pylist([{k: v for k, v in r.items() if k != PARTITION_COLUMN}
                                        for r in items], schema=TABLE_SCHEMAS[table])
            pq.write_table(tbl, folder / "part-0.parquet")


def test_month_of_dates_strings_and_unknowns():
    assert month_of(dt.date(2018, 3, 23)) == "2018-03"
    assert month_of("2018-03") == "2018-03"
    assert month_of("2018") == "unknown"
    assert month_of(None) == "unknown"


def test_rows_are_partitioned_by_event_month_and_document_month():
    coded = [_story(1, "2018-03-23", "2018-02-01"),
             CodedDocument.rejection(Rejected(origin="x.bin", reason="binary"))]
    rows = list(coded_rows(coded, "test", now=NOW))
    months = {(table, row[-1]) for table, row in rows}
    assert ("events", "2018-02") in months
    assert ("event_actors", "2018-02") in months
    assert ("documents", "2018-03") in months
    assert ("quotes", "2018-03") in months
    assert ("rejections", "unknown") in months
    for table, row in rows:
        assert len(row) == len(TABLE_SCHEMAS[table].names) + 1


def test_spark_load_loads_everything_once_and_the_store_is_clean(tmp_path):
    out = tmp_path / "parquet"
    coded = [_story(i, f"2018-03-2{i}", f"2018-0{i + 1}-01") for i in range(1, 4)]
    coded.append(_story(9, None, None))
    coded.append(CodedDocument.rejection(Rejected(origin="x.bin", reason="binary")))
    _write_parquet(out, coded)
    db = tmp_path / "s.duckdb"
    first = load_parquet(db, str(out))
    assert first["documents_added"] == 4
    assert first["events_added"] == 4
    assert first["totals"]["rejections"] == 1
    second = CliRunner().invoke(spark_load, ["--db", str(db), str(out)])
    assert second.exit_code == 0, second.output
    assert '"documents_added": 0' in second.output
    with open_store(db, read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 4
        assert store.con.execute("SELECT count(*) FROM event_actors").fetchone()[0] == 4
        assert store.con.execute(
            "SELECT count(*) FROM events WHERE cluster_id IS NOT NULL").fetchone()[0] == 4
    report = check_store(db)
    assert report.clean, report.render()


def test_spark_load_skips_stories_the_store_already_has(tmp_path):
    db = tmp_path / "s.duckdb"
    with open_store(db) as store:
        store.write_batch([_story(1, "2018-03-21", "2018-03-21")])
    out = tmp_path / "parquet"
    _write_parquet(out, [_story(1, "2018-03-21", "2018-03-21"),
                         _story(2, "2018-03-22", "2018-03-22")])
    result = load_parquet(db, str(out))
    assert result["documents_added"] == 1
    assert result["totals"]["documents"] == 2
    assert check_store(db).clean


def test_spark_load_without_parquet_fails_clearly(tmp_path):
    result = CliRunner().invoke(spark_load, ["--db", str(tmp_path / "s.duckdb"),
                                             str(tmp_path)])
    assert result.exit_code == 1
    assert "no dateline Parquet" in result.output
