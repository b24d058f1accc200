"""PLOVER JSONL export: one canonical event per line, with POLECAT's field names.

Using POLECAT's column names (ontology/data/POLECAT_columns.tsv) lets the same reader
load a POLECAT release and a dateline export, so the two compare in one query.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dateline.store.dedup import place_level

VERSION = "dateline-plover-1"


def _join(values: list[str] | None) -> str | None:
    values = [v for v in values or [] if v]
    return ";".join(values) if values else None


def plover_record(row: dict[str, Any]) -> dict[str, Any]:
    """A POLECAT-style record of one canonical event row (from queries.select_events)."""
    level = place_level(row.get("location_name"), row.get("location_country"),
                        row.get("location_admin1"))
    has_place = bool(row.get("location_name") or row.get("location_country"))
    return {
        "Event ID": row["id"],
        "Event Date": row.get("date") or row.get("event_date"),
        "Event Type": (row.get("type") or "").lower() or None,
        "Event Mode": row.get("mode"),
        "Event Intensity": row.get("plover_score"),
        "Quad Code": row.get("quad_class"),
        "Contexts": _join(row.get("contexts")),
        "Actor Name": row.get("actor1_name"),
        "Actor Country": row.get("actor1_country"),
        "Primary Actor Sector": row.get("actor1_sector"),
        "Recipient Name": row.get("actor2_name"),
        "Recipient Country": row.get("actor2_country"),
        "Primary Recipient Sector": row.get("actor2_sector"),
        "Placename": row.get("location_name"),
        "City": row.get("location_name") if has_place and level == "city" else None,
        "Province": row.get("location_admin1"),
        "Country": row.get("location_country"),
        "Latitude": row.get("lat"),
        "Longitude": row.get("lon"),
        "GeoNames ID": row.get("geonameid"),
        "Feature Type": level if has_place else None,
        "Source": row.get("source"),
        "Publication Date": row.get("first_seen"),
        "Language": "en",
        "Version": VERSION,
        # dateline's own fields: how often reported, and the evidence to check it
        "Date Precision": row.get("date_precision"),
        "CAMEO Code": row.get("cameo"),
        "Goldstein": row.get("goldstein"),
        "Num Mentions": row.get("num_mentions"),
        "Num Sources": row.get("num_sources"),
        "Num Stories": row.get("num_stories"),
        "Negated": row.get("negated"), "Hypothetical": row.get("hypothetical"),
        "Future": row.get("future"),
        "Evidence": row.get("sentence"),
        "Trigger": row.get("trigger"),
        "URL": row.get("url"),
        "Origin": row.get("origin"),
    }


def write_plover(rows: Iterable[dict[str, Any]], out: str | Path) -> int:
    """Write one JSON object per line; returns the count."""
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(plover_record(row), ensure_ascii=False) + "\n")
            n += 1
    return n
