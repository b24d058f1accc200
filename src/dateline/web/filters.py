"""Request parameters -> a validated :class:`dateline.store.queries.EventFilter`.

Parameter names are those of `dateline events` (actor, sector, dyad, directed, type, mode,
quad_class, context, since, until, place, country, include_modal, origin, mentions); the
SQL comes from ``queries.where_clause`` so the dashboard and the CLI select the same rows.
The dashboard shows dateline's own events unless ``origin`` says otherwise.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from dateline.records import PLOVER_TYPES
from dateline.store.queries import ORIGINS, EventFilter, QueryError, parse_bound

FILTER_KEYS = ("actor", "sector", "dyad", "directed", "type", "mode", "quad_class", "context",
               "since", "until", "place", "country", "include_modal", "origin", "mentions")
_CODE3 = re.compile(r"^[A-Z]{3}$")


class FilterError(ValueError):
    """A filter value that makes no sense, said in words."""


def parse_filter(query: dict[str, str]) -> EventFilter:
    """Validate request parameters into an EventFilter (raises FilterError)."""
    clean: dict[str, Any] = {}
    for key in FILTER_KEYS:
        value = (query.get(key) or "").strip()
        if value:
            clean[key] = value[:100]
    for key in ("actor", "country"):
        if key in clean:
            clean[key] = clean[key].upper()
            if not _CODE3.match(clean[key]):
                raise FilterError(f"{key} must be a three-letter code (got {clean[key][:20]!r})")
    if "sector" in clean:
        clean["sector"] = clean["sector"].upper()
    if "dyad" in clean:
        clean["dyad"] = clean["dyad"].upper()
        if not re.fullmatch(r"[A-Z]{3}-[A-Z]{3}", clean["dyad"]):
            raise FilterError(f"dyad must look like MEX-USA (got {clean['dyad'][:20]!r})")
    if "type" in clean:
        clean["type"] = clean["type"].upper()
        if clean["type"] not in PLOVER_TYPES:
            raise FilterError(f"unknown PLOVER event type {clean['type'][:20]!r}")
    if "quad_class" in clean and clean["quad_class"] not in ("1", "2", "3", "4"):
        raise FilterError("quad_class must be 1, 2, 3 or 4")
    clean["origin"] = clean.get("origin", "dateline").lower()
    if clean["origin"] not in ORIGINS:
        raise FilterError("origin must be one of " + ", ".join(ORIGINS))
    try:
        for key in ("since", "until"):
            if key in clean:
                parse_bound(clean[key], end=key == "until")
        return EventFilter.from_mapping(clean)
    except (QueryError, ValueError) as err:
        raise FilterError(str(err)) from err


def filter_query(f: EventFilter) -> dict[str, str]:
    """The filter's non-default values as request parameters (for links and the JSON twin)."""
    out: dict[str, str] = {}
    for key in FILTER_KEYS:
        value = getattr(f, key)
        if value in (None, False, "", []) or (key == "origin" and value == "dateline"):
            continue
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        out[key] = "1" if value is True else str(value)
    return out


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    from dateline.web.connection import tables
    return name in tables(con)


def has_clusters(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether canonical events exist (a clusters table that is filled, or nothing at all)."""
    from dateline.web.connection import remembered
    if not has_table(con, "clusters"):
        return False
    return remembered(con, "has_clusters", lambda: bool(con.execute(
        "SELECT EXISTS (SELECT 1 FROM clusters) OR NOT EXISTS (SELECT 1 FROM events)"
    ).fetchone()[0]))


def source_table(con: duckdb.DuckDBPyConnection, f: EventFilter) -> str:
    """clusters (canonical events) unless mentions were asked for or the store has none."""
    if not f.mentions and not has_clusters(con):
        f.mentions = True  # a store written before dedup existed: mentions are all we have
    return "events" if f.mentions else "clusters"
