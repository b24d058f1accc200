"""Cross-story deduplication: mentions of one real happening become one canonical event.

Two mentions may merge only when every field agrees under an explicit rule (see
:func:`compare`): same origin, both factual, same PLOVER type, compatible modes, the same
parties, compatible dates and compatible places. Clusters are complete-link (a mention
joins a cluster only if it is compatible with every member), built in a fixed order so
the result and the cluster ids depend on the set of mentions, never on arrival order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import duckdb
import pyarrow as pa

# Types whose parties act together (a meeting, an agreement, joint work): who is named
# first is a matter of wording, so their parties are compared as an unordered set.
RECIPROCAL_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
DAY_WINDOW = 1  # day-precise dates may differ by this many days (time zones, "late Friday")
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
_LEVEL_RANK = {"city": 0, "admin1": 1, "country": 2}

MERGE_RULE = (
    "Two mentions are the same event when: same origin (dateline); both factual (not "
    "negated, hypothetical or future); same PLOVER type; same mode or one unknown; the same "
    "parties (country and sector of actors and recipients; unordered for "
    f"{', '.join(sorted(RECIPROCAL_TYPES))}; a sector or recipient unknown on one side is "
    "compatible, as is civilians (CVL) against a more precise sector of the same country; a "
    "party of unknown country stands in for a country the other side names when its sector "
    "fits, a party with nothing known for any, as does the unnamed second party of a "
    f"{'/'.join(sorted(RECIPROCAL_TYPES))} that names one); "
    f"dates within {DAY_WINDOW} day at day precision, or inside the other's month "
    "or year; places the same, one unknown, or one inside the other (city in its admin1 or "
    "country). A mention joins a cluster only when it matches every member."
)

Party = tuple[str | None, str | None]  # (country, sector)
# A party whose country and sector are both unknown ("a man", an unresolved name) can be
# any party of the other report: it stands in for a country the other side names.
ANY = "?"
# The sector the coder gives people it cannot place more precisely ("ten men"): compatible
# with any sector of the same country on the other side ("ten gang members": CRM).
GENERIC_SECTORS = frozenset({"CVL"})


@dataclass(frozen=True)
class Place:
    name: str | None
    country: str | None
    admin1: str | None
    geonameid: int | None
    level: str  # city | admin1 | country


class Mention:
    """The fields of one stored event mention that dedup compares.

    A plain slotted class (not a dataclass): a rebuild creates one per stored mention.
    """

    __slots__ = (
        "actors",
        "block",
        "day",
        "doc_id",
        "factual",
        "id",
        "mode",
        "origin",
        "place",
        "precision",
        "rank",
        "recip_sig",
        "recip_wild",
        "recipients",
        "sig",
        "source",
        "title",
        "type",
        "wild",
    )

    def __init__(self, id: str, doc_id: str, origin: str, type: str | None,
                 mode: str | None, factual: bool, precision: str | None, day: dt.date | None,
                 actors: tuple[Party, ...] = (), recipients: tuple[Party, ...] = (),
                 place: Place | None = None, title: str | None = None,
                 source: str | None = None) -> None:
        self.id, self.doc_id, self.origin, self.type, self.mode = id, doc_id, origin, type, mode
        self.factual, self.precision, self.day = factual, precision, day
        self.actors, self.recipients, self.place = actors, recipients, place
        self.title, self.source = title, source
        # precision None means the story date stands in: compared like a day.
        self.rank = _PRECISION_RANK.get(precision or "", 0)
        self.sig, self.wild, self.recip_sig, self.recip_wild = _sides(
            actors, recipients, type in RECIPROCAL_TYPES)
        self.block = block_key(self)

    def order_key(self) -> tuple:
        """Dedup order: precise dates first, then earliest, then smallest id."""
        return (self.rank, self.day or dt.date.max, self.id)


@dataclass
class FieldCheck:
    """One field of a pairwise comparison: the two values, the verdict and why."""

    field: str
    left: Any
    right: Any
    ok: bool
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "left": _jsonable(self.left), "right": _jsonable(self.right),
                "ok": self.ok, "why": self.why}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Place):
        return {"name": value.name, "country": value.country, "admin1": value.admin1,
                "geonameid": value.geonameid, "level": value.level}
    return value


# --- places -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _country_names() -> dict[str, set[str]]:
    """ISO3 -> lower-cased names that denote the whole country."""
    from dateline.ontology import _rows

    out: dict[str, set[str]] = defaultdict(set)
    for row in _rows("FIPS10-4_to_ISO.tsv"):
        iso = row.get("ISO3") or ""
        if iso:
            out[iso].update({iso.lower(), (row.get("NAME") or "").lower(),
                             (row.get("ISO2") or "").lower()})
    for iso, names in _COUNTRY_ALIASES.items():
        out[iso].update(names)
    return out


_COUNTRY_ALIASES = {
    "USA": {"us", "u.s.", "united states of america", "america"},
    "GBR": {"uk", "u.k.", "britain", "great britain"},
    "RUS": {"russian federation"},
    "KOR": {"south korea"},
    "PRK": {"north korea"},
}


def _norm(text: str | None) -> str:
    text = (text or "").strip().lower()
    return text.removeprefix("the ")


def place_level(name: str | None, country: str | None, admin1: str | None) -> str:
    """Whether a place names a whole country, a first-level division, or a city/site."""
    n = _norm(name)
    if country and (n in _country_names().get(country, set()) or n == ""):
        return "country"
    if admin1 and n == _norm(admin1):
        return "admin1"
    return "city"


def compare_places(a: Place | None, b: Place | None) -> FieldCheck:
    if a is None or b is None:
        return FieldCheck("place", a, b, True, "place unknown on one side")
    if a.country and b.country and a.country != b.country:
        return FieldCheck("place", a, b, False, f"different countries {a.country} / {b.country}")
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return FieldCheck("place", a, b, True, f"same place (geonameid {a.geonameid})")
    if _norm(a.name) == _norm(b.name) and a.level == b.level:
        return FieldCheck("place", a, b, True, f"same place name {a.name!r}")
    country = a.country or b.country
    wide, narrow = (a, b) if _LEVEL_RANK[a.level] >= _LEVEL_RANK[b.level] else (b, a)
    if wide.level == "country" and narrow.level != "country":
        return FieldCheck("place", a, b, True, f"{narrow.name} lies in {wide.name} ({country})")
    if wide.level == "admin1" and narrow.level == "city":
        if narrow.admin1 and _norm(narrow.admin1) == _norm(wide.name):
            return FieldCheck("place", a, b, True, f"{narrow.name} lies in {wide.name}")
        return FieldCheck("place", a, b, False,
                          f"{narrow.name} is not known to lie in {wide.name}")
    return FieldCheck("place", a, b, False, f"different places {a.name!r} / {b.name!r}")


# --- parties ----------------------------------------------------------------------------

def _side(parties: tuple[Party, ...]) -> tuple[dict[str, set[str]], set[str]]:
    """Known country -> its parties' known sectors, and the sectors of parties whose country
    is unknown ("police", "the government"; ANY for a party with nothing known)."""
    known: dict[str, set[str]] = {}
    wild: set[str] = set()
    for country, sector in parties:
        if country is None:
            wild.add(sector or ANY)
            continue
        sectors = known.get(country)
        if sectors is None:
            sectors = known[country] = set()
        if sector:
            sectors.add(sector)
    return known, wild


@lru_cache(maxsize=262144)
def _sides(actors: tuple[Party, ...], recipients: tuple[Party, ...], reciprocal: bool) -> tuple:
    """(sig, wild, recip_sig, recip_wild) of a mention's parties; shared, never mutated."""
    if reciprocal:
        parties = actors + recipients
        known, wild = _side(parties)
        if len(set(parties)) == 1 and (None, None) not in parties:
            # A meeting, agreement or joint act takes two parties: a report naming only
            # one leaves the other unknown, not absent.
            wild = wild | {ANY}
        return known, wild, {}, set()
    return (*_side(actors), *_side(recipients))


def _side_check(ka: dict[str, set[str]], wa: set[str], kb: dict[str, set[str]], wb: set[str],
                what: str, unknown_ok: bool, explain: bool = False) -> tuple[bool, str]:
    """Whether two sides (actors, recipients, or all parties) can be the same parties.

    Countries must match; a party of unknown country stands in for a country the other side
    names when its sector fits; a sector unknown on one side is compatible.
    """
    empty_a, empty_b = not ka and not wa, not kb and not wb
    if empty_a or empty_b:
        if empty_a and empty_b:
            return True, f"no {what} on either side"
        if unknown_ok:
            return True, f"{what} unknown on one side"
        return False, f"{what} known on one side only"
    notes: list[str] = []
    for known, wild_other, other in ((ka, wb, kb), (kb, wa, ka)):
        for country, sectors in known.items():
            theirs = other.get(country)
            if theirs is None:
                fill = sorted(w for w in wild_other if w == ANY or not sectors or w in sectors)
                if not fill:
                    return False, (f"{what}: {country} is not on the other side" if explain
                                   else "")
                if explain:
                    notes.append(f"{country} matches a party of unknown country "
                                 f"({'nothing known' if fill[0] == ANY else fill[0]})")
            elif known is ka and sectors != theirs:
                mine, yours = sectors - GENERIC_SECTORS, theirs - GENERIC_SECTORS
                if mine and yours and mine != yours:
                    return False, (f"{what} sectors of {country} differ: {sorted(sectors)} / "
                                   f"{sorted(theirs)}" if explain else "")
                if explain:
                    notes.append(f"{country} sector unknown on one side" if not sectors
                                 or not theirs else f"{country}: civilians (CVL) on one side, "
                                 f"{sorted(sectors | theirs)} together")
    if not ka and not kb and not (wa & wb or ANY in wa or ANY in wb):
        return False, (f"{what}: no country known and sectors differ: {sorted(wa)} / "
                       f"{sorted(wb)}" if explain else "")
    if not explain:
        return True, ""
    names = sorted(set(ka) | set(kb)) or sorted(wa & wb)
    return True, f"same {what} {names}" + (f" ({'; '.join(notes)})" if notes else "")


def compare_parties(a: Mention, b: Mention) -> FieldCheck:
    left, right = (a.actors, a.recipients), (b.actors, b.recipients)
    if a.type in RECIPROCAL_TYPES:
        ok, why = _side_check(a.sig, a.wild, b.sig, b.wild, "parties (unordered)",
                              unknown_ok=False, explain=True)
        return FieldCheck("parties", left, right, ok, why)
    ok, why = _side_check(a.sig, a.wild, b.sig, b.wild, "actors", unknown_ok=False,
                          explain=True)
    if not ok:
        return FieldCheck("parties", left, right, False, why)
    ok2, why2 = _side_check(a.recip_sig, a.recip_wild, b.recip_sig, b.recip_wild,
                            "recipients", unknown_ok=True, explain=True)
    return FieldCheck("parties", left, right, ok2, f"{why}; {why2}")


# --- dates ------------------------------------------------------------------------------

def compare_dates(a: Mention, b: Mention) -> FieldCheck:
    left, right = (a.day, a.precision), (b.day, b.precision)
    if a.day is None or b.day is None:
        return FieldCheck("date", left, right, False, "date unknown")
    coarse = max(a.rank, b.rank)
    if coarse == 0:
        gap = abs((a.day - b.day).days)
        ok = gap <= DAY_WINDOW
        what = "event dates" if a.precision and b.precision else "dates (story date stands in)"
        return FieldCheck("date", left, right, ok,
                          f"{what} {gap} day(s) apart ({'<=' if ok else '>'} {DAY_WINDOW})")
    if coarse == 1:
        ok = (a.day.year, a.day.month) == (b.day.year, b.day.month)
        return FieldCheck("date", left, right, ok,
                          "same month" if ok else "different months")
    ok = a.day.year == b.day.year
    return FieldCheck("date", left, right, ok, "same year" if ok else "different years")


# --- the rule ---------------------------------------------------------------------------

def compare(a: Mention, b: Mention) -> list[FieldCheck]:
    """Field-by-field verdict on whether two mentions report the same happening."""
    checks = [
        FieldCheck("origin", a.origin, b.origin, a.origin == b.origin == "dateline",
                   "both coded by dateline" if a.origin == b.origin == "dateline"
                   else "imported datasets are merged by their publishers, not by us"),
        FieldCheck("modality", a.factual, b.factual, a.factual and b.factual,
                   "both factual" if a.factual and b.factual
                   else "negated, hypothetical or future mentions never merge"),
        FieldCheck("type", a.type, b.type, a.type is not None and a.type == b.type,
                   "same PLOVER type" if a.type == b.type else "different PLOVER types"),
    ]
    mode_ok = a.mode is None or b.mode is None or a.mode == b.mode
    checks.append(FieldCheck("mode", a.mode, b.mode, mode_ok,
                             "same mode" if a.mode == b.mode and a.mode
                             else "modes unknown" if a.mode is None and b.mode is None
                             else "mode unknown on one side" if mode_ok else "different modes"))
    checks.append(compare_parties(a, b))
    checks.append(compare_dates(a, b))
    checks.append(compare_places(a.place, b.place))
    return checks


def compatible(a: Mention, b: Mention) -> bool:
    """True when every field of :func:`compare` agrees (the same rule, without the prose)."""
    if a.block != b.block or a.block.startswith("single:"):
        return False  # origin, modality or type differ
    if a.mode is not None and b.mode is not None and a.mode != b.mode:
        return False
    if not _dates_ok(a, b) or not _places_ok(a.place, b.place):
        return False
    if not _side_check(a.sig, a.wild, b.sig, b.wild, "", unknown_ok=False)[0]:
        return False
    if a.type in RECIPROCAL_TYPES:
        return True
    return _side_check(a.recip_sig, a.recip_wild, b.recip_sig, b.recip_wild, "",
                       unknown_ok=True)[0]


def _dates_ok(a: Mention, b: Mention) -> bool:
    if a.day is None or b.day is None:
        return False
    coarse = max(a.rank, b.rank)
    if coarse == 0:
        return abs(a.day.toordinal() - b.day.toordinal()) <= DAY_WINDOW
    if coarse == 1:
        return a.day.year == b.day.year and a.day.month == b.day.month
    return a.day.year == b.day.year


def _places_ok(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None or a is b:
        return True
    return compare_places(a, b).ok


def block_key(m: Mention) -> str:
    """Mentions that could ever merge share a block key (the cheap part of the rule)."""
    if m.origin != "dateline" or not m.factual or m.type is None:
        return f"single:{m.id}"
    return f"dateline|{m.type}"


def _tokens(m: Mention) -> list[str]:
    """Index tokens of a mention: its known acting countries, '*' for unknown ones."""
    tokens = list(m.sig)
    if m.wild or not m.sig:
        tokens.append("*")
    return tokens


def cluster_mentions(mentions: list[Mention]) -> list[list[Mention]]:
    """Complete-link greedy clustering in dedup order; each cluster's first member is its seed.

    Candidate clusters are found through an index of their members' days, months and years
    (a compatible cluster must hold a member within the date window), so the work per
    mention stays small however large a block grows.
    """
    blocks: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        blocks[m.block].append(m)
    out: list[list[Mention]] = []
    for key in sorted(blocks):
        members = sorted(blocks[key], key=Mention.order_key)
        if key.startswith("single:") or len(members) == 1:
            out.extend([m] for m in members)
            continue
        clusters: list[list[Mention]] = []
        index: dict[tuple, set[int]] = defaultdict(set)
        for m in members:
            best, best_key = None, None
            if m.day is not None:
                for c in _candidates(m, index):
                    cluster = clusters[c]
                    if all(compatible(m, other) for other in cluster):
                        seed = cluster[0]
                        cand = (abs(m.day.toordinal() - seed.day.toordinal()), seed.id)
                        if best_key is None or cand < best_key:
                            best, best_key = c, cand
            if best is None:
                clusters.append([m])
                best = len(clusters) - 1
            else:
                clusters[best].append(m)
            if m.day is not None:
                day = m.day
                for token in [*_tokens(m), "all"]:
                    for k in (("d", day.toordinal(), token), ("m", day.year, day.month, token),
                              ("y", day.year, token)):
                        index[k].add(best)
        out.extend(clusters)
    return out


def _candidates(m: Mention, index: dict[tuple, set[int]]) -> list[int]:
    """Clusters holding a member in m's date window that shares a country with m, or has a
    party of unknown country (every cluster when m names no country)."""
    day = m.day
    tokens = [*m.sig, "*"] if m.sig else ["all"]
    if m.rank == 0:
        ordinal = day.toordinal()
        keys = [("d", d, t) for d in range(ordinal - DAY_WINDOW, ordinal + DAY_WINDOW + 1)
                for t in tokens]
    elif m.rank == 1:
        keys = [("m", day.year, day.month, t) for t in tokens]
    else:
        keys = [("y", day.year, t) for t in tokens]
    return sorted({c for k in keys for c in index.get(k, ())})


def location_member(cluster: list[Mention]) -> Mention:
    """The member with the most specific place (city over admin1 over country over none)."""
    def key(m: Mention) -> tuple:
        rank = _LEVEL_RANK[m.place.level] if m.place else 9
        return (rank, m.order_key())
    return min(cluster, key=key)


# --- loading from the store -------------------------------------------------------------

@contextmanager
def registered(con, **tables: pa.Table) -> Iterator[None]:
    """Arrow tables visible to SQL by name for the duration of the block."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            # An aborted transaction refuses to unregister; the caller's error matters more.
            with suppress(duckdb.Error):
                con.unregister(name)


def _ids_table(ids) -> pa.Table:
    return pa.table({"id": pa.array(sorted(set(ids)), type=pa.string())})


_MENTION_SQL = """
SELECT e.id, e.doc_id, e.origin, e.type, e.mode,
       NOT (coalesce(e.negated, false) OR coalesce(e.hypothetical, false)
            OR coalesce(e.future, false)) AS factual,
       e.date_precision, e.event_date, d.published,
       e.location_name, e.location_country, e.location_admin1, e.geonameid,
       e.actor1_country, e.actor1_sector, e.actor2_country, e.actor2_sector,
       ea.parties{extra}
FROM events e
{join}
LEFT JOIN documents d ON d.id = e.doc_id
LEFT JOIN (
    -- "aUSA/GOV|rMEX/": role initial, country, sector; compact to fetch and to parse
    SELECT a.event_id, string_agg(left(a.role, 1) || coalesce(a.country, '') || '/'
                                  || coalesce(a.sector, ''), '|' ORDER BY a.role, a.position)
               AS parties
    FROM event_actors a {join_actors}
    GROUP BY a.event_id
) ea ON ea.event_id = e.id
"""


@lru_cache(maxsize=65536)
def _place(name: str | None, country: str | None, admin1: str | None,
           geonameid: int | None) -> Place:
    return Place(name, country, admin1, geonameid, place_level(name, country, admin1))


@lru_cache(maxsize=131072)
def _parse_parties(text: str) -> tuple[tuple[Party, ...], tuple[Party, ...]]:
    actors, recipients = [], []
    for part in text.split("|"):
        country, _, sector = part[1:].partition("/")
        (actors if part[0] == "a" else recipients).append((country or None, sector or None))
    return tuple(actors), tuple(recipients)


def _mention_from_row(row: tuple) -> Mention:
    (eid, doc_id, origin, etype, mode, factual, precision, event_date, published,
     lname, lcountry, ladmin1, geonameid, a1c, a1s, a2c, a2s, parties, *extra) = row
    if parties:
        actors, recipients = _parse_parties(parties)
    else:
        actors = ((a1c or None, a1s or None),) if (a1c or a1s) else ()
        recipients = ((a2c or None, a2s or None),) if (a2c or a2s) else ()
    place = _place(lname, lcountry, ladmin1, geonameid) if (lname or lcountry) else None
    day = event_date
    if day is None:
        precision = None
        day = published
    elif precision not in _PRECISION_RANK:
        precision = "day"
    title, source = extra if extra else (None, None)
    return Mention(id=eid, doc_id=doc_id, origin=origin or "dateline", type=etype, mode=mode,
                   factual=bool(factual), precision=precision, day=day, actors=actors,
                   recipients=recipients, place=place, title=title, source=source)


def load_mentions(con, ids: list[str] | None, with_story: bool = False) -> list[Mention]:
    """The dedup view of the given stored event mentions (``None``: all of them)."""
    extra = ", d.title, coalesce(d.source, e.source) AS source" if with_story else ""
    if ids is None:
        sql = _MENTION_SQL.format(extra=extra, join="", join_actors="")
        return [_mention_from_row(r) for r in con.execute(sql).fetchall()]
    if not ids:
        return []
    name = "_dl_dedup_ids"
    sql = _MENTION_SQL.format(extra=extra, join=f"JOIN {name} w ON w.id = e.id",
                              join_actors=f"JOIN {name} w2 ON w2.id = a.event_id")
    with registered(con, **{name: _ids_table(ids)}):
        rows = con.execute(sql).fetchall()
    return [_mention_from_row(r) for r in rows]


# --- writing clusters -------------------------------------------------------------------

# Per event: its parties' countries by role, codes, sectors, and how many; read by both
# statements below.
_PARTY_CTES = """pa0 AS (
    -- A list of at most two distinct values is its min and max: most events have one actor and
    -- one recipient, and min/max aggregate far faster than lists.
    SELECT a.event_id, count(*) AS n_parties,
           count(*) FILTER (WHERE a.role = 'actor') AS n_act,
           count(a.country) FILTER (WHERE a.role = 'actor') AS ac_n,
           min(a.country) FILTER (WHERE a.role = 'actor') AS ac_lo,
           max(a.country) FILTER (WHERE a.role = 'actor') AS ac_hi,
           count(*) FILTER (WHERE a.role = 'recipient') AS n_rec,
           count(a.country) FILTER (WHERE a.role = 'recipient') AS rc_n,
           min(a.country) FILTER (WHERE a.role = 'recipient') AS rc_lo,
           max(a.country) FILTER (WHERE a.role = 'recipient') AS rc_hi,
           count(a.code) AS cd_n, min(a.code) AS cd_lo, max(a.code) AS cd_hi,
           count(a.sector) AS sc_n, min(a.sector) AS sc_lo, max(a.sector) AS sc_hi
    FROM {actors} a JOIN {cids} c ON a.event_id = c.id
    GROUP BY a.event_id
), big AS (
    SELECT a.event_id,
           list_sort(list_distinct(list(a.country) FILTER (WHERE a.role = 'actor')))
               AS actor_countries,
           list_sort(list_distinct(list(a.country) FILTER (WHERE a.role = 'recipient')))
               AS recipient_countries,
           list_sort(list_distinct(list(a.code))) AS party_codes,
           list_sort(list_distinct(list(a.sector))) AS party_sectors
    FROM {actors} a
    SEMI JOIN (SELECT event_id FROM pa0 WHERE greatest(ac_n, rc_n, cd_n, sc_n) > 2) b
        ON b.event_id = a.event_id
    GROUP BY a.event_id
), pa AS (
    SELECT p.event_id, p.n_parties,
           CASE WHEN p.n_act = 0 THEN NULL WHEN p.ac_n > 2 THEN big.actor_countries
                WHEN p.ac_n = 0 THEN []::VARCHAR[] WHEN p.ac_lo = p.ac_hi THEN [p.ac_lo]
                ELSE [p.ac_lo, p.ac_hi] END AS actor_countries,
           CASE WHEN p.n_rec = 0 THEN NULL WHEN p.rc_n > 2 THEN big.recipient_countries
                WHEN p.rc_n = 0 THEN []::VARCHAR[] WHEN p.rc_lo = p.rc_hi THEN [p.rc_lo]
                ELSE [p.rc_lo, p.rc_hi] END AS recipient_countries,
           CASE WHEN p.cd_n > 2 THEN big.party_codes WHEN p.cd_n = 0 THEN []::VARCHAR[]
                WHEN p.cd_lo = p.cd_hi THEN [p.cd_lo] ELSE [p.cd_lo, p.cd_hi] END
               AS party_codes,
           CASE WHEN p.sc_n > 2 THEN big.party_sectors WHEN p.sc_n = 0 THEN []::VARCHAR[]
                WHEN p.sc_lo = p.sc_hi THEN [p.sc_lo] ELSE [p.sc_lo, p.sc_hi] END
               AS party_sectors
    FROM pa0 p LEFT JOIN big ON big.event_id = p.event_id
)"""

# The columns both statements below begin with: the seed mention's own fields and its
# parties (from _PARTY_CTES, or the seed's two actors where it has no party rows).
_SEED_COLUMNS = """SELECT s.id AS id, s.origin, s.type, s.mode, s.cameo, s.quad_class, s.goldstein,
       s.plover_score,
       s.actor1_code, s.actor1_country, s.actor1_sector, s.actor1_name,
       s.actor2_code, s.actor2_country, s.actor2_sector, s.actor2_name,
       coalesce(pa.actor_countries, list_filter([s.actor1_country], lambda x: x IS NOT NULL))
           AS actor_countries,
       coalesce(pa.recipient_countries, []::VARCHAR[]) AS recipient_countries,
       coalesce(pa.party_codes,
                list_filter([s.actor1_code, s.actor2_code], lambda x: x IS NOT NULL)) AS party_codes,
       coalesce(pa.party_sectors,
                list_filter([s.actor1_sector, s.actor2_sector], lambda x: x IS NOT NULL))
           AS party_sectors,
       coalesce(pa.n_parties, (s.actor1_code IS NOT NULL)::INT
                + (s.actor2_code IS NOT NULL)::INT) AS n_parties,"""

_CLUSTER_SQL = """
INSERT INTO clusters BY NAME
WITH mem AS (
    SELECT e.cluster_id AS cid, count(*) AS n_mentions,
           count(DISTINCT e.doc_id) AS n_stories,
           count(DISTINCT coalesce(d.source, e.source, e.doc_id)) AS n_sources,
           min(coalesce(d.published, CAST(d.coded_at AS DATE), e.event_date)) AS first_seen,
           max(coalesce(d.published, CAST(d.coded_at AS DATE), e.event_date)) AS last_seen,
           max(e.confidence) AS confidence,
           list_sort(list_distinct(flatten(list(coalesce(e.contexts, []::VARCHAR[])))))
               AS contexts,
           max(e.num_mentions) AS imp_mentions, max(e.num_sources) AS imp_sources,
           max(e.num_articles) AS imp_articles
    FROM {events} e JOIN {cids} c ON e.cluster_id = c.id
    LEFT JOIN {documents} d ON d.id = e.doc_id
    GROUP BY e.cluster_id
), """ + _PARTY_CTES + "\n" + _SEED_COLUMNS + """
       mem.contexts,
       s.date, s.date_precision, s.event_date,
       -- the place of the cluster's most specific mention (most often the seed's own)
       CASE WHEN l.cid IS NULL THEN s.location_name ELSE l.location_name END AS location_name,
       CASE WHEN l.cid IS NULL THEN s.location_country ELSE l.location_country END
           AS location_country,
       CASE WHEN l.cid IS NULL THEN s.location_admin1 ELSE l.location_admin1 END
           AS location_admin1,
       CASE WHEN l.cid IS NULL THEN s.lat ELSE l.lat END AS lat,
       CASE WHEN l.cid IS NULL THEN s.lon ELSE l.lon END AS lon,
       CASE WHEN l.cid IS NULL THEN s.geonameid ELSE l.geonameid END AS geonameid,
       s.negated, s.hypothetical, s.future, s.historical,
       NOT (coalesce(s.negated, false) OR coalesce(s.hypothetical, false)
            OR coalesce(s.future, false)) AS factual,
       CASE WHEN s.origin = 'dateline' THEN mem.n_mentions
            ELSE coalesce(mem.imp_mentions, mem.n_mentions) END AS num_mentions,
       CASE WHEN s.origin = 'dateline' THEN mem.n_sources
            ELSE coalesce(mem.imp_sources, mem.n_sources) END AS num_sources,
       CASE WHEN s.origin = 'dateline' THEN mem.n_stories
            ELSE coalesce(mem.imp_articles, mem.n_stories) END AS num_stories,
       mem.first_seen, mem.last_seen,
       s.id AS representative_id, s.doc_id, s.sentence, s.trigger, mem.confidence,
       s.source, s.url, s.source_event_id
FROM {cids} c
JOIN {events} s ON s.id = c.id
LEFT JOIN (
    SELECT x.id AS cid, e.location_name, e.location_country, e.location_admin1, e.lat, e.lon,
           e.geonameid
    FROM {cids} x JOIN {events} e ON e.id = x.loc_id WHERE x.loc_id <> x.id
) l ON l.cid = c.id
JOIN mem ON mem.cid = c.id
LEFT JOIN pa ON pa.event_id = c.id
"""

# The same rows as _CLUSTER_SQL gives for clusters of one mention each (``{events}`` the new
# mentions, ``{actors}`` their parties, ``{cids}`` their ids, ``{documents}`` their stories):
# each aggregate over one mention is that mention's value. DuckDB plans this in a third of the
# time it takes for the general statement (~20 against ~60 CPU ms), which was most of what
# storing each batch's singleton events cost.
_SINGLETON_SQL = """
INSERT INTO clusters BY NAME
WITH """ + _PARTY_CTES + "\n" + _SEED_COLUMNS + """
       list_sort(list_distinct(coalesce(s.contexts, []::VARCHAR[]))) AS contexts,
       s.date, s.date_precision, s.event_date,
       s.location_name, s.location_country, s.location_admin1, s.lat, s.lon, s.geonameid,
       s.negated, s.hypothetical, s.future, s.historical,
       NOT (coalesce(s.negated, false) OR coalesce(s.hypothetical, false)
            OR coalesce(s.future, false)) AS factual,
       1 AS num_mentions,
       (coalesce(d.source, s.source, s.doc_id) IS NOT NULL)::INT AS num_sources,
       (s.doc_id IS NOT NULL)::INT AS num_stories,
       coalesce(d.published, CAST(d.coded_at AS DATE), s.event_date) AS first_seen,
       coalesce(d.published, CAST(d.coded_at AS DATE), s.event_date) AS last_seen,
       s.id AS representative_id, s.doc_id, s.sentence, s.trigger, s.confidence,
       s.source, s.url, NULL::VARCHAR AS source_event_id
FROM {events} s
LEFT JOIN {documents} d ON d.id = s.doc_id
LEFT JOIN pa ON pa.event_id = s.id
"""


def update_clusters(con, event_ids: list[str]) -> None:
    """Cluster the given new event rows, and any others awaiting it, inside the caller's
    transaction; the result is what :func:`rebuild_clusters` would give."""
    if event_ids:  # the new rows are stored without keys: flushing clusters them too
        cluster_pending(con)


def cluster_pending(con) -> int:
    """Cluster every stored mention awaiting it (see :func:`provisional_clusters`), inside
    the caller's transaction, exactly as a rebuild would; returns how many there were."""
    from dateline.store.clustering import flush

    return flush(con, _CLUSTER_SQL)


def pending_mentions(con) -> int:
    """How many stored mentions await clustering (each shown as its own event meanwhile)."""
    from dateline.store.clustering import pending

    return pending(con)


def provisional_clusters(con, events: str, actors: str, documents: str) -> None:
    """One event per new mention of a batch (views of its rows), until it is clustered."""
    # The batch's events are the clusters' ids, and hold every event its actors belong to.
    con.execute(_SINGLETON_SQL.format(events=events, actors=actors, documents=documents,
                                      cids=events))


def rebuild_clusters(con) -> int:
    """Recompute every cluster of the store from its mentions; returns the cluster count."""
    from dateline.store.clustering import rebuild

    return rebuild(con, _CLUSTER_SQL)


# --- explanations -----------------------------------------------------------------------

@dataclass
class Explanation:
    cluster_id: str
    rule: str
    seed: Mention
    members: list[Mention] = field(default_factory=list)


def explain(con, event_id: str) -> dict[str, Any] | None:
    """Which mentions form the event of ``event_id`` (a cluster or mention id), and why.

    Each member is compared field by field with the cluster's seed (the first mention in
    dedup order); complete-link clustering guarantees it also matches every other member.
    """
    row = con.execute("SELECT id FROM clusters WHERE id = ?", [event_id]).fetchone()
    if row is None:
        row = con.execute("SELECT coalesce(cluster_id, id) FROM events WHERE id = ?",
                          [event_id]).fetchone()
    if row is None:
        return None
    cid = row[0]
    ids = [r[0] for r in con.execute(
        "SELECT id FROM events WHERE cluster_id = ? OR id = ?", [cid, cid]).fetchall()]
    members = sorted(load_mentions(con, ids, with_story=True), key=Mention.order_key)
    if not members:
        return None
    seed = next((m for m in members if m.id == cid), members[0])
    waiting = con.execute(
        "SELECT count(*) FROM events e ANTI JOIN mention_keys k ON k.id = e.id "
        "WHERE e.id IN (SELECT unnest(?))", [ids]).fetchone()[0]
    out = {"cluster_id": cid, "rule": MERGE_RULE, "num_mentions": len(members),
           # stored by a run that has not clustered it yet: its own event until then
           "pending": bool(waiting),
           "num_stories": len({m.doc_id for m in members}),
           "seed": _mention_json(seed), "mentions": []}
    for m in members:
        item = _mention_json(m)
        if m.id == seed.id:
            item["joined_by"] = "seed: the first mention in dedup order (most precise date, "\
                                "earliest, smallest id)"
            item["checks"] = []
        else:
            checks = compare(seed, m)
            item["joined_by"] = "matched the seed on every field" if all(c.ok for c in checks) \
                else "did not match on every field (store needs rebuild_clusters)"
            item["checks"] = [c.to_json() for c in checks]
        out["mentions"].append(item)
    return out


def _mention_json(m: Mention) -> dict[str, Any]:
    return {"id": m.id, "doc_id": m.doc_id, "title": m.title, "source": m.source,
            "type": m.type, "mode": m.mode, "factual": m.factual,
            "date": _jsonable(m.day), "date_precision": m.precision,
            "actors": _jsonable(m.actors), "recipients": _jsonable(m.recipients),
            "place": _jsonable(m.place)}
