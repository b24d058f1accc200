"""Write dashboard reviews as a gold file: dateline JSONL of coded documents (docs/gold-format.md).

Each reviewed story becomes one line in the CONTRACT's coded-document form whose
``events`` are the events a person confirmed or corrected; events marked wrong are listed
apart, so a scorer can count a prediction matching one as a false positive.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from dateline import ontology
from dateline.web.reviews import latest_reviews

GOLD_FORMAT_VERSION = 1


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _actor(row: dict[str, Any]) -> dict[str, Any]:
    return {"text": row.get("text"), "name": row.get("name"), "country": row.get("country"),
            "sector": row.get("sector"), "code": row.get("code"), "title": row.get("title"),
            "wikidata": row.get("wikidata"), "start": row.get("start_char"),
            "end": row.get("end_char")}


def _actor_from_code(code: str, coded: list[dict[str, Any]]) -> dict[str, Any]:
    """A corrected actor; keeps the coded mention's text and offsets when its code matches."""
    for actor in coded:
        if actor.get("code") == code:
            return dict(actor)
    return {"text": None, "name": None, "country": code[:3], "sector": code[3:6] or None,
            "code": code, "title": None, "wikidata": None, "start": None, "end": None}


def event_json(row: dict[str, Any], actors: list[dict[str, Any]]) -> dict[str, Any]:
    """The CONTRACT's EVENT object for one stored event row and its event_actors rows."""
    location = None
    if row.get("location_name") or row.get("lat") is not None:
        location = {"name": row.get("location_name"), "country": row.get("location_country"),
                    "admin1": row.get("location_admin1"), "lat": row.get("lat"),
                    "lon": row.get("lon"), "geonameid": row.get("geonameid")}
    ordered = sorted(actors, key=lambda a: (a["role"], a["position"]))
    return {
        "id": row["id"], "type": row.get("type"), "mode": row.get("mode"),
        "cameo": row.get("cameo"), "quad_class": row.get("quad_class"),
        "goldstein": row.get("goldstein"),
        "actors": [_actor(a) for a in ordered if a["role"] == "actor"],
        "recipients": [_actor(a) for a in ordered if a["role"] == "recipient"],
        "contexts": list(row.get("contexts") or []),
        "date": row.get("date"), "date_precision": row.get("date_precision"),
        "location": location,
        "modality": {k: bool(row.get(k)) for k in ("negated", "hypothetical", "future",
                                                   "historical")},
        "evidence": {"sentence": row.get("sentence") or "", "start": row.get("sent_start"),
                     "end": row.get("sent_end"), "trigger": row.get("trigger") or "",
                     "trigger_start": row.get("trigger_start"),
                     "trigger_end": row.get("trigger_end")},
        "confidence": row.get("confidence"),
    }


def apply_review(event: dict[str, Any], review: dict[str, Any]) -> dict[str, Any]:
    """The gold version of a coded event: its corrections applied, the coded values kept aside."""
    gold = json.loads(json.dumps(event, default=str))
    coded = {"type": event["type"], "mode": event["mode"],
             "actors": [a.get("code") for a in event["actors"]],
             "recipients": [a.get("code") for a in event["recipients"]]}
    if review["verdict"] == "corrected":
        if review.get("type"):
            gold["type"] = review["type"]
            gold["mode"] = review.get("mode")
            gold["cameo"] = ontology.cameo_for(review["type"], review.get("mode"))
            gold["quad_class"] = ontology.quad_class(review["type"])
            gold["goldstein"] = ontology.goldstein(gold["cameo"])
        if review.get("actors") is not None:
            gold["actors"] = [_actor_from_code(c, event["actors"]) for c in review["actors"]]
        if review.get("recipients") is not None:
            gold["recipients"] = [_actor_from_code(c, event["recipients"])
                                  for c in review["recipients"]]
    gold["review"] = {"id": review["id"], "verdict": review["verdict"],
                      "reviewer": review.get("reviewer"), "note": review.get("note"),
                      "created_at": str(review["created_at"]), "coded": coded}
    return gold


def write_gold(con: duckdb.DuckDBPyConnection, path: str | Path) -> int:
    """Write every reviewed story as one gold line; return the number of lines written."""
    reviews = latest_reviews(con)
    by_doc: dict[str, dict[str, dict[str, Any]]] = {}
    for review in reviews:
        if review.get("doc_id"):
            by_doc.setdefault(review["doc_id"], {})[review["event_id"]] = review
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for doc_id in sorted(by_doc):
            docs = _rows(con, "SELECT id, url, title, CAST(published AS VARCHAR) AS published,"
                              " source, language, author, origin, text FROM documents"
                              " WHERE id = ?", [doc_id])
            if not docs:
                continue
            doc = docs[0]
            events = _rows(con, "SELECT * FROM events WHERE doc_id = ? ORDER BY sent_start, "
                                "trigger_start, id", [doc_id])
            actors = _rows(con, "SELECT a.* FROM event_actors a JOIN events e "
                                "ON e.id = a.event_id WHERE e.doc_id = ?", [doc_id])
            gold_events, wrong, unreviewed = [], [], []
            for row in events:
                event = event_json(row, [a for a in actors if a["event_id"] == row["id"]])
                review = by_doc[doc_id].get(row["id"])
                if review is None:
                    unreviewed.append(row["id"])
                elif review["verdict"] == "wrong":
                    wrong.append(apply_review(event, review))
                else:
                    gold_events.append(apply_review(event, review))
            line = {"doc": {k: doc[k] for k in ("id", "url", "title", "published", "source",
                                                "language", "author", "origin", "text")},
                    "events": gold_events, "quotes": [], "claims": [], "rejected": None,
                    "gold": {"format": "dateline-gold", "version": GOLD_FORMAT_VERSION,
                             "complete": not unreviewed, "wrong_events": wrong,
                             "unreviewed_event_ids": unreviewed}}
            out.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
            written += 1
    return written
