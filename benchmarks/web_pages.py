"""Dashboard page latency on a synthetic store of N event mentions (default 1 million).

    .venv/bin/python benchmarks/web_pages.py [--events 1000000] [--runs 5] [--threads N]
        [--db /tmp/dateline-web-bench.duckdb]

Builds the store directly with the schema (documents, events, event_actors, clusters as
dedup would leave them: ~1.4 mentions per canonical event), then renders every page and
its JSON twin in-process through the WSGI app, wall and CPU milliseconds (CPU: this
process, all DuckDB threads), in four situations a user meets:

- start:  the first request after the server started (a new app, store not yet opened,
          nothing remembered or cached, no warm-up), one per run;
- reopen: a page not seen before after >= 2 s without a request (the dashboard has let go
          of the store, so it opens it again), result cache off;
- open:   a page not seen before while the store is held open (a click within 2 s of the
          last), result cache off: the cost of the page's SQL alone;
- cached: a page seen before, store unchanged (what `dateline serve` warms at start).

Prints a markdown table of p50/p95 per page and the load average at start, per page and at
the end: on a shared machine wall time measures the queue for a CPU as much as the page.
The store is reused when it already has the asked-for size.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb

from dateline.records import PLOVER_TYPES
from dateline.store.schema import apply_migrations

COUNTRIES = {  # ISO3: capital (lat, lon)
    "USA": (38.9, -77.0), "MEX": (19.4, -99.1), "CAN": (45.4, -75.7), "RUS": (55.8, 37.6),
    "UKR": (50.5, 30.5), "CHN": (39.9, 116.4), "TWN": (25.0, 121.5), "ISR": (31.8, 35.2),
    "PSE": (31.9, 35.2), "IRN": (35.7, 51.4), "IND": (28.6, 77.2), "PAK": (33.7, 73.0),
    "GBR": (51.5, -0.1), "FRA": (48.9, 2.4), "DEU": (52.5, 13.4), "TUR": (39.9, 32.9),
    "SYR": (33.5, 36.3), "IRQ": (33.3, 44.4), "AFG": (34.5, 69.2), "NGA": (9.1, 7.5),
    "ZAF": (-25.7, 28.2), "BRA": (-15.8, -47.9), "COL": (4.7, -74.1), "VEN": (10.5, -66.9),
    "JPN": (35.7, 139.7), "KOR": (37.6, 127.0), "PRK": (39.0, 125.8), "EGY": (30.0, 31.2),
    "SAU": (24.7, 46.7), "ETH": (9.0, 38.7),
}
SECTORS = ["GOV", "MIL", "COP", "CVL", "REB", "CRM", "BUS", "MED", "LEG", "JUD"]
CONTEXTS = ["crime", "border", "human_rights", "economic", "terrorism", "migration",
            "military", "election"]
QUAD = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2,
        "RETREAT": 2, "REQUEST": 1, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 3,
        "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4}


def build(path: Path, n: int) -> None:
    """Write a synthetic store of n event mentions at path."""
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path), config={"threads": 1, "memory_limit": "3GB"})
    apply_migrations(con)
    con.execute("CREATE TEMP TABLE c AS SELECT * FROM (VALUES " + ", ".join(
        f"({i}, '{k}', {v[0]}, {v[1]})" for i, (k, v) in enumerate(COUNTRIES.items()))
        + ") t(ix, iso, lat, lon)")
    types = "[" + ", ".join(f"'{t}'" for t in PLOVER_TYPES) + "]"
    quads = "[" + ", ".join(str(QUAD[t]) for t in PLOVER_TYPES) + "]"
    sectors = "[" + ", ".join(f"'{s}'" for s in SECTORS) + "]"
    contexts = "[" + ", ".join(f"'{c}'" for c in CONTEXTS) + "]"
    # Mentions 6-9 of every ten report the same happening (one cluster of four): ~0.7 n events.
    con.execute(f"""
    CREATE TEMP TABLE g AS
    SELECT i, CASE WHEN i % 10 < 6 THEN i ELSE i - i % 10 + 6 END AS ck FROM range({n}) r(i)""")
    con.execute("""
    CREATE TEMP TABLE base AS
    SELECT i, ck, CAST(hash(ck) % 1000000007 AS BIGINT) AS h1,
           CAST(hash(ck * 7 + 1) % 1000000007 AS BIGINT) AS h2,
           CAST(hash(ck * 13 + 5) % 1000000007 AS BIGINT) AS h3
    FROM g""")
    con.execute(f"""
    INSERT INTO events BY NAME
    SELECT 'e' || i AS id, 'd' || (i // 5) AS doc_id, 'dateline' AS origin,
           {types}[1 + h1 % 16] AS type, NULL AS mode, '04' AS cameo,
           {quads}[1 + h1 % 16] AS quad_class,
           ((h1 % 200) / 10.0 - 10) AS goldstein, ((h1 % 200) / 20.0 - 5) AS plover_score,
           a1.iso || s1 AS actor1_code, a1.iso AS actor1_country, s1 AS actor1_sector,
           'Actor ' || a1.iso AS actor1_name,
           a2.iso || s2 AS actor2_code, a2.iso AS actor2_country, s2 AS actor2_sector,
           'Actor ' || a2.iso AS actor2_name,
           CASE WHEN h3 % 3 = 0 THEN [] ELSE
             list_distinct([{contexts}[1 + h3 % 8], {contexts}[1 + h2 % 8]]) END AS contexts,
           strftime(DATE '2015-01-01' + CAST(h2 % 3650 AS INTEGER), '%Y-%m-%d') AS date,
           'day' AS date_precision,
           DATE '2015-01-01' + CAST(h2 % 3650 AS INTEGER) AS event_date,
           'Place ' || a1.iso || ' ' || (h3 % 40) AS location_name, a1.iso AS location_country,
           NULL AS location_admin1,
           a1.lat + (h3 % 40) / 10.0 - 2 AS lat, a1.lon + (h2 % 40) / 10.0 - 2 AS lon,
           NULL AS geonameid,
           i % 50 = 0 AS negated, false AS hypothetical, i % 97 = 0 AS future,
           false AS historical,
           'Synthetic sentence ' || i || ': ' || a1.iso || ' and ' || a2.iso || ' events.'
             AS sentence, 0 AS sent_start, 60 AS sent_end, 'events' AS trigger,
           50 AS trigger_start, 56 AS trigger_end, 0.5 + (h1 % 50) / 100.0 AS confidence,
           'e' || ck AS cluster_id, 'source' || (i % 40) AS source,
           'https://example.org/' || (i // 5) AS url
    FROM (SELECT *, {sectors}[1 + h2 % 10] AS s1, {sectors}[1 + h3 % 10] AS s2,
                 CAST(floor(30 * pow((h1 % 100000) / 100000.0, 2)) AS INTEGER) AS x1,
                 CAST(floor(30 * pow((h2 % 100000) / 100000.0, 2)) AS INTEGER) AS x2
          FROM base) b
    JOIN c a1 ON a1.ix = b.x1
    JOIN c a2 ON a2.ix = CASE WHEN b.x2 = b.x1 THEN (b.x2 + 1) % 30 ELSE b.x2 END""")
    con.execute("""
    INSERT INTO documents (id, url, title, published, source, language, text, n_events)
    SELECT 'd' || d, 'https://example.org/' || d, 'Synthetic story ' || d,
           DATE '2015-01-01' + CAST(d % 3650 AS INTEGER), 'source' || (d % 40), 'en',
           'Synthetic sentence ' || (d * 5) || ': ' || repeat('story text ', 30), 5
    FROM range(?) r(d)""", [n // 5 + 1])
    con.execute("""
    INSERT INTO event_actors (event_id, role, position, text, name, country, sector, code,
                              start_char, end_char)
    SELECT id, 'actor', 0, actor1_name, actor1_name, actor1_country, actor1_sector,
           actor1_code, 20, 30 FROM events
    UNION ALL
    SELECT id, 'recipient', 0, actor2_name, actor2_name, actor2_country, actor2_sector,
           actor2_code, 35, 45 FROM events""")
    con.execute("""
    INSERT INTO clusters BY NAME
    SELECT e.id, e.origin, e.type, e.mode, e.cameo, e.quad_class, e.goldstein, e.plover_score,
           e.actor1_code, e.actor1_country, e.actor1_sector, e.actor1_name,
           e.actor2_code, e.actor2_country, e.actor2_sector, e.actor2_name,
           [e.actor1_country] AS actor_countries, [e.actor2_country] AS recipient_countries,
           [e.actor1_code, e.actor2_code] AS party_codes,
           [e.actor1_sector, e.actor2_sector] AS party_sectors, 2 AS n_parties,
           e.contexts, e.date, e.date_precision, e.event_date, e.location_name,
           e.location_country, e.location_admin1, e.lat, e.lon, e.geonameid,
           e.negated, e.hypothetical, e.future, e.historical,
           NOT (e.negated OR e.hypothetical OR e.future) AS factual,
           m.n AS num_mentions, m.sources AS num_sources, m.stories AS num_stories,
           e.event_date AS first_seen, e.event_date AS last_seen, e.id AS representative_id,
           e.doc_id, e.sentence, e.trigger, e.confidence, e.source, e.url
    FROM events e JOIN (SELECT cluster_id, count(*) AS n, count(DISTINCT source) AS sources,
                               count(DISTINCT doc_id) AS stories
                        FROM events GROUP BY 1) m ON m.cluster_id = e.id""")
    con.execute("CHECKPOINT")
    con.close()


def pages(event_id: str) -> list[str]:
    paths = ["/", "/dyad/RUS-USA", "/dyad/MEX-USA?directed=1", "/map",
             "/map?type=ASSAULT&quad_class=4&since=2019-01-01&until=2020-12-31",
             "/map?country=MEX", "/events", "/events?dyad=CAN-USA&sort=mentions",
             "/events?type=PROTEST&context=crime&since=2018&page=3",
             "/events?actor=MEX&sort=goldstein&dir=asc&page=400",
             "/events?mentions=1&place=Place%20MEX%207", f"/event/{event_id}", "/reviews"]
    return paths + [p.split("?")[0] + ".json" + ("?" + p.split("?")[1] if "?" in p else "")
                    for p in paths]


def render(app, target: str) -> tuple[float, float]:
    """Wall and CPU milliseconds of one page (CPU: this process, all threads)."""
    path, _, query = target.partition("?")
    env = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
           "HTTP_HOST": "127.0.0.1:8000", "wsgi.input": io.BytesIO()}
    status = {}
    wall, cpu = time.perf_counter(), time.process_time()
    body = b"".join(app(env, lambda s, h: status.setdefault("s", int(s.split()[0]))))
    wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
    if status["s"] != 200:
        raise SystemExit(f"{target}: HTTP {status['s']}: {body[:300]!r}")
    return wall, cpu


def _pcts(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return (statistics.median(ordered),
            ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=None,
                    help="DuckDB threads (default: DuckDB's own, as `dateline serve`)")
    ap.add_argument("--db", default="/tmp/dateline-web-bench.duckdb")
    args = ap.parse_args()
    path = Path(args.db)
    have = 0
    if path.exists():
        with duckdb.connect(str(path), read_only=True) as con:
            have = con.execute("SELECT count(*) FROM events").fetchone()[0]
    if have != args.events:
        t = time.perf_counter()
        build(path, args.events)
        print(f"built {args.events:,} mentions in {time.perf_counter() - t:.1f} s "
              f"({path.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
    else:  # a store built by an older version of this script: bring its schema up to date
        with duckdb.connect(str(path)) as con:
            apply_migrations(con)
    from dateline.web.app import create_app
    config = {"threads": args.threads} if args.threads else {}
    with duckdb.connect(str(path), read_only=True) as con:
        event_id = con.execute("SELECT id FROM events WHERE cluster_id = 'e6' LIMIT 1"
                               ).fetchone()[0]
        counts = con.execute("SELECT (SELECT count(*) FROM events), "
                             "(SELECT count(*) FROM clusters), current_setting('threads')"
                             ).fetchone()
    threads = args.threads or counts[2]
    print(f"store: {counts[0]:,} mentions, {counts[1]:,} canonical events; DuckDB threads "
          f"{threads}; {args.runs} runs per page and situation\n")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print("ms, p50 / p95 (CPU: p50). start = first request after server start; reopen = "
          "first request for the page after the store was let go; open = first request for "
          "the page, store held open; cached = seen before.\n")
    print("| page | start wall | start CPU | reopen wall | reopen CPU | open wall | open CPU "
          "| cached wall | load |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    cold = create_app(path, duckdb_config=config, idle_release=600, cache_size=0)
    warm = create_app(path, duckdb_config=config, idle_release=600)
    worst: dict[str, float] = {}
    for target in pages(event_id):
        results: dict[str, list[tuple[float, float]]] = {}
        runs = []
        for _ in range(args.runs):  # a new app each time: nothing opened, remembered, cached
            app = create_app(path, duckdb_config=config, idle_release=600)
            runs.append(render(app, target))
            app.store.release()
        results["start"] = runs
        render(cold, target)  # facts about this state of the store are remembered by now
        runs = []
        for _ in range(args.runs):
            cold.store.release()
            runs.append(render(cold, target))
        results["reopen"] = runs
        results["open"] = [render(cold, target) for _ in range(args.runs)]
        render(warm, target)
        results["cached"] = [render(warm, target) for _ in range(args.runs)]
        cells = []
        for name in ("start", "reopen", "open", "cached"):
            w50, w95 = _pcts([w for w, _ in results[name]])
            c50, _ = _pcts([c for _, c in results[name]])
            worst[name] = max(worst.get(name, 0.0), w95)
            worst[name + "_cpu"] = max(worst.get(name + "_cpu", 0.0), c50)
            cells.append(f"{w50:.0f} / {w95:.0f}")
            if name != "cached":
                cells.append(f"{c50:.0f}")
        cells.append(f"{os.getloadavg()[0]:.1f}")
        print(f"| `{target}` | " + " | ".join(cells) + " |", flush=True)
    print("\nslowest wall p95: " + ", ".join(f"{k} {worst[k]:.0f} ms" for k in
                                            ("start", "reopen", "open", "cached"))
          + "; slowest CPU p50: " + ", ".join(f"{k} {worst[k + '_cpu']:.0f} ms" for k in
                                                ("start", "reopen", "open")))
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    cold.store.release()
    warm.store.release()


if __name__ == "__main__":
    main()
