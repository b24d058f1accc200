"""Tabular exports: Parquet partitioned by month (hive layout) and CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds


def write_parquet(table: pa.Table, out: str | Path) -> int:
    """Write a dataset directory partitioned by ``month=YYYY-MM`` (undated: month=unknown)."""
    month = pc.fill_null(
        pc.strftime(table["event_date"].cast(pa.timestamp("s")), format="%Y-%m"),
        "unknown") if table.num_rows else pa.array([], type=pa.string())
    table = table.append_column("month", month)
    ds.write_dataset(table, str(out), format="parquet",
                     partitioning=ds.partitioning(pa.schema([("month", pa.string())]),
                                                  flavor="hive"),
                     existing_data_behavior="overwrite_or_ignore",
                     basename_template="part-{i}.parquet")
    return table.num_rows


def write_csv(rows: Iterable[dict[str, Any]], out: str | Path) -> int:
    """Write a header and one row per event; list fields are joined with ';'."""
    n = 0
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = None
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(fh, fieldnames=list(row))
                writer.writeheader()
            writer.writerow({k: ";".join(str(x) for x in v) if isinstance(v, list) else v
                             for k, v in row.items()})
            n += 1
    return n
