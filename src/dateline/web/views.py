"""The dashboard's views: each takes a read-only connection and request parameters and
returns the plain data that is both the page's JSON twin and its template's input.

All work is aggregate SQL with LIMITs, so a page costs the same on a thousand or a
million events; no view loops over all rows in Python.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from dateline import ontology
from dateline.records import PLOVER_TYPES
from dateline.store import queries
from dateline.store.queries import EventFilter
from dateline.web.filters import (
    FilterError,
    filter_query,
    has_table,
    parse_filter,
    source_table,
)
from dateline.web.reviews import has_reviews, reviews_of

QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
              4: "material conflict"}
PER_PAGE = 50
MAX_PER_PAGE = 200


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
          ) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
         ) -> dict[str, Any]:
    rows = _rows(con, sql, params)
    return rows[0] if rows else {}


def _filter_or_error(query: dict[str, str]) -> tuple[EventFilter, str | None]:
    try:
        return parse_filter(query), None
    except FilterError as err:
        return parse_filter({}), str(err)


def where_sql(con: duckdb.DuckDBPyConnection, f: EventFilter) -> tuple[str, str, list[Any]]:
    """(table, condition, params) for the filter: canonical events unless mentions asked."""
    table = source_table(con, f)
    where, params = queries.where_clause(f)
    return table, (where.replace(" WHERE ", "", 1) if where else "TRUE"), params


def _granularity(first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return "month"
    span = (last - first).days
    if span <= 92:
        return "day"
    if span <= 366 * 12:
        return "month"
    return "year"


_PERIOD = {"day": "strftime(e.event_date, '%Y-%m-%d')",
           "month": "strftime(e.event_date, '%Y-%m')",
           "year": "strftime(e.event_date, '%Y')"}


def _quad_timeline(con: duckdb.DuckDBPyConnection, table: str, where: str, params: list[Any],
                   by: str) -> list[dict[str, Any]]:
    rows = _rows(con, f"""
        SELECT {_PERIOD[by]} AS period,
               count(*) FILTER (WHERE e.quad_class = 1) AS q1,
               count(*) FILTER (WHERE e.quad_class = 2) AS q2,
               count(*) FILTER (WHERE e.quad_class = 3) AS q3,
               count(*) FILTER (WHERE e.quad_class = 4) AS q4,
               count(*) AS n, avg(e.goldstein) AS goldstein_mean
        FROM {table} e WHERE {where} AND e.event_date IS NOT NULL
        GROUP BY 1 ORDER BY 1""", params)
    for r in rows:
        r["net"] = (r["q1"] + r["q2"]) - (r["q3"] + r["q4"])
        r["goldstein_mean"] = None if r["goldstein_mean"] is None else round(
            r["goldstein_mean"], 2)
    return rows


def _top_types(con: duckdb.DuckDBPyConnection, table: str, where: str, params: list[Any]
               ) -> list[dict[str, Any]]:
    return _rows(con, f"""SELECT e.type, any_value(e.quad_class) AS quad_class, count(*) AS n
                          FROM {table} e WHERE {where} AND e.type IS NOT NULL
                          GROUP BY 1 ORDER BY n DESC, 1 LIMIT 16""", params)


def _top_contexts(con: duckdb.DuckDBPyConnection, table: str, where: str, params: list[Any],
                  limit: int = 12) -> list[dict[str, Any]]:
    return _rows(con, f"""SELECT c AS context, count(*) AS n
                          FROM (SELECT unnest(e.contexts) AS c FROM {table} e
                                WHERE {where} AND len(e.contexts) > 0)
                          GROUP BY 1 ORDER BY n DESC, 1 LIMIT {int(limit)}""", params)


def overview(con: duckdb.DuckDBPyConnection, query: dict[str, str]) -> dict[str, Any]:
    """Stories, events, sources, date range; quad classes over time; top dyads, types, contexts."""
    f, error = _filter_or_error(query)
    table, where, params = where_sql(con, f)
    mentions = "count(*)" if table == "events" else "coalesce(sum(e.num_mentions), 0)"
    totals = _one(con, f"""
        SELECT count(*) AS events, {mentions} AS mentions, min(e.event_date) AS first,
               max(e.event_date) AS last
        FROM {table} e WHERE {where}""", params)
    stories = _one(con, "SELECT count(*) AS n, count(DISTINCT source) AS sources FROM documents")
    by = query.get("by") if query.get("by") in _PERIOD else _granularity(
        totals.get("first"), totals.get("last"))
    dyads = _rows(con, f"""
        SELECT least(e.actor1_country, e.actor2_country) || '-' ||
               greatest(e.actor1_country, e.actor2_country) AS dyad, count(*) AS n,
               count(*) FILTER (WHERE e.quad_class IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE e.quad_class IN (3, 4)) AS conflict
        FROM {table} e
        WHERE {where} AND e.actor1_country IS NOT NULL AND e.actor2_country IS NOT NULL
              AND e.actor1_country <> e.actor2_country
        GROUP BY 1 ORDER BY n DESC, 1 LIMIT 10""", params)
    origins = _rows(con, f"SELECT origin, count(*) AS n FROM {table} GROUP BY 1 ORDER BY 1")
    return {
        "view": "overview", "filter": filter_query(f), "error": error, "by": by,
        "canonical": table == "clusters",
        "stories": stories.get("n", 0), "sources": stories.get("sources", 0),
        "events": totals.get("events", 0), "mentions": totals.get("mentions", 0),
        "date_range": [totals.get("first"), totals.get("last")],
        "timeline": _quad_timeline(con, table, where, params, by),
        "top_dyads": dyads, "top_types": _top_types(con, table, where, params),
        "top_contexts": _top_contexts(con, table, where, params), "origins": origins,
        "quad_names": QUAD_NAMES,
    }


def dyad(con: duckdb.DuckDBPyConnection, query: dict[str, str], dyad: str) -> dict[str, Any]:
    """Cooperation and conflict between two countries over time, with what was covered most."""
    f, error = _filter_or_error({**query, "dyad": dyad.upper()})
    if f.dyad is None:
        f.dyad = dyad.upper()
    table, where, params = where_sql(con, f)
    span = _one(con, f"SELECT min(e.event_date) AS first, max(e.event_date) AS last, "
                     f"count(*) AS events, avg(e.goldstein) AS goldstein_mean "
                     f"FROM {table} e WHERE {where}", params)
    by = query.get("by") if query.get("by") in _PERIOD else _granularity(
        span.get("first"), span.get("last"))
    timeline = _quad_timeline(con, table, where, params, by)
    # The same dyad in imported datasets (GDELT, ICEWS, POLECAT), when any is loaded.
    comparison = []
    for (origin,) in con.execute(f"SELECT DISTINCT origin FROM {table} WHERE origin <> ? "
                                 "ORDER BY 1", [f.origin]).fetchall():
        other = parse_filter({**filter_query(f), "origin": origin})
        other.mentions = f.mentions
        o_table, o_where, o_params = where_sql(con, other)
        series = _quad_timeline(con, o_table, o_where, o_params, by)
        if series:
            comparison.append({"origin": origin,
                               "series": [{"period": r["period"], "net": r["net"], "n": r["n"]}
                                          for r in series]})
    if table == "clusters":
        covered = _rows(con, f"""
            SELECT e.id, e.num_mentions, e.num_stories, e.type, e.mode, e.quad_class,
                   e.event_date, e.actor1_code, e.actor2_code, e.location_name, e.sentence,
                   d.title
            FROM clusters e LEFT JOIN documents d ON d.id = e.doc_id
            WHERE {where} ORDER BY e.num_mentions DESC, e.id LIMIT 10""", params)
    else:
        covered = _rows(con, f"""
            SELECT e.id, 1 AS num_mentions, 1 AS num_stories, e.type, e.mode, e.quad_class,
                   e.event_date, e.actor1_code, e.actor2_code, e.location_name, e.sentence,
                   d.title
            FROM events e LEFT JOIN documents d ON d.id = e.doc_id
            WHERE {where} ORDER BY e.event_date DESC NULLS LAST, e.id LIMIT 10""", params)
    a, b = f.dyad.split("-")
    return {
        "view": "dyad", "dyad": f.dyad, "a": a, "b": b, "directed": f.directed,
        "filter": filter_query(f), "error": error, "by": by,
        "canonical": table == "clusters", "events": span.get("events", 0),
        "goldstein_mean": None if span.get("goldstein_mean") is None
        else round(span["goldstein_mean"], 2),
        "date_range": [span.get("first"), span.get("last")],
        "timeline": timeline, "comparison": comparison,
        "types": _top_types(con, table, where, params),
        "contexts": _top_contexts(con, table, where, params),
        "most_covered": covered, "quad_names": QUAD_NAMES,
    }


def map_view(con: duckdb.DuckDBPyConnection, query: dict[str, str]) -> dict[str, Any]:
    """Event locations, grouped by place (rounded to ~1 km) so a million events stay light."""
    f, error = _filter_or_error(query)
    table, where, params = where_sql(con, f)
    points = _rows(con, f"""
        SELECT round(e.lat, 2) AS lat, round(e.lon, 2) AS lon, count(*) AS n,
               mode(e.quad_class) AS quad_class, mode(e.location_name) AS name,
               mode(e.location_country) AS country
        FROM {table} e
        WHERE {where} AND e.lat BETWEEN -90 AND 90 AND e.lon BETWEEN -180 AND 180
        GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 2000""", params)
    counts = _one(con, f"""SELECT count(*) AS n, count(e.lat) AS located
                           FROM {table} e WHERE {where}""", params)
    return {"view": "map", "filter": filter_query(f), "error": error, "points": points,
            "canonical": table == "clusters",
            "events": counts.get("n", 0), "located": counts.get("located", 0),
            "types": list(PLOVER_TYPES), "quad_names": QUAD_NAMES}


SORTABLE = {"date": "event_date", "type": "type", "quad_class": "quad_class",
            "goldstein": "goldstein", "confidence": "confidence", "mentions": "num_mentions"}


def events(con: duckdb.DuckDBPyConnection, query: dict[str, str]) -> dict[str, Any]:
    """One page of events matching the filter (canonical unless mentions=1), sortable."""
    f, error = _filter_or_error(query)
    source_table(con, f)
    sort = query.get("sort") if query.get("sort") in SORTABLE else "date"
    if sort == "mentions" and f.mentions:
        sort = "date"
    direction = "asc" if query.get("dir") == "asc" else "desc"
    try:
        per_page = max(1, min(int(query.get("per_page") or PER_PAGE), MAX_PER_PAGE))
        page = max(1, int(query.get("page") or 1))
    except ValueError:
        per_page, page = PER_PAGE, 1
    total = queries.count_events(con, f)
    pages = max(1, -(-total // per_page))
    page = min(page, pages)
    f.order_by, f.order_dir = SORTABLE[sort], direction
    f.limit, f.offset = per_page, (page - 1) * per_page
    rows = queries.select_events(con, f)
    keep = ("id", "event_date", "date_precision", "type", "mode", "quad_class", "goldstein",
            "actor1_code", "actor1_name", "actor2_code", "actor2_name", "location_name",
            "location_country", "trigger", "confidence", "origin", "negated", "hypothetical",
            "future", "num_mentions", "num_stories", "doc_id")
    out = []
    for r in rows:
        row = {k: r.get(k) for k in keep}
        row["num_mentions"] = r.get("num_mentions") or 1
        row["sentence"] = (r.get("sentence") or "")[:240]
        out.append(row)
    titles = {}
    doc_ids = sorted({r["doc_id"] for r in out if r.get("doc_id")})
    if doc_ids:
        titles = dict(con.execute("SELECT id, title FROM documents WHERE id IN (SELECT unnest(?))",
                                  [doc_ids]).fetchall())
    for r in out:
        r["title"] = titles.get(r.get("doc_id"))
    return {"view": "events", "filter": filter_query(f), "error": error, "total": total,
            "canonical": not f.mentions,
            "page": page, "pages": pages, "per_page": per_page, "sort": sort,
            "dir": direction, "events": out, "types": list(PLOVER_TYPES),
            "contexts": list(ontology.contexts()), "quad_names": QUAD_NAMES,
            "sortable": list(SORTABLE)}


def highlight(text: str, start: int, end: int, spans: list[tuple[int | None, int | None, str]]
              ) -> list[dict[str, Any]]:
    """Split text[start:end] into runs marked actor / recipient / trigger (trigger wins)."""
    start, end = max(0, start), min(len(text), end)
    if end <= start:
        return []
    marks: list[str | None] = [None] * (end - start)
    rank = {"recipient": 1, "actor": 2, "trigger": 3}
    for s, e, kind in spans:
        if s is None or e is None:
            continue
        for i in range(max(s, start), min(e, end)):
            cur = marks[i - start]
            if cur is None or rank[kind] > rank[cur]:
                marks[i - start] = kind
    runs: list[dict[str, Any]] = []
    for i, mark in enumerate(marks):
        if runs and runs[-1]["mark"] == mark:
            runs[-1]["text"] += text[start + i]
        else:
            runs.append({"text": text[start + i], "mark": mark})
    return runs


def event(con: duckdb.DuckDBPyConnection, query: dict[str, str], event_id: str
          ) -> dict[str, Any]:
    """One event with its evidence highlighted, its story's quotes and claims, its other
    mentions (same cluster) and its reviews."""
    row = _one(con, "SELECT * FROM events WHERE id = ?", [event_id])
    if not row:
        from dateline.web.app import HttpError
        raise HttpError(404, f"no event {event_id}")
    doc = _one(con, "SELECT id, url, title, CAST(published AS VARCHAR) AS published, source,"
                    " language, text FROM documents WHERE id = ?", [row["doc_id"]])
    actors = _rows(con, "SELECT role, position, text, name, country, sector, code, title, "
                        "start_char, end_char FROM event_actors WHERE event_id = ? "
                        "ORDER BY role, position", [event_id])
    text = doc.get("text") or ""
    s, e = row.get("sent_start"), row.get("sent_end")
    if text and s is not None and e is not None and 0 <= s < e <= len(text):
        spans = [(a["start_char"], a["end_char"], a["role"]) for a in actors
                 if a["role"] in ("actor", "recipient")]
        spans.append((row.get("trigger_start"), row.get("trigger_end"), "trigger"))
        runs = highlight(text, s, e, spans)
    else:  # no offsets into a stored text (e.g. an imported row): show the sentence as is
        runs = [{"text": row.get("sentence") or "", "mark": None}]
    quotes = _rows(con, "SELECT position, text, speaker_name, speaker_text, speaker_code, "
                        "speaker_title FROM quotes WHERE doc_id = ? ORDER BY position LIMIT 100",
                   [row["doc_id"]])
    claims = _rows(con, "SELECT position, text, value, unit, per, what, attributed_name, "
                        "attributed_kind FROM claims WHERE doc_id = ? ORDER BY position "
                        "LIMIT 100", [row["doc_id"]])
    others = []
    if row.get("cluster_id"):
        others = _rows(con, """
            SELECT e.id, e.doc_id, e.type, CAST(e.event_date AS VARCHAR) AS date,
                   e.sentence, e.source, d.title, d.url, CAST(d.published AS VARCHAR) AS published
            FROM events e LEFT JOIN documents d ON d.id = e.doc_id
            WHERE e.cluster_id = ? AND e.id <> ? ORDER BY d.published, e.id LIMIT 50""",
                       [row["cluster_id"], event_id])
    explain = None
    if others and has_table(con, "clusters"):
        explain = queries.explain_cluster(con, event_id)
    doc_view = {k: v for k, v in doc.items() if k != "text"}
    event_row = {k: v for k, v in row.items() if k not in ("sentence",)}
    return {
        "view": "event", "event": event_row, "sentence": row.get("sentence"), "runs": runs,
        "actors": [a for a in actors if a["role"] == "actor"],
        "recipients": [a for a in actors if a["role"] == "recipient"],
        "doc": doc_view, "quotes": quotes, "claims": claims,
        "other_mentions": others, "num_mentions": 1 + len(others), "explain": explain,
        "reviews": reviews_of(con, event_id), "reviews_enabled": True,
        "types": list(PLOVER_TYPES),
        "modes": {t: sorted(m) for t, m in ontology.modes().items()},
        "quad_names": QUAD_NAMES,
    }


def reviews(con: duckdb.DuckDBPyConnection, query: dict[str, str]) -> dict[str, Any]:
    """The latest review of each reviewed event."""
    from dateline.web.reviews import latest_reviews
    rows = latest_reviews(con, limit=500) if has_reviews(con) else []
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    return {"view": "reviews", "reviews": rows, "counts": counts}
