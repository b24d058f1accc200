"""Reviews: a person's verdict on a coded event, stored beside it and never altering it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb

from dateline.ontology import modes
from dateline.records import PLOVER_TYPES, content_id

VERDICTS = ("correct", "wrong", "corrected")
_CODE = re.compile(r"^[A-Z]{3}(?:[A-Z]{3}){0,3}$")

# Same DDL as migration 20 in dateline.store.schema, for stores made before it existed.
_REVIEWS_DDL = """
CREATE TABLE IF NOT EXISTS reviews (
    id VARCHAR PRIMARY KEY, event_id VARCHAR NOT NULL, doc_id VARCHAR,
    verdict VARCHAR NOT NULL, type VARCHAR, mode VARCHAR,
    actors VARCHAR[], recipients VARCHAR[], note VARCHAR, reviewer VARCHAR,
    created_at TIMESTAMP NOT NULL
)"""


class ReviewError(ValueError):
    """A review that cannot be stored, with the reason in words."""


@dataclass
class Review:
    event_id: str
    verdict: str
    type: str | None = None
    mode: str | None = None
    actors: list[str] | None = None
    recipients: list[str] | None = None
    note: str | None = None
    reviewer: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))


def parse_codes(raw: str | None) -> list[str] | None:
    """'USAGOV, mexcop' -> ['USAGOV', 'MEXCOP']; blank -> None (unchanged)."""
    if raw is None or not raw.strip():
        return None
    codes = [c.strip().upper() for c in re.split(r"[,\s;]+", raw) if c.strip()]
    bad = [c for c in codes if not _CODE.match(c)]
    if bad:
        raise ReviewError(f"not an actor code (3-letter country or group, then sectors, "
                          f"e.g. USAGOV): {', '.join(bad)[:80]}")
    return codes


def review_from_form(event_id: str, form: dict[str, str]) -> Review:
    """Validate a submitted review form into a Review (raises ReviewError)."""
    verdict = (form.get("verdict") or "").strip().lower()
    if verdict not in VERDICTS:
        raise ReviewError("verdict must be one of: " + ", ".join(VERDICTS))
    review = Review(event_id=event_id, verdict=verdict,
                    note=(form.get("note") or "").strip()[:2000] or None,
                    reviewer=(form.get("reviewer") or "").strip()[:100] or None)
    if verdict == "corrected":
        etype = (form.get("type") or "").strip().upper() or None
        if etype is not None and etype not in PLOVER_TYPES:
            raise ReviewError(f"unknown PLOVER event type: {etype[:40]}")
        mode = (form.get("mode") or "").strip() or None
        if mode is not None and (etype is None or mode not in modes().get(etype, {})):
            raise ReviewError(f"mode {mode[:40]!r} is not a PLOVER mode of {etype}")
        review.type, review.mode = etype, mode
        review.actors = parse_codes(form.get("actors"))
        review.recipients = parse_codes(form.get("recipients"))
        if not (etype or review.actors is not None or review.recipients is not None):
            raise ReviewError("a correction needs a new type, actors or recipients")
    return review


def record_review(con: duckdb.DuckDBPyConnection, review: Review) -> str:
    """Insert one review (the only write the dashboard makes); return its id."""
    row = con.execute("SELECT doc_id FROM events WHERE id = ?", [review.event_id]).fetchone()
    if row is None:
        raise ReviewError(f"no event {review.event_id[:40]}")
    con.execute(_REVIEWS_DDL)
    rid = content_id("|".join(str(x) for x in (
        review.event_id, review.verdict, review.type, review.mode, review.actors,
        review.recipients, review.note, review.created_at.isoformat())))
    con.execute(
        "INSERT INTO reviews (id, event_id, doc_id, verdict, type, mode, actors, recipients,"
        " note, reviewer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [rid, review.event_id, row[0], review.verdict, review.type, review.mode,
         review.actors, review.recipients, review.note, review.reviewer, review.created_at])
    return rid


def has_reviews(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() "
                            "WHERE table_name = 'reviews'").fetchone()[0])


def reviews_of(con: duckdb.DuckDBPyConnection, event_id: str) -> list[dict[str, Any]]:
    """Every review of one event, newest first."""
    try:
        cur = con.execute("SELECT * FROM reviews WHERE event_id = ? "
                          "ORDER BY created_at DESC, id", [event_id])
    except duckdb.CatalogException:  # a store from before migration 20: no reviews yet
        return []
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def latest_reviews(con: duckdb.DuckDBPyConnection, limit: int | None = None,
                   offset: int = 0) -> list[dict[str, Any]]:
    """The latest review of each reviewed event, newest first, with the coded values."""
    sql = """
        SELECT r.*, e.type AS coded_type, e.mode AS coded_mode, e.actor1_code, e.actor2_code,
               e.sentence, d.title
        FROM (SELECT * FROM reviews
              QUALIFY row_number() OVER (PARTITION BY event_id
                                         ORDER BY created_at DESC, id DESC) = 1) r
        LEFT JOIN events e ON e.id = r.event_id
        LEFT JOIN documents d ON d.id = r.doc_id
        ORDER BY r.created_at DESC, r.id"""
    params: list[Any] = []
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [limit, offset]
    try:
        cur = con.execute(sql, params)
    except duckdb.CatalogException:  # a store from before migration 20: no reviews yet
        return []
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
