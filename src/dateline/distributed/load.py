"""Load the Parquet output of the Spark job into a DuckDB store, in one transaction.

DuckDB reads the Parquet itself (streaming, spilling to disk when needed), so loading
never holds the corpus in Python; stories already in the store are skipped by id.
"""

from __future__ import annotations

from pathlib import Path

from dateline.distributed.job import PARTITION_COLUMN, TABLES


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _source(directory: str, table: str) -> str:
    pattern = f"{directory.rstrip('/')}/{table}/**/*.parquet"
    return f"read_parquet({_literal(pattern)}, hive_partitioning = true)"


def load_parquet(db: str | Path, directory: str) -> dict[str, int]:
    """Insert the new rows of every table under `directory` into the store at `db`."""
    from dateline.store import open_store
    from dateline.store.dedup import update_clusters

    directory = str(directory)
    with open_store(db) as store:
        con = store.con
        present = {
            t for t in TABLES
            if con.execute("SELECT count(*) FROM glob(?)",
                           [f"{directory.rstrip('/')}/{t}/**/*.parquet"]).fetchone()[0]
        }
        if not present & {"documents", "rejections"}:
            raise FileNotFoundError(f"no dateline Parquet (documents/, rejections/) under "
                                    f"{directory}")

        def rows(table: str, where: str, key: str) -> str:
            # One row per key even if a story reached the Parquet twice.
            return (f"SELECT * EXCLUDE ({PARTITION_COLUMN}) FROM {_source(directory, table)} p "
                    f"WHERE {where} QUALIFY row_number() OVER (PARTITION BY {key} "
                    f"ORDER BY {PARTITION_COLUMN}) = 1")

        counts = dict.fromkeys(TABLES, 0)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("CREATE OR REPLACE TEMP TABLE _dl_new_docs (id VARCHAR PRIMARY KEY)")
            con.execute("CREATE OR REPLACE TEMP TABLE _dl_new_events (id VARCHAR PRIMARY KEY)")
            if "documents" in present:
                con.execute(f"""INSERT INTO _dl_new_docs SELECT DISTINCT p.id
                                FROM {_source(directory, 'documents')} p
                                WHERE p.id NOT IN (SELECT id FROM documents)""")
                con.execute("INSERT INTO documents BY NAME " + rows(
                    "documents", "p.id IN (SELECT id FROM _dl_new_docs)", "p.id"))
            if "events" in present:
                con.execute("INSERT INTO _dl_new_events SELECT DISTINCT p.id FROM "
                            f"{_source(directory, 'events')} p "
                            "WHERE p.doc_id IN (SELECT id FROM _dl_new_docs)")
                con.execute("INSERT INTO events BY NAME " + rows(
                    "events", "p.id IN (SELECT id FROM _dl_new_events)", "p.id"))
            if "event_actors" in present:
                con.execute("INSERT INTO event_actors BY NAME " + rows(
                    "event_actors", "p.event_id IN (SELECT id FROM _dl_new_events)",
                    "p.event_id, p.role, p.position"))
            for table in ("quotes", "claims"):
                if table in present:
                    con.execute(f"INSERT INTO {table} BY NAME " + rows(
                        table, "p.doc_id IN (SELECT id FROM _dl_new_docs)",
                        "p.doc_id, p.position"))
            if "rejections" in present:
                con.execute("INSERT INTO rejections BY NAME " + rows(
                    "rejections", "p.id NOT IN (SELECT id FROM rejections) AND "
                    "p.id NOT IN (SELECT id FROM documents)", "p.id"))
            new_events = [r[0] for r in con.execute("SELECT id FROM _dl_new_events").fetchall()]
            update_clusters(con, new_events)
            for table in TABLES:
                counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        added_docs = con.execute("SELECT count(*) FROM _dl_new_docs").fetchone()[0]
    return {"db": str(db), "documents_added": int(added_docs),
            "events_added": len(new_events), "totals": counts}
