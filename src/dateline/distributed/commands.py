"""`dateline spark` (code a corpus with Spark into Parquet) and `dateline spark-load`."""

from __future__ import annotations

import json
import sys

import click


@click.command("spark")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out", required=True,
              help="Output folder (any Spark filesystem URI); one Parquet dataset per table.")
@click.option("--master", default=None,
              help="Spark master URL (default: local[*], or the one spark-submit gives).")
@click.option("--date", default=None, help="Story date (YYYY-MM-DD) when a source has none.")
@click.option("--source", default=None, help="Source name recorded on every story.")
@click.option("--max-bytes", type=int, default=None, help="Reject inputs larger than this.")
@click.option("--partitions", type=int, default=None,
              help="Repartition the input files into N tasks (default: Spark's split).")
def spark(inputs: tuple[str, ...], out: str, master: str | None, date: str | None,
          source: str | None, max_bytes: int | None, partitions: int | None) -> None:
    """Code INPUTS (files, folders, globs, WARC/JSONL/HTML/text) with Spark into Parquet."""
    from dateline.distributed.job import build_session, run_job

    options = {"date": date, "source": source, "max_bytes": max_bytes}
    session = build_session(master)
    try:
        counts = run_job(session, list(inputs), out, options, partitions=partitions)
    finally:
        session.stop()
    click.echo(json.dumps({"out": out, "rows": counts}))


@click.command("spark-load")
@click.option("--db", "db", required=True, type=click.Path(dir_okay=False),
              help="The DuckDB store to load into (created if missing).")
@click.argument("directory")
def spark_load(db: str, directory: str) -> None:
    """Load the Parquet written by `dateline spark` into a store, skipping stored stories."""
    from dateline.distributed.load import load_parquet
    from dateline.store import StoreError

    try:
        result = load_parquet(db, directory)
    except (StoreError, FileNotFoundError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(json.dumps(result))
