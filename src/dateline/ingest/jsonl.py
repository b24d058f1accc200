"""JSON Lines: one story per line with ``text`` and optional ``title``, ``date``, ``url``,
``id``, ``source``. Each line yields a Document or a rejection; a bad line never stops the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from dateline.ingest.dates import normalize_date
from dateline.ingest.decode import decode_bytes
from dateline.ingest.options import IngestOptions
from dateline.ingest.text import document_from_text
from dateline.records import Document, Rejected

_SKIP_CHUNK = 1 << 20
_LOOKS_HTML = re.compile(r"<\s*(?:p|div|br|article|html|body|span|a)\b[^>]*>", re.IGNORECASE)


def read_jsonl(stream: BinaryIO, origin: str, options: IngestOptions
               ) -> Iterator[Document | Rejected]:
    """Every line of a JSONL stream as a Document or Rejected (origin ``path#line``)."""
    number = 0
    while True:
        line = stream.readline(options.max_bytes + 1)
        if not line:
            return
        number += 1
        where = f"{origin}#{number}"
        if len(line) > options.max_bytes and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield Rejected(origin=where, reason=f"too large: line over {options.max_bytes} bytes")
            continue
        if not line.strip():
            continue  # blank lines separate nothing; they are not inputs
        yield parse_record(line, where, options)


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while True:
        chunk = stream.readline(_SKIP_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def parse_record(line: bytes, origin: str, options: IngestOptions) -> Document | Rejected:
    """One JSONL line to a Document; wrong types or a missing text give a rejection."""
    decoded = decode_bytes(line)
    if decoded is None:
        return Rejected(origin=origin, reason="undecodable: line is not valid text")
    try:
        record = json.loads(decoded)
    except (json.JSONDecodeError, RecursionError) as exc:
        return Rejected(origin=origin, reason=f"malformed JSONL record: {exc.__class__.__name__}")
    if not isinstance(record, dict):
        return Rejected(origin=origin, reason="malformed JSONL record: not a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        kind = "missing" if text is None else f"not a string ({type(text).__name__})"
        return Rejected(origin=origin, reason=f"malformed JSONL record: text {kind}")
    if "id" in record and isinstance(record["id"], str | int) and not isinstance(record["id"],
                                                                                 bool):
        origin = f"{origin.rsplit('#', 1)[0]}#{record['id']}"
    url = _string(record.get("url"))
    if _LOOKS_HTML.search(text[:5000]):
        from dateline.ingest.html import read_html_text

        return read_html_text(text, origin, options, url=url, title=_string(record.get("title")),
                              published=_date(record), source=_string(record.get("source")))
    return document_from_text(text, origin, options, title=_string(record.get("title")),
                              published=_date(record), url=url,
                              source=_string(record.get("source")))


def _string(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _date(record: dict) -> str | None:
    for key in ("date", "published", "publish_date", "pubdate"):
        if record.get(key) is not None:
            return normalize_date(record[key])
    return None
