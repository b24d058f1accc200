"""The dashboard's views: each takes a read-only connection and request parameters and
returns the plain data that is both the page's JSON twin and its template's input.

All work is aggregate SQL with LIMITs: Python only ever sees small results (a page of
events, per-period counts, the top places), never the rows a filter selects.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from dateline import ontology
from dateline.records import PLOVER_TYPES
from dateline.store import queries
from dateline.store.queries import EventFilter
from dateline.web.connection import remembered
from dateline.web.filters import (
    FilterError,
    filter_query,
    has_table,
    parse_filter,
    source_table,
)
from dateline.web.reviews import reviews_of

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
    """(source, condition, params) for the filter: canonical events unless mentions asked.
    The source is a table name or a subquery that selects from it (see _by_party)."""
    table = source_table(con, f)
    where, params = queries.where_clause(f)
    where = where.replace(" WHERE ", "", 1) if where else "TRUE"
    split = _by_party(f, table, where, params)
    return split if split is not None else (table, where, params)


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return [value] if isinstance(value, (str, int)) else list(value)


def _by_party(f: EventFilter, table: str, where: str, params: list[Any]
              ) -> tuple[str, str, list[Any]] | None:
    """A directed dyad's canonical events as a UNION ALL of two disjoint parts: actor1 and
    actor2 pinned by plain equalities, and events of more than two parties; else None.

    DuckDB turns ``a = ? AND b = ?`` into scan filters that skip reading the other columns
    of rows that fail them, while an OR (the dyad's compound-party alternative) is checked
    only after every column of every row was read. Measured at a million events (best of
    7, one thread): dyad page summary 52 -> 37 ms, a page of its ids 24 -> 13 ms. Not used
    for undirected dyads or actors: their two equality parts scan the table twice, which
    cost more than the OR. Each part keeps the whole filter, so the union is exactly the
    filter's rows given that, as in queries.where_clause, a dyad matches through
    actor1/actor2 or else only on events of more than two parties (n_parties > 2).
    """
    if f.mentions or table != "clusters" or not f.dyad or _listed(f.actor) or \
            _listed(f.sector):
        return None
    a, b = queries.parse_dyad(f.dyad)
    if not f.directed and a != b:
        return None
    pair = "e.actor1_country = ? AND e.actor2_country = ?"
    parts = [(pair, [a, b]), (f"e.n_parties > 2 AND NOT coalesce({pair}, false)", [a, b])]
    sql, out = [], []
    for cond, values in parts:
        sql.append(f"SELECT * FROM {table} e WHERE {where} AND {cond}")
        out += [*params, *values]
    return "(" + " UNION ALL ".join(sql) + ")", "TRUE", out


def _granularity(first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return "month"
    span = (last - first).days
    if span <= 31:
        return "day"
    if span <= 366 * 12:
        return "month"
    return "year"


def _all_periods(first: str, last: str, by: str) -> list[str]:
    """Every period label from first to last, so gaps show as zero, not as a slope."""
    out: list[str] = []
    if by == "day":
        d, end = date.fromisoformat(first), date.fromisoformat(last)
        while d <= end and len(out) < 5000:
            out.append(d.isoformat())
            d = date.fromordinal(d.toordinal() + 1)
    elif by == "month":
        y, m = int(first[:4]), int(first[5:7])
        while f"{y:04d}-{m:02d}" <= last and len(out) < 5000:
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        out = [f"{y:04d}" for y in range(int(first), int(last) + 1)][:5000]
    return out


# Period keys as integers group several times faster than formatted strings.
_PERIOD = {"day": "e.event_date",
           "month": "year(e.event_date) * 100 + month(e.event_date)",
           "year": "year(e.event_date)"}


def _label(key: Any, by: str) -> str:
    if by == "day":
        return key.isoformat() if hasattr(key, "isoformat") else str(key)
    if by == "month":
        return f"{int(key) // 100:04d}-{int(key) % 100:02d}"
    return f"{int(key):04d}"


def _quad_timeline(con: duckdb.DuckDBPyConnection, table: str, where: str, params: list[Any],
                   by: str) -> list[dict[str, Any]]:
    counts: dict[str, dict[str, Any]] = {}
    for key, quad, n, gsum, gn in con.execute(f"""
            SELECT {_PERIOD[by]} AS k, e.quad_class, count(*), sum(e.goldstein),
                   count(e.goldstein)
            FROM {table} e WHERE {where} AND e.event_date IS NOT NULL
            GROUP BY 1, 2""", params).fetchall():
        row = counts.setdefault(_label(key, by), {"q1": 0, "q2": 0, "q3": 0, "q4": 0, "n": 0,
                                                  "_gsum": 0.0, "_gn": 0})
        if quad in (1, 2, 3, 4):
            row[f"q{quad}"] += n
        row["n"] += n
        row["_gsum"] += gsum or 0.0
        row["_gn"] += gn
    return _finish_timeline(counts, by)


def _finish_timeline(counts: dict[str, dict[str, Any]], by: str) -> list[dict[str, Any]]:
    """Per-period quad counts -> rows for every period in the span (gaps as zero)."""
    if not counts:
        return []
    periods = sorted(counts)
    out = []
    for period in _all_periods(periods[0], periods[-1], by):
        row = counts.get(period)
        if row is None:
            out.append({"period": period, "q1": 0, "q2": 0, "q3": 0, "q4": 0, "n": 0,
                        "goldstein_mean": None, "net": 0})
            continue
        gsum, gn = row.pop("_gsum"), row.pop("_gn")
        row["goldstein_mean"] = round(gsum / gn, 2) if gn else None
        row["net"] = (row["q1"] + row["q2"]) - (row["q3"] + row["q4"])
        out.append({"period": period, **row})
    return out


def _dyads(con: duckdb.DuckDBPyConnection, table: str, where: str, params: list[Any],
           limit: int = 10) -> list[dict[str, Any]]:
    """Undirected country pairs by count (pairs grouped in SQL, folded here: few rows)."""
    pairs: dict[str, dict[str, Any]] = {}
    for a, b, quad, n in con.execute(f"""
            SELECT e.actor1_country, e.actor2_country, e.quad_class, count(*)
            FROM {table} e
            WHERE {where} AND e.actor1_country IS NOT NULL AND e.actor2_country IS NOT NULL
                  AND e.actor1_country <> e.actor2_country
            GROUP BY 1, 2, 3""", params).fetchall():
        key = "-".join(sorted((a, b)))
        row = pairs.setdefault(key, {"dyad": key, "n": 0, "cooperation": 0, "conflict": 0})
        row["n"] += n
        if quad in (1, 2):
            row["cooperation"] += n
        elif quad in (3, 4):
            row["conflict"] += n
    return sorted(pairs.values(), key=lambda r: (-r["n"], r["dyad"]))[:limit]


def _origins(con: duckdb.DuckDBPyConnection, table: str) -> list[dict[str, Any]]:
    """Rows per dataset (dateline, gdelt, ...) in the table; fixed while the store is open."""
    return remembered(con, f"origins:{table}", lambda: _rows(
        con, f"SELECT origin, count(*) AS n FROM {table} GROUP BY 1 ORDER BY 1"))


def _top_types(con: duckdb.DuckDBPyConnection, table: str, where: str, params: list[Any]
               ) -> list[dict[str, Any]]:
    return _rows(con, f"""SELECT e.type, any_value(e.quad_class) AS quad_class, count(*) AS n
                          FROM {table} e WHERE {where} AND e.type IS NOT NULL
                          GROUP BY 1 ORDER BY n DESC, 1 LIMIT 16""", params)


def _top_contexts(con: duckdb.DuckDBPyConnection, table: str, where: str, params: list[Any],
                  limit: int = 12) -> list[dict[str, Any]]:
    # (unnest yields nothing for an empty or NULL list: no length test, ~20% cheaper)
    return _rows(con, f"""SELECT c AS context, count(*) AS n
                          FROM (SELECT unnest(e.contexts) AS c FROM {table} e WHERE {where})
                          GROUP BY 1 ORDER BY n DESC, 1 LIMIT {int(limit)}""", params)


def overview(con: duckdb.DuckDBPyConnection, query: dict[str, str]) -> dict[str, Any]:
    """Stories, events, sources, date range; quad classes over time; top dyads, types, contexts."""
    f, error = _filter_or_error(query)
    source, where, params = where_sql(con, f)
    table = "events" if f.mentions else "clusters"
    mentions = "count(*)" if table == "events" else "coalesce(sum(e.num_mentions), 0)"
    totals = _one(con, f"""
        SELECT count(*) AS events, {mentions} AS mentions, min(e.event_date) AS first,
               max(e.event_date) AS last
        FROM {source} e WHERE {where}""", params)
    stories = remembered(con, "stories", lambda: _one(
        con, "SELECT count(*) AS n, count(DISTINCT source) AS sources FROM documents"))
    by = query.get("by") if query.get("by") in _PERIOD else _granularity(
        totals.get("first"), totals.get("last"))
    dyads = _dyads(con, source, where, params)
    origins = _origins(con, table)
    return {
        "view": "overview", "filter": filter_query(f), "error": error, "by": by,
        "canonical": table == "clusters",
        "stories": stories.get("n", 0), "sources": stories.get("sources", 0),
        "events": totals.get("events", 0), "mentions": totals.get("mentions", 0),
        "date_range": [totals.get("first"), totals.get("last")],
        "timeline": _quad_timeline(con, source, where, params, by),
        "top_dyads": dyads, "top_types": _top_types(con, source, where, params),
        "top_contexts": _top_contexts(con, source, where, params), "origins": origins,
        "quad_names": QUAD_NAMES,
    }


def _fold_days(rows: list[tuple], by: str) -> list[dict[str, Any]]:
    """(day, quad_class, n, goldstein sum, goldstein count) rows -> the quad timeline by period."""
    counts: dict[str, dict[str, Any]] = {}
    for day, quad, n, gsum, gn in rows:
        key = {"day": day.isoformat, "month": lambda d=day: d.strftime("%Y-%m"),
               "year": lambda d=day: f"{d.year:04d}"}[by]()
        row = counts.setdefault(key, {"q1": 0, "q2": 0, "q3": 0, "q4": 0, "n": 0,
                                      "_gsum": 0.0, "_gn": 0})
        if quad in (1, 2, 3, 4):
            row[f"q{quad}"] += n
        row["n"] += n
        row["_gsum"] += gsum or 0.0
        row["_gn"] += gn or 0
    return _finish_timeline(counts, by)


def _summary(con: duckdb.DuckDBPyConnection, source: str, where: str, params: list[Any],
             canonical: bool) -> dict[str, Any]:
    """Everything the dyad page counts, in one scan of the (selective) filtered rows."""
    covered_key = "e.num_mentions" if canonical else "1"
    rows = con.execute(f"""
        WITH sub AS MATERIALIZED (
            SELECT e.id, e.event_date, e.quad_class, e.goldstein, e.type, e.contexts,
                   {covered_key} AS num_mentions
            FROM {source} e WHERE {where})
        SELECT 'day' AS kind, event_date AS day, NULL AS k, quad_class AS q, count(*) AS n,
               sum(goldstein) AS g, count(goldstein) AS gn
        FROM sub WHERE event_date IS NOT NULL GROUP BY 2, 4
        UNION ALL
        SELECT 'type', NULL, type, any_value(quad_class), count(*), NULL, NULL
        FROM sub WHERE type IS NOT NULL GROUP BY 3
        UNION ALL
        SELECT 'context', NULL, c, NULL, count(*), NULL, NULL
        FROM (SELECT unnest(contexts) AS c FROM sub WHERE len(contexts) > 0) GROUP BY 3
        UNION ALL
        SELECT 'covered', NULL, id, NULL, num_mentions, NULL, NULL
        FROM (SELECT id, num_mentions FROM sub
              ORDER BY num_mentions DESC, event_date DESC NULLS LAST, id LIMIT 10)
        UNION ALL
        SELECT 'total', NULL, NULL, NULL, count(*), sum(goldstein), count(goldstein) FROM sub
        """, params).fetchall()
    out: dict[str, Any] = {"days": [], "types": [], "contexts": [], "covered": [],
                           "events": 0, "goldstein_mean": None}
    for kind, day, k, q, n, g, gn in rows:
        if kind == "day":
            out["days"].append((day, q, n, g, gn))
        elif kind == "type":
            out["types"].append({"type": k, "quad_class": q, "n": n})
        elif kind == "context":
            out["contexts"].append({"context": k, "n": n})
        elif kind == "covered":
            out["covered"].append((k, n))
        else:
            out["events"] = n
            out["goldstein_mean"] = round(g / gn, 2) if gn else None
    out["types"].sort(key=lambda r: (-r["n"], r["type"]))
    out["contexts"] = sorted(out["contexts"], key=lambda r: (-r["n"], r["context"]))[:12]
    days = [d for d, *_ in out["days"]]
    out["first"], out["last"] = (min(days), max(days)) if days else (None, None)
    return out


def dyad(con: duckdb.DuckDBPyConnection, query: dict[str, str], dyad: str) -> dict[str, Any]:
    """Cooperation and conflict between two countries over time, with what was covered most."""
    f, error = _filter_or_error({**query, "dyad": dyad.upper()})
    if f.dyad is None:
        f.dyad = dyad.upper()
    source, where, params = where_sql(con, f)
    table = "events" if f.mentions else "clusters"
    summary = _summary(con, source, where, params, canonical=table == "clusters")
    by = query.get("by") if query.get("by") in _PERIOD else _granularity(
        summary["first"], summary["last"])
    timeline = _fold_days(summary["days"], by)
    # The same dyad in imported datasets (GDELT, ICEWS, POLECAT), when any is loaded.
    comparison = []
    for origin in [o["origin"] for o in _origins(con, table) if o["origin"] != f.origin]:
        other = parse_filter({**filter_query(f), "origin": origin})
        other.mentions = f.mentions
        o_table, o_where, o_params = where_sql(con, other)
        series = _quad_timeline(con, o_table, o_where, o_params, by)
        if series:
            comparison.append({"origin": origin,
                               "series": [{"period": r["period"], "net": r["net"], "n": r["n"]}
                                          for r in series]})
    covered = []
    if summary["covered"]:
        ids = [i for i, _ in summary["covered"]]
        stories = "e.num_stories" if table == "clusters" else "1"
        # The ten rows first, then their stories' titles: a join would hash every story.
        found = {r["id"]: r for r in _rows(con, f"""
            SELECT e.id, {stories} AS num_stories, e.type, e.mode, e.quad_class, e.event_date,
                   e.actor1_code, e.actor2_code, e.location_name, e.sentence, e.doc_id
            FROM {table} e WHERE e.id IN (SELECT unnest(?))""", [ids])}
        titles = _titles(con, [r["doc_id"] for r in found.values()])
        for eid, n in summary["covered"]:
            if eid in found:
                row = found[eid]
                row["title"] = titles.get(row.pop("doc_id"))
                covered.append({**row, "num_mentions": n})
    a, b = f.dyad.split("-")
    return {
        "view": "dyad", "dyad": f.dyad, "a": a, "b": b, "directed": f.directed,
        "filter": filter_query(f), "error": error, "by": by,
        "canonical": table == "clusters", "events": summary["events"],
        "goldstein_mean": summary["goldstein_mean"],
        "date_range": [summary["first"], summary["last"]],
        "timeline": timeline, "comparison": comparison,
        "types": summary["types"], "contexts": summary["contexts"],
        "most_covered": covered, "quad_names": QUAD_NAMES,
    }


def map_view(con: duckdb.DuckDBPyConnection, query: dict[str, str]) -> dict[str, Any]:
    """Event locations grouped by place (gazetteer entry), the 2,000 with most events."""
    f, error = _filter_or_error(query)
    source, where, params = where_sql(con, f)
    points = []
    for name, country, geo, lat, lon, n, q1, q2, q3, q4 in con.execute(f"""
            SELECT e.location_name, e.location_country, e.geonameid, avg(e.lat), avg(e.lon),
                   count(*), count(*) FILTER (WHERE e.quad_class = 1),
                   count(*) FILTER (WHERE e.quad_class = 2),
                   count(*) FILTER (WHERE e.quad_class = 3),
                   count(*) FILTER (WHERE e.quad_class = 4)
            FROM {source} e
            WHERE {where} AND e.lat BETWEEN -90 AND 90 AND e.lon BETWEEN -180 AND 180
            GROUP BY 1, 2, 3 ORDER BY 6 DESC, 1, 2 LIMIT 2000""", params).fetchall():
        quads = [q1, q2, q3, q4]
        points.append({"name": name, "country": country, "geonameid": geo,
                       "lat": round(lat, 3), "lon": round(lon, 3), "n": n,
                       "quad_class": 1 + quads.index(max(quads)) if max(quads) else None,
                       "quads": quads})
    counts = _one(con, f"""SELECT count(*) AS n, count(e.lat) AS located
                           FROM {source} e WHERE {where}""", params)
    return {"view": "map", "filter": filter_query(f), "error": error, "points": points,
            "canonical": not f.mentions,
            "events": counts.get("n", 0), "located": counts.get("located", 0),
            "types": list(PLOVER_TYPES), "quad_names": QUAD_NAMES}


SORTABLE = {"date": "event_date", "type": "type", "quad_class": "quad_class",
            "goldstein": "goldstein", "confidence": "confidence", "mentions": "num_mentions"}


def events(con: duckdb.DuckDBPyConnection, query: dict[str, str]) -> dict[str, Any]:
    """One page of events matching the filter (canonical unless mentions=1), sortable."""
    f, error = _filter_or_error(query)
    source_table(con, f)  # a store without canonical events: mentions
    sort = query.get("sort") if query.get("sort") in SORTABLE else "date"
    if sort == "mentions" and f.mentions:
        sort = "date"
    direction = "asc" if query.get("dir") == "asc" else "desc"
    try:
        per_page = max(1, min(int(query.get("per_page") or PER_PAGE), MAX_PER_PAGE))
        page = max(1, int(query.get("page") or 1))
    except ValueError:
        per_page, page = PER_PAGE, 1
    table = "events" if f.mentions else "clusters"
    source, where, params = where_sql(con, f)
    # The total is the same for every page and sort order of a filter: counted once per
    # state of the store, so paging through a table does not recount it.
    total = remembered(con, f"count:{source}:{where}:{params!r}", lambda: con.execute(
        f"SELECT count(*) FROM {source} e WHERE {where}", params).fetchone()[0])
    pages = max(1, -(-total // per_page))
    page = min(page, pages)
    f.order_by, f.order_dir = SORTABLE[sort], direction
    # Two steps: sort only ids, then read the page's rows; sorting whole rows of a
    # million-event table costs several times more.
    ids = [r[0] for r in con.execute(
        f"SELECT e.id FROM {source} e WHERE {where} ORDER BY e.{f.order_by} "
        f"{direction.upper()} NULLS LAST, e.id LIMIT ? OFFSET ?",
        [*params, per_page, (page - 1) * per_page]).fetchall()]
    rows = []
    if ids:
        found = {r["id"]: r for r in _rows(
            con, f"SELECT e.* FROM {table} e WHERE e.id IN (SELECT unnest(?))", [ids])}
        rows = [found[i] for i in ids if i in found]
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
    titles = _titles(con, [r.get("doc_id") for r in out])
    for r in out:
        r["title"] = titles.get(r.get("doc_id"))
    return {"view": "events", "filter": filter_query(f), "error": error, "total": total,
            "canonical": not f.mentions,
            "page": page, "pages": pages, "per_page": per_page, "sort": sort,
            "dir": direction, "events": out, "types": list(PLOVER_TYPES),
            "contexts": list(ontology.contexts()), "quad_names": QUAD_NAMES,
            "sortable": list(SORTABLE)}


def _titles(con: duckdb.DuckDBPyConnection, doc_ids: list[str | None]) -> dict[str, Any]:
    """Story titles by id, for a page's few stories."""
    wanted = sorted({d for d in doc_ids if d})
    if not wanted:
        return {}
    return dict(con.execute("SELECT id, title FROM documents WHERE id IN (SELECT unnest(?))",
                            [wanted]).fetchall())


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
    doc_view = {k: v for k, v in doc.items() if k != "text"}
    event_row = {k: v for k, v in row.items() if k not in ("sentence",)}
    return {
        "view": "event", "event": event_row, "sentence": row.get("sentence"), "runs": runs,
        "actors": [a for a in actors if a["role"] == "actor"],
        "recipients": [a for a in actors if a["role"] == "recipient"],
        "doc": doc_view, "quotes": quotes, "claims": claims,
        "other_mentions": others, "num_mentions": 1 + len(others),
        "reviews": reviews_of(con, event_id), "reviews_enabled": True,
        "types": list(PLOVER_TYPES),
        "modes": {t: sorted(m) for t, m in ontology.modes().items()},
        "quad_names": QUAD_NAMES,
    }


def merge(con: duckdb.DuckDBPyConnection, query: dict[str, str], event_id: str
          ) -> dict[str, Any]:
    """Which mentions were merged into this event, and the field-by-field rule for each."""
    explain = queries.explain_cluster(con, event_id) if has_table(con, "clusters") else None
    if explain is None:
        from dateline.web.app import HttpError
        raise HttpError(404, f"no event {event_id}")
    return {"view": "merge", "event_id": event_id, "explain": explain}


def reviews(con: duckdb.DuckDBPyConnection, query: dict[str, str]) -> dict[str, Any]:
    """The latest review of each reviewed event."""
    from dateline.web.reviews import latest_reviews
    rows = latest_reviews(con, limit=500)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    return {"view": "reviews", "reviews": rows, "counts": counts}
