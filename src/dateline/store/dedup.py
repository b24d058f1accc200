"""Cross-story deduplication (placeholder until issue 5 lands)."""
# TEMPORARY: replaced by the store-analytics work (issue 5).

from __future__ import annotations


def update_clusters(con, event_ids: list[str]) -> None:
    """Assign cluster ids to the given new event rows, inside the caller's transaction."""
    if event_ids:
        con.execute("UPDATE events SET cluster_id = id WHERE cluster_id IS NULL")
