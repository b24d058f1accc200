"""PLOVER and CAMEO tables, the CAMEO<->PLOVER crosswalk, Goldstein and PLOVER scores, quad classes.

The tables are data files in ``ontology/data`` (each with its source in its header);
this module only loads them, once, and answers lookups.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_DATA = resources.files("dateline.ontology") / "data"


def _rows(name: str, delimiter: str = "\t") -> list[dict[str, str]]:
    text = (_DATA / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter=delimiter))


@dataclass(frozen=True)
class EventType:
    name: str
    quad_class: int  # POLECAT quad code: 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    requires_recipient: bool
    plover_score: float


@dataclass(frozen=True)
class CrosswalkEntry:
    cameo: str
    plover: str
    mode: str | None
    contexts: tuple[str, ...]
    description: str


@lru_cache(maxsize=1)
def event_types() -> dict[str, EventType]:
    out = {}
    for row in _rows("plover_event_types.tsv"):
        out[row["EVENT_TYPE"]] = EventType(
            name=row["EVENT_TYPE"],
            quad_class=int(row["QUAD_CODE_POLECAT"]),
            requires_recipient=row["REQUIRES_RECIPIENT"] == "1",
            plover_score=float(row["PLOVER_SCORE"]),
        )
    return out


@lru_cache(maxsize=1)
def modes() -> dict[str, dict[str, float | None]]:
    """Event type -> {mode: PLOVER score or None}."""
    out: dict[str, dict[str, float | None]] = {}
    for row in _rows("plover_modes.tsv"):
        raw = (row.get("PLOVER_SCORE") or "").split(" ")[0]
        try:
            score: float | None = float(raw)
        except ValueError:
            score = None
        out.setdefault(row["EVENT_TYPE"], {})[row["MODE"]] = score
    return out


@lru_cache(maxsize=1)
def contexts() -> tuple[str, ...]:
    return tuple(r["CONTEXT"] for r in _rows("plover_contexts.txt"))


@lru_cache(maxsize=1)
def sectors() -> dict[str, str]:
    return {r["CODE"]: r["LABEL"] for r in _rows("plover_sector_codes.tsv")}


_CONTEXT_ALIASES = {"democracy": "pro-democracy", "pro_autocracy": "pro-autocracy",
                    "humanitarian": "human_security"}


@lru_cache(maxsize=1)
def crosswalk() -> dict[str, CrosswalkEntry]:
    """CAMEO code -> PLOVER type, mode and contexts (CAMEO2PLOVER-2021)."""
    known = set(contexts())
    out: dict[str, CrosswalkEntry] = {}
    text = (_DATA / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or ":" not in line:
            continue
        code, rest = line.split(":", 1)
        code = code.strip()
        body, _, desc = rest.partition("#")
        parts = [p.strip() for p in body.split(",")]
        plover = parts[0].upper()
        if plover not in event_types() or len(parts) < 2:
            continue  # root headers such as "08: CONCEDE" carry no mode/context
        mode = parts[1].strip() or None
        ctx_raw = parts[2] if len(parts) > 2 else ""
        ctxs = []
        for c in ctx_raw.replace(",", ";").split(";"):
            c = _CONTEXT_ALIASES.get(c.strip(), c.strip())
            if c in known:
                ctxs.append(c)
        if mode and mode not in modes().get(plover, {}):
            mode = None
        out[code] = CrosswalkEntry(code, plover, mode, tuple(ctxs), desc.strip())
    return out


@lru_cache(maxsize=1)
def cameo_names() -> dict[str, str]:
    return {r["CAMEOEVENTCODE"]: r["EVENTDESCRIPTION"] for r in _rows("CAMEO.eventcodes.fixed.txt")}


@lru_cache(maxsize=1)
def _goldstein() -> dict[str, float]:
    return {r["CAMEOEVENTCODE"]: float(r["GOLDSTEINSCALE"])
            for r in _rows("CAMEO.goldsteinscale.fixed.txt")}


def _nearest(table: dict, cameo: str | None):
    """The entry of a CAMEO code, else of its nearest parent code (0431 -> 043 -> 04)."""
    code = cameo or ""
    while code:
        if code in table:
            return table[code]
        code = code[:-1]
    return None


def goldstein(cameo: str | None) -> float | None:
    """Goldstein score of a CAMEO code, falling back to its parent codes."""
    return _nearest(_goldstein(), cameo)


@lru_cache(maxsize=1)
def _gdelt_quad() -> dict[str, int]:
    return {r["EVENTROOTCODE"]: int(r["GDELT_QUADCLASS"])
            for r in _rows("gdelt_quadclass_by_rootcode.tsv")}


def gdelt_quad_class(cameo: str) -> int | None:
    """QuadClass as GDELT assigns it, by CAMEO root code."""
    return _gdelt_quad().get(cameo[:2])


def quad_class(plover_type: str) -> int | None:
    et = event_types().get(plover_type)
    return et.quad_class if et else None


def plover_score(plover_type: str, mode: str | None = None) -> float | None:
    """PLOVER cooperation-conflict score (-10..10), the mode's when it has one."""
    if mode:
        score = modes().get(plover_type, {}).get(mode)
        if score is not None:
            return score
    et = event_types().get(plover_type)
    return et.plover_score if et else None


@lru_cache(maxsize=1)
def _default_cameo() -> dict[tuple[str, str | None], str]:
    """(PLOVER type, mode) -> the most general CAMEO code that maps to it."""
    out: dict[tuple[str, str | None], str] = {}
    # Prefer the "not specified" codes (x0 / xx0) over narrower siblings.
    def generality(code: str) -> tuple[int, int, str]:
        return (len(code), 0 if code.endswith("0") else 1, code)

    for code, entry in sorted(crosswalk().items(), key=lambda kv: generality(kv[0])):
        out.setdefault((entry.plover, entry.mode), code)
        out.setdefault((entry.plover, None), code)
    return out


# Where the most general crosswalk code is a narrower act than the type's plain sense.
_TYPE_CAMEO = {"ACCUSE": "112"}


def cameo_for(plover_type: str, mode: str | None = None) -> str | None:
    """A CAMEO code for a PLOVER type and mode (most general match)."""
    table = _default_cameo()
    if mode is None and plover_type in _TYPE_CAMEO:
        return _TYPE_CAMEO[plover_type]
    return table.get((plover_type, mode)) or table.get((plover_type, None))


def plover_for(cameo: str) -> CrosswalkEntry | None:
    """The PLOVER entry of a CAMEO code, falling back to its parent codes."""
    return _nearest(crosswalk(), cameo)


@lru_cache(maxsize=1)
def fips_to_iso3() -> dict[str, str]:
    return {r["FIPS"]: r["ISO3"] for r in _rows("FIPS10-4_to_ISO.tsv")}


@lru_cache(maxsize=1)
def iso3_to_fips() -> dict[str, str]:
    return {iso: fips for fips, iso in fips_to_iso3().items() if iso}
