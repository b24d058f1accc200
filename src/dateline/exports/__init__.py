"""Exports of a store: GDELT 2.0 events TSV, PLOVER JSONL, Parquet by month, CSV.

Each takes the canonical events that an :class:`~dateline.store.queries.EventFilter`
selects (all of them by default) and writes them to a file or directory.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dateline.store.queries import (
    _CLUSTER_COLUMNS,
    _MENTION_COLUMNS,
    EventFilter,
    _plain,
    where_clause,
)

FORMATS = ("gdelt", "plover", "parquet", "csv")


def _export_sql(f: EventFilter) -> tuple[str, list]:
    where, params = where_clause(f)
    if f.mentions:
        cols = ", ".join("e." + c for c in _MENTION_COLUMNS)
        return f"SELECT {cols} FROM events e{where} ORDER BY e.event_date NULLS LAST, e.id", \
            params
    cols = ", ".join("e." + c for c in _CLUSTER_COLUMNS)
    # IsRootEvent needs the earliest sentence offset of any mention of the event.
    sql = (f"SELECT {cols}, e.source_event_id, lead.sent_start FROM clusters e "
           "LEFT JOIN (SELECT cluster_id, min(sent_start) AS sent_start FROM events "
           "GROUP BY cluster_id) lead ON lead.cluster_id = e.id"
           f"{where} ORDER BY e.event_date NULLS LAST, e.id")
    return sql, params


def export_rows(con, f: EventFilter | None = None, batch: int = 10_000) -> Iterator[dict[str, Any]]:
    """The rows an export writes, as dicts, streamed in batches."""
    f = dataclasses.replace(f or EventFilter(), limit=None, offset=0)
    sql, params = _export_sql(f)
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    while rows := cur.fetchmany(batch):
        for row in rows:
            yield {n: _plain(v) for n, v in zip(names, row)}


def export(con, fmt: str, out: str | Path, f: EventFilter | None = None) -> int:
    """Write the selected events in ``fmt`` to ``out``; returns how many were written."""
    f = dataclasses.replace(f or EventFilter(), limit=None, offset=0)
    if fmt == "gdelt":
        from dateline.exports.gdelt import write_gdelt

        return write_gdelt(export_rows(con, dataclasses.replace(f, mentions=False)), out)
    if fmt == "plover":
        from dateline.exports.plover import write_plover

        return write_plover(export_rows(con, dataclasses.replace(f, mentions=False)), out)
    if fmt == "csv":
        from dateline.exports.tables import write_csv

        return write_csv(export_rows(con, f), out)
    if fmt == "parquet":
        from dateline.exports.tables import write_parquet

        sql, params = _export_sql(f)
        return write_parquet(con.sql(sql, params=params).to_arrow_table(), out)
    raise ValueError(f"unknown export format {fmt!r}; choose from {FORMATS}")
