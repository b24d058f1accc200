"""The Spark job codes the same inputs into the same events as `dateline code` (local mode)."""

from __future__ import annotations

import json
import os
import sys

import pytest

pytest.importorskip("pyspark")

STORIES = {
    "wire/meeting.txt": (
        "Mexico City, March 23 (Wire) -- US Homeland Security Secretary Kirstjen Nielsen met "
        "Mexican Interior Secretary Alfonso Navarrete Prida in Mexico City on Friday to discuss "
        "security cooperation along the border.\n\nThe two officials agreed to share "
        "intelligence on arms trafficking, a Mexican government statement said.\n"),
    "wire/more/page.html": (
        "<html><head><title>Protest in Lagos</title></head><body><nav>Home | World</nav>"
        "<article><h1>Police arrest protesters in Lagos</h1><p>Police in Lagos arrested twelve "
        "protesters outside the state assembly on Monday, witnesses said.</p><p>The governor "
        "condemned the protest and said the demonstrators had blocked a highway.</p></article>"
        "<footer>All rights reserved</footer></body></html>"),
    "feeds/items.jsonl": "\n".join(json.dumps(r) for r in [
        {"text": "Russia accused Ukraine of shelling a village near Donetsk on Sunday, and "
                 "Ukraine denied the accusation, officials in Kiev said.", "date": "2018-05-06",
         "title": "Shelling claims"},
        {"text": "The foreign ministers of India and Pakistan met in New Delhi on Tuesday and "
                 "agreed to resume talks on water sharing.", "date": "2018-06-12"},
        {"text": 42},
    ]) + "\n",
    "junk/blob.bin": b"\x00\x01\x02\x03binary\xff" * 10,
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    for name, content in STORIES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.mark.spark
def test_spark_job_codes_the_same_events_as_dateline_code(corpus, tmp_path):
    import duckdb

    from dateline.distributed.job import build_session, run_job
    from dateline.distributed.load import load_parquet
    from dateline.ingest import IngestOptions
    from dateline.pipeline import run_coding
    from dateline.store.integrity import check_store

    os.environ["PYSPARK_PYTHON"] = sys.executable
    options = IngestOptions(date="2018-03-23")
    cli_out, cli_db = tmp_path / "cli.jsonl", tmp_path / "cli.duckdb"
    run_coding([str(corpus)], options, db=str(cli_db), out=str(cli_out))
    lines = [json.loads(x) for x in cli_out.read_text("utf-8").splitlines()]
    cli_events = {(c["doc"]["id"], e["id"], e["type"], e["cameo"])
                  for c in lines if c["doc"] for e in c["events"]}
    cli_docs = {c["doc"]["id"] for c in lines if c["doc"]}
    assert cli_events, "the fixture stories must produce events for the comparison to mean much"

    spark = build_session("local[1]")
    try:
        out = tmp_path / "parquet"
        counts = run_job(spark, [str(corpus)], str(out), {"date": "2018-03-23"})
    finally:
        spark.stop()
    assert counts["documents"] == len(cli_docs)
    assert counts["rejections"] == sum(1 for c in lines if c["rejected"])

    con = duckdb.connect()
    spark_events = set(con.execute(
        "SELECT doc_id, id, type, cameo FROM read_parquet(?, hive_partitioning = true)",
        [f"{out}/events/**/*.parquet"]).fetchall())
    assert spark_events == cli_events
    months = {r[0] for r in con.execute(
        "SELECT DISTINCT month FROM read_parquet(?, hive_partitioning = true)",
        [f"{out}/documents/**/*.parquet"]).fetchall()}
    assert "2018-05" in months and "2018-03" in months

    spark_db = tmp_path / "spark.duckdb"
    load_parquet(spark_db, str(out))
    assert check_store(spark_db).clean
    columns = "* EXCLUDE (coded_at)"
    for table, cols, key in (("documents", columns, "id"), ("events", "*", "id"),
                             ("event_actors", "*", "event_id, role, position"),
                             ("claims", "*", "doc_id, position"),
                             ("quotes", "*", "doc_id, position")):
        rows = []
        for db in (cli_db, spark_db):
            with duckdb.connect(str(db), read_only=True) as c:
                rows.append(c.execute(f"SELECT {cols} FROM {table} ORDER BY {key}").fetchall())
        assert rows[0] == rows[1], f"{table} differs between dateline code and Spark"
