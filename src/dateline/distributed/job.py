"""The Spark job: code a corpus on a cluster with the same per-story function as `dateline code`.

Inputs are read with Spark's binaryFile source (local paths, HDFS, S3, ABFS, GCS: anything
Spark's Hadoop filesystems reach), each file goes through dateline's readers (text, HTML,
JSONL, feeds, WARC; sniffed from content), each story through `pipeline.process_item`, and
the rows -- shaped exactly like the store's tables -- are written as Parquet partitioned by
month under OUT/<table>/month=YYYY-MM/. Run it as `dateline spark`, or submit this file with spark-submit (see docs/spark.md).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa

TABLES = ("documents", "events", "event_actors", "quotes", "claims", "rejections")
UNKNOWN_MONTH = "unknown"
PARTITION_COLUMN = "month"

# Key columns that identify a row: the same story read twice (HTML and inside a WARC) is
# coded twice on different executors but must be stored once.
TABLE_KEYS = {
    "documents": ["id"], "events": ["id"], "event_actors": ["event_id", "role", "position"],
    "quotes": ["doc_id", "position"], "claims": ["doc_id", "position"], "rejections": ["id"],
}

_READY = False  # per executor process: the pipeline is loaded once, then reused


def _load_pipeline_once() -> None:
    """Load the NLP pipeline on first use in this Python worker (Spark reuses workers)."""
    global _READY
    if _READY:
        return
    from dateline import nlp

    loader = getattr(nlp, "load", None) or getattr(nlp, "get_nlp", None)
    if callable(loader):
        loader()
    _READY = True


def month_of(value: Any) -> str:
    """YYYY-MM of a date (or ISO string); UNKNOWN_MONTH when there is none."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str) and len(value) >= 7 and value[4] == "-":
        return value[:7]
    return UNKNOWN_MONTH


def local_origin(path: str) -> str:
    """Spark names local files file:/abs/path; dateline code records /abs/path."""
    if path.startswith("file://"):
        return path[len("file://"):]
    if path.startswith("file:"):
        return path[len("file:"):]
    return path


def read_blob(path: str, content: bytes, options: dict[str, Any]) -> Iterator[Any]:
    """One input file's bytes -> Document | Rejected items, via dateline's own readers."""
    from dateline.ingest import IngestOptions, read_bytes

    settings = {k: v for k, v in options.items() if v is not None}
    origin = local_origin(path)
    # name= lets the sniffer use the extension as a tie-breaker, as `dateline code` does.
    yield from read_bytes(content, origin, IngestOptions(**settings), name=origin)


def coded_rows(coded: list, coder_version: str,
               now: dt.datetime | None = None) -> Iterator[tuple[str, tuple]]:
    """(table, row tuple incl. month) for a list of coded documents, in store column order."""
    from dateline.store.writer import TABLE_SCHEMAS, build_tables

    tables = build_tables(coded, coder_version, now=now)
    doc_month = {row["id"]: month_of(row["published"]) for row in tables.documents}
    event_month = {row["id"]: month_of(row["event_date"]) for row in tables.events}
    months = {
        "documents": lambda r: doc_month[r["id"]],
        "events": lambda r: event_month[r["id"]],
        "event_actors": lambda r: event_month.get(r["event_id"], UNKNOWN_MONTH),
        "quotes": lambda r: doc_month.get(r["doc_id"], UNKNOWN_MONTH),
        "claims": lambda r: doc_month.get(r["doc_id"], UNKNOWN_MONTH),
        "rejections": lambda r: UNKNOWN_MONTH,
    }
    for table in TABLES:
        names = TABLE_SCHEMAS[table].names
        for row in getattr(tables, table):
            yield table, tuple(row[n] for n in names) + (months[table](row),)


def code_partition(files: Iterable[Any], options: dict[str, Any],
                   batch_size: int = 32) -> Iterator[tuple[str, tuple]]:
    """Spark mapPartitions body: (path, content) rows in, (table, row) pairs out."""
    from dateline.coder import CODER_VERSION
    from dateline.pipeline import process_item

    _load_pipeline_once()
    batch: list = []
    for file_row in files:
        for item in read_blob(file_row[0], bytes(file_row[1]), options):
            batch.append(process_item(item))
            if len(batch) >= batch_size:
                yield from coded_rows(batch, CODER_VERSION)
                batch = []
    if batch:
        yield from coded_rows(batch, CODER_VERSION)


def spark_type(arrow_type: pa.DataType):
    """The Spark SQL type for one of the store's Arrow column types."""
    from pyspark.sql import types as T

    if pa.types.is_string(arrow_type):
        return T.StringType()
    if pa.types.is_date32(arrow_type):
        return T.DateType()
    if pa.types.is_timestamp(arrow_type):
        return T.TimestampNTZType()  # the store's timestamps are naive UTC
    if pa.types.is_int8(arrow_type):
        return T.ByteType()
    if pa.types.is_int32(arrow_type):
        return T.IntegerType()
    if pa.types.is_int64(arrow_type):
        return T.LongType()
    if pa.types.is_floating(arrow_type):
        return T.DoubleType()
    if pa.types.is_boolean(arrow_type):
        return T.BooleanType()
    if pa.types.is_list(arrow_type):
        return T.ArrayType(spark_type(arrow_type.value_type))
    raise TypeError(f"no Spark type for {arrow_type}")


def spark_schema(table: str):
    """Spark schema of one output table: the store's columns plus the month partition."""
    from pyspark.sql import types as T

    from dateline.store.writer import TABLE_SCHEMAS

    fields = [T.StructField(f.name, spark_type(f.type), True) for f in TABLE_SCHEMAS[table]]
    fields.append(T.StructField(PARTITION_COLUMN, T.StringType(), False))
    return T.StructType(fields)


def build_session(master: str | None = None, app_name: str = "dateline"):
    """A SparkSession; local[*] unless a master is given or set by spark-submit."""
    from pyspark.sql import SparkSession

    # Local workers must run this interpreter, or they cannot import dateline.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    elif not os.environ.get("PYSPARK_GATEWAY_PORT"):
        # Not launched by spark-submit (which sets the gateway and the master): run locally.
        builder = builder.master("local[*]")
    return (builder.config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.showConsoleProgress", "false").getOrCreate())


def run_job(spark, inputs: list[str], out: str, options: dict[str, Any] | None = None,
            partitions: int | None = None) -> dict[str, int]:
    """Code `inputs` and write one Parquet dataset per table under `out`; row counts back."""
    from pyspark import StorageLevel

    options = dict(options or {})
    files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
             .load(inputs).select("path", "content"))
    if partitions:
        files = files.repartition(partitions)
    coded = files.rdd.mapPartitions(lambda rows: code_partition(rows, options))
    # Coding is the expensive step: keep its output so the six writes below reuse it.
    coded = coded.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        counts = {t: 0 for t in TABLES}
        counts.update(coded.map(lambda kv: kv[0]).countByValue())
        for table in TABLES:
            rows = coded.filter(lambda kv, t=table: kv[0] == t).map(lambda kv: kv[1])
            df = spark.createDataFrame(rows, schema=spark_schema(table))
            df = df.dropDuplicates(TABLE_KEYS[table])
            # An empty table still gets its folder, so readers find every dataset.
            (df.write.mode("overwrite").partitionBy(PARTITION_COLUMN)
             .parquet(f"{out.rstrip('/')}/{table}"))
    finally:
        coded.unpersist()
    return {t: int(counts[t]) for t in TABLES}


def main(argv: list[str] | None = None) -> None:
    """Entry point for `python -m dateline.distributed.job` / spark-submit."""
    from dateline.distributed.commands import spark as spark_command

    spark_command.main(args=argv, prog_name="dateline.distributed.job")


if __name__ == "__main__":
    main()
