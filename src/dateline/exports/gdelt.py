"""GDELT 2.0 events export: one tab-separated line of 61 fields per canonical event.

Columns follow ontology/data/gdelt2_events_columns.tsv. Codes are CAMEO (actor country,
known group, type; event code) and FIPS 10-4 (geography), as GDELT writes them. AvgTone
is empty: dateline does not compute tone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from dateline import ontology

# PLOVER sector -> CAMEO type where the two codebooks differ (PLOVER MED is health,
# CAMEO MED is media; PLOVER JRN is media).
_SECTOR_TO_CAMEO = {"MED": "HLH", "JRN": "MED", "ISM": "INT", "PTY": "OPP", "SOC": "NGM",
                    "PRM": "MIL"}
# Codes of international actors that GDELT puts in the type slot, not the country slot.
_GROUP_TYPES = {"IGO", "NGO", "MNC", "IMG", "INT", "NGM", "UNO", "PKO"}
LEAD_CHARS = 400  # a mention whose sentence starts this early counts as the lead (IsRootEvent)


@lru_cache(maxsize=1)
def columns() -> list[str]:
    """The 61 GDELT 2.0 event column names, in order."""
    return [r["COLUMN"] for r in ontology._rows("gdelt2_events_columns.tsv")]


@lru_cache(maxsize=1)
def cameo_countries() -> set[str]:
    return {r["CODE"] for r in ontology._rows("CAMEO.country.txt")}


@lru_cache(maxsize=1)
def cameo_types() -> set[str]:
    return {r["CODE"] for r in ontology._rows("CAMEO.type.txt")}


@lru_cache(maxsize=1)
def cameo_known_groups() -> set[str]:
    return {r["CODE"] for r in ontology._rows("CAMEO.knowngroup.txt")}


@lru_cache(maxsize=1)
def fips_names() -> dict[str, str]:
    return {r["FIPS"]: r["NAME"] for r in ontology._rows("FIPS10-4_to_ISO.tsv")}


def global_event_id(cluster_id: str, source_event_id: str | None = None) -> int:
    """A stable positive integer id: GDELT's own for GDELT rows, else from the cluster id."""
    if source_event_id and str(source_event_id).isdigit():
        return int(source_event_id)
    digest = hashlib.sha256(cluster_id.encode("utf-8")).hexdigest()
    return int(digest[:15], 16)  # < 2**60: fits GDELT's (and every tool's) int64


def actor_fields(country: str | None, sector: str | None, name: str | None) -> list[str]:
    """Code, Name, CountryCode, KnownGroupCode, EthnicCode, Religion1, Religion2, Type1..3."""
    country = (country or "").upper() or None
    sector = (sector or "").upper() or None
    code_country = known = ""
    types: list[str] = []
    if country in _GROUP_TYPES or (country and country not in cameo_countries()
                                   and country in cameo_types()):
        types.append(country)
        if country in cameo_known_groups():
            known = country
    elif country in cameo_known_groups():
        known = country
    elif country in cameo_countries():
        code_country = country
    if sector:
        mapped = _SECTOR_TO_CAMEO.get(sector, sector)
        if mapped in cameo_types() and mapped not in types:
            types.append(mapped)
    head = code_country or known or (types[0] if types else "")
    code = head + "".join(t for t in types if t != head)
    types += ["", "", ""]
    return [code, (name or "").upper() if code else "", code_country, known, "", "", "",
            types[0], types[1], types[2]]


def _geo(row: dict[str, Any]) -> list[str]:
    """ActionGeo: Type, Fullname, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID."""
    iso = row.get("location_country")
    name = row.get("location_name")
    if not iso and not name:
        return ["0", "", "", "", "", "", "", ""]
    fips = ontology.iso3_to_fips().get(iso or "", "")
    country_name = fips_names().get(fips, "")
    from dateline.store.dedup import place_level

    level = place_level(name, iso, row.get("location_admin1"))
    us = fips == "US"
    geo_type = {"country": 1, "admin1": 2 if us else 5}.get(level, 3 if us else 4)
    parts = [p for p in (name if level != "country" else None,
                         row.get("location_admin1") if level == "city" else None,
                         country_name or iso) if p]
    lat, lon = row.get("lat"), row.get("lon")
    feature = str(row.get("geonameid") or "") if level != "country" else fips
    return [str(geo_type), ", ".join(parts), fips, fips, "",
            _num(lat), _num(lon), feature]


def _num(value: Any) -> str:
    if value is None:
        return ""
    return f"{float(value):.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def gdelt_fields(row: dict[str, Any]) -> list[str]:
    """The 61 fields of one canonical event row (a dict from queries.select_events)."""
    day = row.get("event_date")
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    code = row.get("cameo") or ontology.cameo_for(row.get("type") or "", row.get("mode")) or ""
    base = code[:3] if len(code) > 3 else code
    root = code[:2]
    quad = ontology.gdelt_quad_class(code) if code else None
    goldstein = ontology.goldstein(code) if code else None
    first_seen = row.get("first_seen") or (day.isoformat() if day else "")
    added = first_seen.replace("-", "") + "000000" if first_seen else ""
    lead = row.get("sent_start")
    fields = [
        str(global_event_id(row["id"], row.get("source_event_id"))),
        day.strftime("%Y%m%d") if day else "",
        day.strftime("%Y%m") if day else "",
        str(day.year) if day else "",
        f"{day.year + (day.month * 30 + day.day) / 365:.4f}" if day else "",
        *actor_fields(row.get("actor1_country"), row.get("actor1_sector"),
                      row.get("actor1_name")),
        *actor_fields(row.get("actor2_country"), row.get("actor2_sector"),
                      row.get("actor2_name")),
        "1" if lead is not None and lead < LEAD_CHARS else "0",
        code, base, root,
        str(quad) if quad else "",
        _num(goldstein),
        str(row.get("num_mentions") or 1), str(row.get("num_sources") or 1),
        str(row.get("num_stories") or 1),
        "",  # AvgTone: not computed
        *(["0", "", "", "", "", "", "", ""] * 2),  # Actor1Geo, Actor2Geo: not resolved
        *_geo(row),
        added,
        _clean(row.get("url") or row.get("source") or ""),
    ]
    return fields


def _clean(text: str) -> str:
    """Tabs and newlines would break the TSV: fold them into spaces."""
    return " ".join(str(text).split())


def gdelt_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield "\t".join(_clean(f) for f in gdelt_fields(row))


def write_gdelt(rows: Iterable[dict[str, Any]], out: str | Path) -> int:
    """Write GDELT 2.0 event lines (no header, as GDELT publishes them); returns the count."""
    n = 0
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for line in gdelt_lines(rows):
            fh.write(line + "\n")
            n += 1
    return n
