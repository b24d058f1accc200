"""The bundled demo: sample wire stories written for dateline, coded into a store."""

from __future__ import annotations

from importlib import resources

from dateline.ingest import IngestOptions, read_stream
from dateline.pipeline import RunSummary, run_items

STORIES = "stories.jsonl"


def stories_path():
    """The bundled stories file (JSONL: id, title, date, source, url, text)."""
    return resources.files(__name__).joinpath(STORIES)


def run_demo(db: str = "dateline.duckdb", *, workers: int = 1,
             progress: bool = False) -> RunSummary:
    """Code the bundled stories into ``db`` (stories already there are skipped)."""
    import io

    data = stories_path().read_bytes()
    items = read_stream(io.BufferedReader(io.BytesIO(data)), f"demo:{STORIES}", IngestOptions())
    return run_items(items, db=db, workers=workers, progress=progress)


def demo_summary(db: str, run: RunSummary | None = None, top: int = 8) -> str:
    """A short report of the demo stories in ``db``: stories, events by type, top dyads."""
    from dateline.store import open_store

    with open_store(db, read_only=True) as store:
        con = store.con.cursor()
        demo = "origin LIKE 'demo:%'"
        stories = con.execute(f"SELECT count(*) FROM documents WHERE {demo}").fetchone()[0]
        events_sql = f"SELECT * FROM events WHERE doc_id IN (SELECT id FROM documents WHERE {demo})"
        n_events = con.execute(f"SELECT count(*) FROM ({events_sql})").fetchone()[0]
        by_type = con.execute(
            f"SELECT type, count(*) n FROM ({events_sql}) GROUP BY type ORDER BY n DESC, type"
        ).fetchall()
        dyads = con.execute(
            f"SELECT least(actor1_country, actor2_country) a, greatest(actor1_country, "
            f"actor2_country) b, count(*) n FROM ({events_sql}) WHERE actor1_country IS NOT NULL"
            f" AND actor2_country IS NOT NULL AND actor1_country <> actor2_country "
            f"GROUP BY a, b ORDER BY n DESC, a, b LIMIT {int(top)}"
        ).fetchall()
        rejected = con.execute(
            "SELECT count(*) FROM rejections WHERE origin LIKE 'demo:%'").fetchone()[0]
        con.close()
    lines = [f"dateline demo -> {db}",
             f"  stories: {stories}" + (f" (rejected: {rejected})" if rejected else ""),
             f"  events:  {n_events}"]
    if run is not None and run.skipped_known:
        lines.append(f"  ({run.skipped_known} stories were already in the store)")
    if by_type:
        lines.append("  events by type:")
        lines.extend(f"    {t or '?':<10} {n}" for t, n in by_type)
    if dyads:
        lines.append("  top dyads (undirected):")
        lines.extend(f"    {a}-{b:<6} {n}" for a, b, n in dyads)
    if not n_events:
        lines.append("  (no events: the event coder is not installed or found none)")
    lines.append(f"Next: dateline events --db {db}  |  dateline serve --db {db}")
    return "\n".join(lines)
