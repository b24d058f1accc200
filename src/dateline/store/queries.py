"""Queries over a dateline store: filtered events, counts, aggregates, dyads, details.

One :class:`EventFilter` describes what to select; every function takes it and returns
plain JSON-ready dicts. Canonical events (one row per cluster of mentions, table
``clusters``) are the default; ``mentions=True`` selects the stored mentions (``events``).
All values are bound as parameters (story text is untrusted); column names come only
from the whitelists below.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

PERIODS = ("day", "week", "month", "year")
ORIGINS = ("dateline", "gdelt", "icews", "polecat")

# Columns callers may sort by, per table.
_ORDER_CLUSTERS = {"event_date", "num_mentions", "num_sources", "num_stories", "goldstein",
                   "plover_score", "type", "confidence", "id", "first_seen", "last_seen",
                   "quad_class", "origin"}
_ORDER_MENTIONS = {"event_date", "goldstein", "plover_score", "type", "confidence", "id",
                   "quad_class", "origin", "doc_id"}

_CLUSTER_COLUMNS = (
    "id", "origin", "type", "mode", "cameo", "quad_class", "goldstein", "plover_score",
    "actor1_code", "actor1_country", "actor1_sector", "actor1_name",
    "actor2_code", "actor2_country", "actor2_sector", "actor2_name",
    "actor_countries", "recipient_countries", "contexts",
    "date", "date_precision", "event_date",
    "location_name", "location_country", "location_admin1", "lat", "lon", "geonameid",
    "negated", "hypothetical", "future", "historical", "factual",
    "num_mentions", "num_sources", "num_stories", "first_seen", "last_seen",
    "representative_id", "doc_id", "sentence", "trigger", "confidence", "source", "url",
)
_MENTION_COLUMNS = (
    "id", "cluster_id", "doc_id", "origin", "type", "mode", "cameo", "quad_class", "goldstein",
    "plover_score", "actor1_code", "actor1_country", "actor1_sector", "actor1_name",
    "actor2_code", "actor2_country", "actor2_sector", "actor2_name", "contexts",
    "date", "date_precision", "event_date",
    "location_name", "location_country", "location_admin1", "lat", "lon", "geonameid",
    "negated", "hypothetical", "future", "historical",
    "sentence", "sent_start", "sent_end", "trigger", "trigger_start", "trigger_end",
    "confidence", "source", "url",
)

# Fields that breakdown() may group by: name -> SQL expression over alias e.
_BREAKDOWN = {
    "type": "e.type", "mode": "e.mode", "quad_class": "e.quad_class", "origin": "e.origin",
    "cameo_root": "substr(e.cameo, 1, 2)", "actor1_country": "e.actor1_country",
    "actor2_country": "e.actor2_country", "actor1_sector": "e.actor1_sector",
    "actor2_sector": "e.actor2_sector", "location_country": "e.location_country",
    "location_name": "e.location_name", "date_precision": "e.date_precision",
    "source": "e.source", "context": "unnest(e.contexts)",
}

_LABEL = {"day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m", "year": "%Y"}


class QueryError(ValueError):
    """A filter value that cannot be used (bad date, unknown column)."""


StrOrList = str | Sequence[str] | None


@dataclass
class EventFilter:
    """What to select. ``None`` means "any"; list-valued fields match any listed value."""

    actor: StrOrList = None          # ISO3/group code of any party (actor or recipient)
    sector: StrOrList = None         # PLOVER sector of a party (with actor: of that party)
    dyad: str | None = None          # "MEX-USA": undirected unless directed=True (A acts on B)
    directed: bool = False
    type: StrOrList = None           # PLOVER event type
    mode: StrOrList = None
    quad_class: int | Sequence[int] | None = None
    context: StrOrList = None        # PLOVER context
    since: str | dt.date | None = None   # YYYY, YYYY-MM or YYYY-MM-DD (inclusive)
    until: str | dt.date | None = None   # inclusive: 2018-03 means through 31 March
    place: str | None = None         # location name (case-insensitive, exact)
    country: StrOrList = None        # ISO3 of the event location
    include_modal: bool = False      # include negated / hypothetical / future events
    origin: StrOrList = None         # dateline | gdelt | icews | polecat
    mentions: bool = False           # one row per stored mention instead of per event
    text: str | None = None          # substring of the evidence sentence (case-insensitive)
    doc_id: str | None = None        # events with a mention in this story
    min_mentions: int | None = None  # canonical events reported at least this often
    limit: int | None = 100
    offset: int = 0
    order_by: str = "event_date"
    order_dir: str = "desc"

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> EventFilter:
        """Build a filter from a flat mapping (e.g. URL query parameters), ignoring unknowns."""
        names = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in names or value in (None, ""):
                continue
            if key in ("directed", "include_modal", "mentions"):
                kwargs[key] = str(value).lower() in ("1", "true", "yes", "on")
            elif key in ("limit", "offset", "min_mentions"):
                kwargs[key] = int(value)
            elif key == "quad_class":
                kwargs[key] = [int(v) for v in str(value).split(",") if v]
            elif key in ("actor", "sector", "type", "mode", "context", "country", "origin") \
                    and isinstance(value, str) and "," in value:
                kwargs[key] = [v.strip() for v in value.split(",") if v.strip()]
            else:
                kwargs[key] = value
        return cls(**kwargs)


def _many(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, (str, int)):
        return [value]
    return list(value)


def parse_bound(value: str | dt.date | None, end: bool = False) -> dt.date | None:
    """A date bound from YYYY, YYYY-MM or YYYY-MM-DD; ``end`` gives the period's last day."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 1:
            return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            return dt.date(parts[0], parts[1], last if end else 1)
        if len(parts) == 3:
            return dt.date(*parts)
    except (ValueError, TypeError):
        pass
    raise QueryError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")


def parse_dyad(dyad: str) -> tuple[str, str]:
    """("MEX", "USA") from "MEX-USA"."""
    parts = [p.strip().upper() for p in dyad.replace("_", "-").split("-")]
    if len(parts) != 2 or not all(parts):
        raise QueryError(f"not a dyad: {dyad!r} (use AAA-BBB, e.g. MEX-USA)")
    return parts[0], parts[1]


def _in(expr: str, values: list, params: list) -> str:
    params.extend(values)
    return f"{expr} IN ({', '.join('?' for _ in values)})"


def _party_clauses(f: EventFilter, mentions: bool, params: list) -> list[str]:
    """Actor, sector and dyad conditions; compound parties are matched through their lists."""
    out = []
    actors = [a.upper() for a in _many(f.actor)]
    sectors = [s.upper() for s in _many(f.sector)]
    if mentions:
        def has(country: str | None, sector: str | None, role: str | None = None) -> str:
            cond = ["ea.event_id = e.id"]
            if country:
                cond.append("ea.country = ?")
                params.append(country)
            if sector:
                cond.append("ea.sector = ?")
                params.append(sector)
            if role:
                cond.append("ea.role = ?")
                params.append(role)
            return f"EXISTS (SELECT 1 FROM event_actors ea WHERE {' AND '.join(cond)})"
    if actors or sectors:
        alts = []
        for country in actors or [None]:
            for sector in sectors or [None]:
                if mentions:
                    alts.append(has(country, sector))
                    continue
                if country and sector:
                    params.extend([country, sector, country, sector, country + sector])
                    alts.append("((e.actor1_country = ? AND e.actor1_sector = ?) OR "
                                "(e.actor2_country = ? AND e.actor2_sector = ?) OR "
                                "(e.n_parties > 2 AND list_contains(e.party_codes, ?)))")
                elif country:
                    params.extend([country, country, country, country])
                    alts.append("(e.actor1_country = ? OR e.actor2_country = ? OR "
                                "(e.n_parties > 2 AND (list_contains(e.actor_countries, ?) OR "
                                "list_contains(e.recipient_countries, ?))))")
                else:
                    params.append(sector)
                    alts.append("list_contains(e.party_sectors, ?)")
        out.append("(" + " OR ".join(alts) + ")")
    if f.dyad:
        a, b = parse_dyad(f.dyad)
        pairs = [(a, b)] if f.directed else [(a, b), (b, a)]
        alts = []
        for x, y in pairs:
            params.extend([x, y])
            alts.append("(e.actor1_country = ? AND e.actor2_country = ?)")
        if mentions:
            # Compound parties: x among the actors and y among the recipients (or, for
            # reciprocal events and undirected dyads, both among the parties).
            if f.directed:
                alts.append(f"({has(a, None, 'actor')} AND {has(b, None, 'recipient')})")
            elif a != b:
                alts.append(f"({has(a, None)} AND {has(b, None)})")
        else:
            if f.directed:
                params.extend([a, b])
                alts.append("(e.n_parties > 2 AND list_contains(e.actor_countries, ?) AND "
                            "list_contains(e.recipient_countries, ?))")
            elif a != b:
                params.extend([a, b])
                alts.append("(e.n_parties > 2 AND list_has_all("
                            "list_concat(e.actor_countries, e.recipient_countries), [?, ?]))")
        out.append("(" + " OR ".join(alts) + ")")
    return out


def where_clause(f: EventFilter) -> tuple[str, list]:
    """The WHERE clause (alias ``e``) and its parameters for a filter."""
    params: list = []
    clauses: list[str] = []
    clauses.extend(_party_clauses(f, f.mentions, params))
    for column, value, upper in (("e.type", f.type, True), ("e.mode", f.mode, False),
                                 ("e.origin", f.origin, False),
                                 ("e.location_country", f.country, True)):
        values = _many(value)
        if values:
            clauses.append(_in(column, [v.upper() if upper else v for v in values], params))
    quads = [int(q) for q in _many(f.quad_class)]
    if quads:
        clauses.append(_in("e.quad_class", quads, params))
    contexts = _many(f.context)
    if contexts:
        # One list_contains per context: 3-5x cheaper than list_has_any on a million rows.
        params.extend(contexts)
        clauses.append("(" + " OR ".join("list_contains(e.contexts, ?)" for _ in contexts) + ")")
    since, until = parse_bound(f.since), parse_bound(f.until, end=True)
    if since:
        params.append(since)
        clauses.append("e.event_date >= ?")
    if until:
        params.append(until)
        clauses.append("e.event_date <= ?")
    if f.place:
        params.append(f.place.strip().lower())
        clauses.append("lower(e.location_name) = ?")
    if f.text:
        params.append(f"%{_escape_like(f.text)}%")
        clauses.append("e.sentence ILIKE ? ESCAPE '\\'")
    if not f.include_modal:
        if f.mentions:
            clauses.append("NOT (coalesce(e.negated, false) OR coalesce(e.hypothetical, false) "
                           "OR coalesce(e.future, false))")
        else:
            clauses.append("e.factual")
    if f.doc_id:
        params.append(f.doc_id)
        if f.mentions:
            clauses.append("e.doc_id = ?")
        else:
            clauses.append("e.id IN (SELECT cluster_id FROM events WHERE doc_id = ?)")
    if f.min_mentions and not f.mentions:
        params.append(int(f.min_mentions))
        clauses.append("e.num_mentions >= ?")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _table(f: EventFilter) -> str:
    return "events" if f.mentions else "clusters"


def _order(f: EventFilter) -> str:
    allowed = _ORDER_MENTIONS if f.mentions else _ORDER_CLUSTERS
    if f.order_by not in allowed:
        raise QueryError(f"cannot order by {f.order_by!r}; choose from {sorted(allowed)}")
    direction = str(f.order_dir).lower()
    if direction not in ("asc", "desc"):
        raise QueryError(f"order_dir must be asc or desc, not {f.order_dir!r}")
    return f" ORDER BY e.{f.order_by} {direction.upper()} NULLS LAST, e.id ASC"


def _paging(f: EventFilter, params: list) -> str:
    out = ""
    if f.limit is not None:
        params.append(max(int(f.limit), 0))
        out += " LIMIT ?"
    if f.offset:
        params.append(max(int(f.offset), 0))
        out += " OFFSET ?"
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _dicts(cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [{n: _plain(v) for n, v in zip(names, row)} for row in cursor.fetchall()]


def select_events(con, f: EventFilter | None = None) -> list[dict[str, Any]]:
    """Events (or mentions) matching the filter, sorted and paged."""
    f = f or EventFilter()
    where, params = where_clause(f)
    columns = _MENTION_COLUMNS if f.mentions else _CLUSTER_COLUMNS
    sql = (f"SELECT {', '.join('e.' + c for c in columns)} FROM {_table(f)} e{where}"
           f"{_order(f)}{_paging(f, params)}")
    return _dicts(con.execute(sql, params))


def iter_events(con, f: EventFilter | None = None, batch: int = 10_000):
    """All matching rows as dicts, fetched in batches (for exports; ignores limit/offset)."""
    f = f or EventFilter()
    where, params = where_clause(f)
    columns = _MENTION_COLUMNS if f.mentions else _CLUSTER_COLUMNS
    cur = con.execute(f"SELECT {', '.join('e.' + c for c in columns)} FROM {_table(f)} e"
                      f"{where}{_order(f)}", params)
    names = [d[0] for d in cur.description]
    while True:
        rows = cur.fetchmany(batch)
        if not rows:
            return
        for row in rows:
            yield {n: _plain(v) for n, v in zip(names, row)}


def count_events(con, f: EventFilter | None = None) -> int:
    """How many events (or mentions) match the filter, ignoring limit and offset."""
    f = f or EventFilter()
    where, params = where_clause(f)
    return con.execute(f"SELECT count(*) FROM {_table(f)} e{where}", params).fetchone()[0]


def aggregate(con, f: EventFilter | None = None, by: str = "month") -> list[dict[str, Any]]:
    """Per period: n, mean Goldstein, mean PLOVER score, quad-class shares (q1..q4)."""
    f = f or EventFilter()
    if by not in PERIODS:
        raise QueryError(f"by must be one of {PERIODS}, not {by!r}")
    where, params = where_clause(f)
    where = (where + " AND" if where else " WHERE") + " e.event_date IS NOT NULL"
    sql = f"""
        SELECT date_trunc('{by}', e.event_date) AS period_start, count(*) AS n,
               avg(e.goldstein) AS goldstein_mean, avg(e.plover_score) AS plover_mean,
               count(e.quad_class) AS nq,
               count(*) FILTER (WHERE e.quad_class = 1) AS c1,
               count(*) FILTER (WHERE e.quad_class = 2) AS c2,
               count(*) FILTER (WHERE e.quad_class = 3) AS c3,
               count(*) FILTER (WHERE e.quad_class = 4) AS c4
        FROM {_table(f)} e{where}
        GROUP BY 1 ORDER BY 1"""
    out = []
    for start, n, gmean, pmean, nq, *counts in con.execute(sql, params).fetchall():
        start = start.date() if isinstance(start, dt.datetime) else start
        row = {"period": start.strftime(_LABEL[by]), "period_start": start.isoformat(), "n": n,
               "goldstein_mean": _round(gmean), "plover_mean": _round(pmean)}
        for q, c in enumerate(counts, start=1):
            row[f"q{q}"] = round(c / nq, 4) if nq else None
        out.append(row)
    return out


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


def top_dyads(con, f: EventFilter | None = None, n: int = 10) -> list[dict[str, Any]]:
    """The most frequent country dyads (undirected unless ``f.directed``)."""
    f = f or EventFilter()
    where, params = where_clause(f)
    where = (where + " AND" if where else " WHERE") + \
        " e.actor1_country IS NOT NULL AND e.actor2_country IS NOT NULL"
    if f.directed:
        a, b = "e.actor1_country", "e.actor2_country"
    else:
        a = "least(e.actor1_country, e.actor2_country)"
        b = "greatest(e.actor1_country, e.actor2_country)"
    params.append(int(n))
    sql = (f"SELECT {a} AS a, {b} AS b, count(*) AS n, avg(e.goldstein) AS g, "
           f"avg(e.plover_score) AS p FROM {_table(f)} e{where} "
           "GROUP BY 1, 2 ORDER BY n DESC, a, b LIMIT ?")
    return [{"dyad": f"{x}-{y}", "a": x, "b": y, "n": c, "goldstein_mean": _round(g),
             "plover_mean": _round(p)} for x, y, c, g, p in con.execute(sql, params).fetchall()]


def breakdown(con, f: EventFilter | None = None, field: str = "type",
              n: int = 20) -> list[dict[str, Any]]:
    """Counts of matching events by one field (type, mode, quad_class, context, ...)."""
    f = f or EventFilter()
    if field not in _BREAKDOWN:
        raise QueryError(f"cannot break down by {field!r}; choose from {sorted(_BREAKDOWN)}")
    where, params = where_clause(f)
    params.append(int(n))
    sql = (f"SELECT value, count(*) AS n FROM (SELECT {_BREAKDOWN[field]} AS value "
           f"FROM {_table(f)} e{where}) GROUP BY value ORDER BY n DESC, value NULLS LAST LIMIT ?")
    return [{"value": _plain(v), "n": c} for v, c in con.execute(sql, params).fetchall()]


def resolve_event_id(con, event_id: str) -> str | None:
    """The canonical event id of a cluster id or of one of its mention ids."""
    row = con.execute("SELECT id FROM clusters WHERE id = ?", [event_id]).fetchone()
    if row:
        return row[0]
    row = con.execute("SELECT cluster_id FROM events WHERE id = ?", [event_id]).fetchone()
    return row[0] if row and row[0] else None


def event_detail(con, event_id: str) -> dict[str, Any] | None:
    """The canonical event, every mention with its evidence and story, and the actors."""
    cid = resolve_event_id(con, event_id)
    if cid is None:
        return None
    cur = con.execute(f"SELECT {', '.join(_CLUSTER_COLUMNS)} FROM clusters WHERE id = ?", [cid])
    events = _dicts(cur)
    if not events:
        return None
    cols = ", ".join("e." + c for c in _MENTION_COLUMNS)
    mentions = _dicts(con.execute(
        f"SELECT {cols}, d.title AS story_title, d.url AS story_url, "
        "d.published AS story_published, d.source AS story_source "
        "FROM events e LEFT JOIN documents d ON d.id = e.doc_id WHERE e.cluster_id = ? "
        "ORDER BY e.event_date NULLS LAST, d.published NULLS LAST, e.id", [cid]))
    actors = _dicts(con.execute(
        "SELECT a.event_id, a.role, a.position, a.text, a.name, a.country, a.sector, a.code, "
        "a.title, a.wikidata, a.start_char, a.end_char FROM event_actors a "
        "JOIN events e ON e.id = a.event_id WHERE e.cluster_id = ? "
        "ORDER BY a.event_id, a.role, a.position", [cid]))
    by_event: dict[str, list] = {}
    for actor in actors:
        by_event.setdefault(actor.pop("event_id"), []).append(actor)
    for m in mentions:
        m["actors"] = [a for a in by_event.get(m["id"], []) if a["role"] == "actor"]
        m["recipients"] = [a for a in by_event.get(m["id"], []) if a["role"] == "recipient"]
    seed = by_event.get(cid, [])
    return {"event": events[0], "mentions": mentions,
            "actors": [a for a in seed if a["role"] == "actor"],
            "recipients": [a for a in seed if a["role"] == "recipient"]}


def explain_cluster(con, event_id: str) -> dict[str, Any] | None:
    """Which mentions were merged into this event and the field-by-field rule that joined each."""
    from dateline.store.dedup import explain

    return explain(con, event_id)
