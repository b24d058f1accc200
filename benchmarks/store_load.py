"""Store benchmark: load N synthetic event mentions (with cross-story dedup), then time
dyad-by-month aggregates over M synthetic canonical events.

    .venv/bin/python benchmarks/store_load.py --events 1000000 --aggregate-events 10000000
    .venv/bin/python benchmarks/store_load.py --events 300000 --aggregate-events 0 \
        --writer-batches 20      # then the CLI's writer: 64-story batches into that store

Synthetic data only (numpy/DuckDB), written to a temp dir that is removed afterwards.
Mentions come from "happenings" reported 1-4 times with jittered dates and places, so
dedup has real merging to do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from dateline import ontology
from dateline.store import open_store
from dateline.store.dedup import rebuild_clusters, registered, update_clusters
from dateline.store.queries import EventFilter, aggregate

COUNTRIES = ["USA", "MEX", "RUS", "GBR", "CHN", "ISR", "PSE", "VEN", "COL", "BRA", "IND",
             "PAK", "AFG", "IRQ", "SYR", "IRN", "TUR", "UKR", "DEU", "FRA", "NGA", "KEN",
             "EGY", "SAU", "JPN", "KOR", "PRK", "PHL", "IDN", "ZAF"]
SECTORS = ["GOV", "MIL", "COP", "CVL", "REB", "CRM", "BUS", "JUD"]
TYPES = list(ontology.event_types())


def synthetic_mentions(n: int, seed: int = 1) -> tuple[pa.Table, pa.Table, pa.Table]:
    """documents, events and event_actors tables for about n mentions."""
    rng = np.random.default_rng(seed)
    n_happen = int(n / 1.8)
    reports = rng.choice([1, 1, 2, 2, 3, 4], size=n_happen)
    reports[-1] += max(n - int(reports.sum()), 0)
    hid = np.repeat(np.arange(n_happen), reports)[:n]
    a1 = rng.integers(0, len(COUNTRIES), n_happen)[hid]
    a2 = rng.integers(0, len(COUNTRIES), n_happen)[hid]
    s1 = rng.integers(0, len(SECTORS), n_happen)[hid]
    s2 = rng.integers(0, len(SECTORS), n_happen)[hid]
    etype = rng.integers(0, len(TYPES), n_happen)[hid]
    base = np.datetime64("2016-01-01")
    day = (rng.integers(0, 730, n_happen)[hid] + rng.integers(-1, 2, n)).astype("timedelta64[D]")
    dates = (base + day).astype("datetime64[D]")
    city = rng.integers(0, 5, n_happen)[hid]
    coarse = rng.random(n) < 0.3  # a third of the reports name only the country
    doc = rng.integers(0, max(n // 4, 1), n)
    ids = np.char.add("m", np.arange(n).astype(str))
    countries = np.array(COUNTRIES)
    sectors = np.array(SECTORS)
    loc_country = countries[a2]
    loc_name = np.where(coarse, loc_country, np.char.add(loc_country, np.char.add("-city",
                                                                                city.astype(str))))
    types = np.array(TYPES)[etype]
    scores = np.array([ontology.plover_score(t) for t in TYPES])[etype]
    quads = np.array([ontology.quad_class(t) for t in TYPES])[etype]
    doc_ids = np.char.add("d", doc.astype(str))
    events = pa.table({
        "id": ids, "doc_id": doc_ids, "origin": np.full(n, "dateline"),
        "type": types, "quad_class": quads.astype(np.int8), "plover_score": scores,
        "goldstein": scores,
        "actor1_country": countries[a1], "actor1_sector": sectors[s1],
        "actor1_code": np.char.add(countries[a1], sectors[s1]),
        "actor2_country": countries[a2], "actor2_sector": sectors[s2],
        "actor2_code": np.char.add(countries[a2], sectors[s2]),
        "date": dates.astype(str), "date_precision": np.full(n, "day"), "event_date": dates,
        "location_name": loc_name, "location_country": loc_country,
        "negated": np.zeros(n, bool), "hypothetical": np.zeros(n, bool),
        "future": np.zeros(n, bool), "historical": np.zeros(n, bool),
        "sentence": np.full(n, "synthetic sentence"), "trigger": np.full(n, "did"),
        "confidence": np.full(n, 0.9),
    })
    actors = pa.table({
        "event_id": np.concatenate([ids, ids]),
        "role": np.concatenate([np.full(n, "actor"), np.full(n, "recipient")]),
        "position": np.zeros(2 * n, np.int32),
        "country": np.concatenate([countries[a1], countries[a2]]),
        "sector": np.concatenate([sectors[s1], sectors[s2]]),
        "code": np.concatenate([np.char.add(countries[a1], sectors[s1]),
                                np.char.add(countries[a2], sectors[s2])]),
    })
    uniq = np.unique(doc)
    documents = pa.table({
        "id": np.char.add("d", uniq.astype(str)),
        "source": np.char.add("src", (uniq % 50).astype(str)),
        "published": (base + (uniq % 730).astype("timedelta64[D]")).astype("datetime64[D]"),
    })
    return documents, events, actors


def bench_load(n: int, folder: Path, threads: int = 2) -> dict:
    t0 = time.perf_counter()
    documents, events, actors = synthetic_mentions(n)
    t_gen = time.perf_counter() - t0
    with open_store(folder / "load.duckdb") as store:
        con = store.con
        con.execute(f"SET threads = {int(threads)}")
        t0, c0 = time.perf_counter(), time.process_time()
        con.execute("BEGIN TRANSACTION")
        with registered(con, _b_docs=documents, _b_ev=events, _b_ea=actors):
            con.execute("INSERT INTO documents BY NAME SELECT * FROM _b_docs")
            con.execute("INSERT INTO events BY NAME SELECT * FROM _b_ev")
            con.execute("INSERT INTO event_actors BY NAME SELECT * FROM _b_ea")
        t_insert, c_insert = time.perf_counter() - t0, time.process_time() - c0
        n_clusters = rebuild_clusters(con)
        con.execute("COMMIT")
        t_total, c_total = time.perf_counter() - t0, time.process_time() - c0
        # Then one incremental batch, as the writer sends it: 1,000 new mentions.
        _, more, more_actors = synthetic_mentions(1000, seed=2)
        more = more.set_column(0, "id", pa.array([f"new{i}" for i in range(more.num_rows)]))
        more_actors = more_actors.set_column(
            0, "event_id", pa.array([f"new{i}" for i in range(more.num_rows)] * 2))
        t1, c1 = time.perf_counter(), time.process_time()
        con.execute("BEGIN TRANSACTION")
        with registered(con, _b_ev=more, _b_ea=more_actors):
            con.execute("INSERT INTO events BY NAME SELECT * FROM _b_ev")
            con.execute("INSERT INTO event_actors BY NAME SELECT * FROM _b_ea")
        update_clusters(con, [f"new{i}" for i in range(more.num_rows)])
        con.execute("COMMIT")
        t_batch, c_batch = time.perf_counter() - t1, time.process_time() - c1
    r = 2
    return {"mentions": events.num_rows, "clusters": n_clusters, "generate_s": round(t_gen, r),
            "insert_wall_s": round(t_insert, r), "insert_cpu_s": round(c_insert, r),
            "dedup_wall_s": round(t_total - t_insert, r),
            "dedup_cpu_s": round(c_total - c_insert, r),
            "load_total_wall_s": round(t_total, r), "load_total_cpu_s": round(c_total, r),
            "incremental_1000_wall_s": round(t_batch, r),
            "incremental_1000_cpu_s": round(c_batch, r)}


def bench_aggregate(m: int, folder: Path, threads: int = 2, repeats: int = 5) -> dict:
    with open_store(folder / "agg.duckdb") as store:
        con = store.con
        con.execute(f"SET threads = {int(threads)}")
        t0 = time.perf_counter()
        countries = "[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
        types = "[" + ", ".join(f"'{t}'" for t in TYPES) + "]"
        # Canonical events generated inside DuckDB: no Python loop over 10M rows.
        con.execute(f"""
            INSERT INTO clusters BY NAME
            SELECT 'c' || i AS id, 'dateline' AS origin,
                   {types}[1 + (hash(i) % {len(TYPES)})::INT] AS type,
                   (1 + hash(i * 3) % 4)::TINYINT AS quad_class,
                   (hash(i * 5) % 200)::DOUBLE / 10 - 10 AS goldstein,
                   (hash(i * 7) % 200)::DOUBLE / 10 - 10 AS plover_score,
                   {countries}[1 + (hash(i * 11) % {len(COUNTRIES)})::INT] AS actor1_country,
                   {countries}[1 + (hash(i * 13) % {len(COUNTRIES)})::INT] AS actor2_country,
                   2 AS n_parties,
                   DATE '2010-01-01' + (hash(i * 17) % 5000)::INT AS event_date,
                   true AS factual, 1 AS num_mentions, 1 AS num_sources, 1 AS num_stories
            FROM range({m}) t(i)""")
        t_gen = time.perf_counter() - t0
        con.execute("CHECKPOINT")
        timings = {}
        queries = {
            "one dyad (MEX-USA, undirected) by month":
                lambda: aggregate(con, EventFilter(dyad="MEX-USA"), by="month"),
            "one dyad by month, 2015 only":
                lambda: aggregate(con, EventFilter(dyad="MEX-USA", since="2015",
                                                   until="2015"), by="month"),
            "every dyad by month (GROUP BY dyad, month)":
                lambda: con.execute(
                    "SELECT least(actor1_country, actor2_country), "
                    "greatest(actor1_country, actor2_country), date_trunc('month', event_date), "
                    "count(*), avg(goldstein) FROM clusters WHERE factual GROUP BY 1, 2, 3"
                ).fetchall(),
        }
        for name, run in queries.items():
            run()  # warm: first touch reads the file
            walls, cpus = zip(*(_timed(run) for _ in range(repeats)))
            timings[name] = {"best_wall_s": round(min(walls), 3),
                             "best_cpu_s": round(min(cpus), 3)}
    return {"canonical_events": m, "generate_s": round(t_gen, 2), "queries": timings}


def writer_stories(n_docs: int, seed: int, per_doc: int = 15) -> list:
    """Coded stories like the coder's (15 events each) over the synthetic store's period and
    parties, so their mentions meet stored ones (and each other: a third repeat one)."""
    from dateline.records import Actor, CodedDocument, Document, Event, Evidence, Location

    rng = np.random.default_rng(seed)
    out = []
    for d in range(n_docs):
        text = f"Writer story {seed}-{d}. " + "Officials met to discuss security. " * 150
        doc = Document(text=text, published="2017-01-01", source=f"src{d % 40}")
        events = []
        for k in range(per_doc):
            h = int(rng.integers(0, 3 * n_docs * per_doc))  # a happening some report twice
            hr = np.random.default_rng(h + 7919 * seed)
            day = dt.date(2016, 1, 1) + dt.timedelta(days=int(hr.integers(0, 730)))
            a, b = hr.choice(COUNTRIES, 2, replace=False)
            sa, sb = hr.choice(SECTORS, 2)
            event = Event(type=str(hr.choice(TYPES)),
                          evidence=Evidence(sentence=text[:40], start=0, end=40, trigger="met",
                                            trigger_start=k),
                          actors=[Actor(text="x", country=str(a), sector=str(sa))],
                          recipients=[Actor(text="y", country=str(b), sector=str(sb))],
                          date=day.isoformat(), date_precision="day",
                          location=Location(name=str(b), country=str(b)))
            event.assign_id(doc.id)
            events.append(event)
        out.append(CodedDocument(doc=doc, events=events))
    return out


def bench_writer(batches: int, path: Path, batch_size: int = 64) -> dict:
    """What `dateline code`'s main process does with the store, in CPU seconds: each batch
    (open the store, write with clustering deferred, close; clustering the backlog when it
    is due) and the clustering of what is left at the end of the run."""
    from dateline import pipeline

    sessions = pipeline._StoreSessions(str(path), 0)
    plain, flushing, n_events = [], [], 0
    for k in range(batches):
        batch = writer_stories(batch_size, seed=k + 1)
        t0 = time.process_time()
        result = sessions.write_batch(batch)
        cpu = time.process_time() - t0
        n_events += result.events
        (plain if sessions.backlog else flushing).append(cpu)
    t0 = time.process_time()
    sessions.finish()
    finish = time.process_time() - t0
    with open_store(path, read_only=True) as store:
        n_stored = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
    stories = batches * batch_size
    total = sum(plain) + sum(flushing) + finish
    return {"batches": batches, "stories": stories, "mentions": n_events,
            "store_mentions_after": n_stored,
            "batch_cpu_s_median": round(float(np.median(plain)), 3) if plain else None,
            "batches_that_clustered_cpu_s": [round(c, 2) for c in flushing],
            "end_of_run_clustering_cpu_s": round(finish, 2),
            "main_store_cpu_ms_per_story": round(1000 * total / stories, 2)}


def _timed(run) -> tuple[float, float]:
    """Wall and process CPU seconds (CPU sums DuckDB's threads)."""
    t0, c0 = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--aggregate-events", type=int, default=10_000_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--writer-batches", type=int, default=0,
                        help="then write this many 64-story batches as `dateline code` does")
    args = parser.parse_args()
    print(f"# {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cpus, "
          f"load average {os.getloadavg()[0]:.1f}, threads {args.threads}")
    with tempfile.TemporaryDirectory(prefix="dateline-bench-") as tmp:
        if args.events:
            print("load:", bench_load(args.events, Path(tmp), args.threads))
        if args.writer_batches:
            print("writer:", bench_writer(args.writer_batches, Path(tmp) / "load.duckdb"))
        if args.aggregate_events:
            print("aggregate:", bench_aggregate(args.aggregate_events, Path(tmp), args.threads))


if __name__ == "__main__":
    main()
