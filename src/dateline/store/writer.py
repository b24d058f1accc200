"""Turns coded documents into Arrow tables shaped like the store's tables.

The store inserts these with one ``INSERT ... SELECT`` per table inside one transaction
per batch; DuckDB is far faster through Arrow than row by row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from dateline.records import Actor, CodedDocument, Event

DOCUMENTS = pa.schema([
    ("id", pa.string()), ("url", pa.string()), ("title", pa.string()),
    ("published", pa.date32()), ("source", pa.string()), ("language", pa.string()),
    ("author", pa.string()), ("origin", pa.string()), ("text", pa.string()),
    ("contexts", pa.list_(pa.string())),
    ("n_events", pa.int32()), ("n_quotes", pa.int32()), ("n_claims", pa.int32()),
    ("coder_version", pa.string()), ("coded_at", pa.timestamp("us")),
])

EVENTS = pa.schema([
    ("id", pa.string()), ("doc_id", pa.string()), ("origin", pa.string()),
    ("type", pa.string()), ("mode", pa.string()), ("cameo", pa.string()),
    ("quad_class", pa.int8()), ("goldstein", pa.float64()), ("plover_score", pa.float64()),
    ("actor1_code", pa.string()), ("actor1_country", pa.string()),
    ("actor1_sector", pa.string()), ("actor1_name", pa.string()),
    ("actor2_code", pa.string()), ("actor2_country", pa.string()),
    ("actor2_sector", pa.string()), ("actor2_name", pa.string()),
    ("contexts", pa.list_(pa.string())),
    ("date", pa.string()), ("date_precision", pa.string()), ("event_date", pa.date32()),
    ("location_name", pa.string()), ("location_country", pa.string()),
    ("location_admin1", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
    ("geonameid", pa.int64()),
    ("negated", pa.bool_()), ("hypothetical", pa.bool_()), ("future", pa.bool_()),
    ("historical", pa.bool_()),
    ("sentence", pa.string()), ("sent_start", pa.int32()), ("sent_end", pa.int32()),
    ("trigger", pa.string()), ("trigger_start", pa.int32()), ("trigger_end", pa.int32()),
    ("confidence", pa.float64()), ("cluster_id", pa.string()),
    ("source", pa.string()), ("url", pa.string()),
])

EVENT_ACTORS = pa.schema([
    ("event_id", pa.string()), ("role", pa.string()), ("position", pa.int32()),
    ("text", pa.string()), ("name", pa.string()), ("country", pa.string()),
    ("sector", pa.string()), ("code", pa.string()), ("title", pa.string()),
    ("wikidata", pa.string()), ("start_char", pa.int32()), ("end_char", pa.int32()),
])

QUOTES = pa.schema([
    ("doc_id", pa.string()), ("position", pa.int32()), ("text", pa.string()),
    ("start_char", pa.int32()), ("end_char", pa.int32()),
    ("speaker_text", pa.string()), ("speaker_name", pa.string()),
    ("speaker_country", pa.string()), ("speaker_sector", pa.string()),
    ("speaker_code", pa.string()), ("speaker_title", pa.string()),
])

CLAIMS = pa.schema([
    ("doc_id", pa.string()), ("position", pa.int32()), ("text", pa.string()),
    ("start_char", pa.int32()), ("end_char", pa.int32()),
    ("value", pa.float64()), ("unit", pa.string()), ("per", pa.string()), ("what", pa.string()),
    ("attributed_name", pa.string()), ("attributed_kind", pa.string()),
])

REJECTIONS = pa.schema([
    ("id", pa.string()), ("origin", pa.string()), ("reason", pa.string()),
    ("language", pa.string()), ("rejected_at", pa.timestamp("us")),
])

TABLE_SCHEMAS = {
    "documents": DOCUMENTS, "events": EVENTS, "event_actors": EVENT_ACTORS,
    "quotes": QUOTES, "claims": CLAIMS, "rejections": REJECTIONS,
}


def parse_date(value: str | None) -> dt.date | None:
    """First day of an ISO date, month (YYYY-MM) or year (YYYY); None when unparseable."""
    if not value or not isinstance(value, str):
        return None
    parts = value.strip()[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 and parts[1] else 1
        day = int(parts[2]) if len(parts) > 2 and parts[2] else 1
        return dt.date(year, month, day)
    except (ValueError, IndexError):
        return None


def _plover_score(event: Event) -> float | None:
    try:
        from dateline.ontology import plover_score

        return plover_score(event.type, event.mode)
    except (KeyError, ValueError, TypeError):  # an unknown type or mode has no score
        return None


def _counterpart(event: Event) -> Actor | None:
    """The second party of the dyad: the first recipient, else (reciprocal) the second actor."""
    if event.recipients:
        return event.recipients[0]
    if len(event.actors) > 1:
        return event.actors[1]
    return None


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@dataclass
class BatchTables:
    """The rows of one batch, one list of dicts per store table."""

    documents: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    event_actors: list[dict] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    rejections: list[dict] = field(default_factory=list)

    def arrow(self, table: str) -> pa.Table:
        """The rows of ``table`` as an Arrow table with the store's column types."""
        return pa.Table.from_pylist(getattr(self, table), schema=TABLE_SCHEMAS[table])


def build_tables(coded: list[CodedDocument], coder_version: str,
                 now: dt.datetime | None = None) -> BatchTables:
    """Rows for every table from a list of coded documents (already deduplicated)."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    out = BatchTables()
    for item in coded:
        if item.doc is None:
            rej = item.rejected or {}
            out.rejections.append({
                "id": rej.get("id"), "origin": item.origin, "reason": rej.get("reason"),
                "language": rej.get("language"), "rejected_at": now,
            })
            continue
        _add_document(out, item, coder_version, now)
    return out


def _add_document(out: BatchTables, item: CodedDocument, coder_version: str,
                  now: dt.datetime) -> None:
    doc = item.doc
    seen_events: set[str] = set()
    events = []
    for event in item.events:
        if not event.id:
            event.assign_id(doc.id)
        if event.id in seen_events:  # a coder emitting the same mention twice stores it once
            continue
        seen_events.add(event.id)
        events.append(event)
    out.documents.append({
        "id": doc.id, "url": doc.url, "title": doc.title, "published": parse_date(doc.published),
        "source": doc.source, "language": doc.language, "author": doc.author,
        "origin": doc.origin or item.origin, "text": doc.text, "contexts": list(item.contexts),
        "n_events": len(events), "n_quotes": len(item.quotes), "n_claims": len(item.claims),
        "coder_version": coder_version, "coded_at": now,
    })
    for event in events:
        out.events.append(_event_row(event, doc.id, doc.source, doc.url))
        for role, actors in (("actor", event.actors), ("recipient", event.recipients)):
            for position, actor in enumerate(actors):
                out.event_actors.append({
                    "event_id": event.id, "role": role, "position": position,
                    "text": actor.text, "name": actor.name, "country": actor.country,
                    "sector": actor.sector, "code": actor.code, "title": actor.title,
                    "wikidata": actor.wikidata, "start_char": _int(actor.start),
                    "end_char": _int(actor.end),
                })
    for position, quote in enumerate(item.quotes):
        speaker = quote.speaker
        out.quotes.append({
            "doc_id": doc.id, "position": position, "text": quote.text,
            "start_char": _int(quote.start), "end_char": _int(quote.end),
            "speaker_text": speaker.text if speaker else None,
            "speaker_name": speaker.name if speaker else None,
            "speaker_country": speaker.country if speaker else None,
            "speaker_sector": speaker.sector if speaker else None,
            "speaker_code": speaker.code if speaker else None,
            "speaker_title": speaker.title if speaker else None,
        })
    for position, claim in enumerate(item.claims):
        attributed = claim.attributed_to or {}
        value = claim.value
        out.claims.append({
            "doc_id": doc.id, "position": position, "text": claim.text,
            "start_char": _int(claim.start), "end_char": _int(claim.end),
            "value": float(value) if isinstance(value, (int, float)) else None,
            "unit": claim.unit, "per": claim.per, "what": claim.what,
            "attributed_name": attributed.get("name"), "attributed_kind": attributed.get("kind"),
        })


def _event_row(event: Event, doc_id: str, source: str | None, url: str | None) -> dict:
    first = event.actors[0] if event.actors else None
    second = _counterpart(event)
    loc = event.location
    ev = event.evidence
    return {
        "id": event.id, "doc_id": doc_id, "origin": "dateline",
        "type": event.type, "mode": event.mode, "cameo": event.cameo,
        "quad_class": _int(event.quad_class), "goldstein": event.goldstein,
        "plover_score": _plover_score(event),
        "actor1_code": first.code if first else None,
        "actor1_country": first.country if first else None,
        "actor1_sector": first.sector if first else None,
        "actor1_name": (first.name or first.text) if first else None,
        "actor2_code": second.code if second else None,
        "actor2_country": second.country if second else None,
        "actor2_sector": second.sector if second else None,
        "actor2_name": (second.name or second.text) if second else None,
        "contexts": list(event.contexts),
        "date": event.date, "date_precision": event.date_precision,
        "event_date": parse_date(event.date),
        "location_name": loc.name if loc else None,
        "location_country": loc.country if loc else None,
        "location_admin1": loc.admin1 if loc else None,
        "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
        "geonameid": _int(loc.geonameid) if loc else None,
        "negated": event.modality.negated, "hypothetical": event.modality.hypothetical,
        "future": event.modality.future, "historical": event.modality.historical,
        "sentence": ev.sentence, "sent_start": _int(ev.start), "sent_end": _int(ev.end),
        "trigger": ev.trigger, "trigger_start": _int(ev.trigger_start),
        "trigger_end": _int(ev.trigger_end),
        # its own event until clustered (a mention is never shown without one)
        "confidence": event.confidence, "cluster_id": event.id,
        "source": source, "url": url,
    }
