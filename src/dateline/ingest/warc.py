"""WARC and WARC.gz archives (as in CC-NEWS): every HTML response record becomes a story."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from dateline.ingest.options import IngestOptions
from dateline.records import Document, Rejected

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_READ_CHUNK = 1 << 16


def read_warc(stream: BinaryIO, origin: str, options: IngestOptions
              ) -> Iterator[Document | Rejected]:
    """HTML responses of a WARC stream (gzipped or not) as Documents or rejections.

    Records that are not HTML responses (requests, metadata, images) are not inputs and
    yield nothing; a record that cannot be read yields a rejection and ends the archive,
    since the reader cannot find the next record boundary reliably.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from dateline.ingest.html import read_html

    records = ArchiveIterator(stream, check_digests=False)
    index = 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            yield Rejected(origin=f"{origin}@{index}",
                           reason=f"malformed WARC record: {_short(exc)}")
            return
        except Exception as exc:  # noqa: BLE001 - warcio surfaces zlib/parsing errors raw
            yield Rejected(origin=f"{origin}@{index}",
                           reason=f"malformed WARC record: {type(exc).__name__}: {_short(exc)}")
            return
        index += 1
        if record.rec_type is None:
            # warcio could not parse the headers (e.g. mangled line endings): without them
            # the archive cannot be read on, and it must not vanish without a reason (h8).
            yield Rejected(origin=f"{origin}@{index - 1}",
                           reason="malformed WARC record: unreadable record headers")
            return
        if record.rec_type not in ("response", "resource"):
            continue
        try:
            content_type, charset = _content_type(record)
            if content_type not in _HTML_TYPES:
                continue
            body = _read_capped(record.content_stream(), options.max_bytes)
            # The offset is known only once the record is read (warcio reads to its end).
            where = f"{origin}@{records.get_record_offset()}"
        except Exception as exc:  # noqa: BLE001 - a broken payload is this record's rejection
            yield Rejected(origin=f"{origin}@record-{index}",
                           reason=f"malformed WARC record: {_short(exc)}")
            continue
        if body is not None and getattr(record.raw_stream, "limit", 0) > 0:
            # The archive ended inside this record: a cut-off page is not a story.
            yield Rejected(origin=where, reason="malformed WARC record: truncated payload")
            continue
        if body is None:
            yield Rejected(origin=where,
                           reason=f"too large: record over {options.max_bytes} bytes")
            continue
        url = record.rec_headers.get_header("WARC-Target-URI")
        yield read_html(body, where, options, url=url, declared=charset)


def _content_type(record) -> tuple[str, str | None]:
    headers = record.http_headers
    if record.rec_type == "response" and headers is not None:
        value = headers.get_header("Content-Type") or ""
    else:
        value = record.rec_headers.get_header("Content-Type") or ""
    parts = [p.strip() for p in value.split(";")]
    charset = None
    for part in parts[1:]:
        if part.lower().startswith("charset="):
            charset = part.split("=", 1)[1].strip("\"' ") or None
    return parts[0].lower(), charset


def _read_capped(stream, cap: int) -> bytes | None:
    """The whole payload, or None when it exceeds ``cap`` (read no further than that)."""
    chunks, size = [], 0
    while True:
        chunk = stream.read(_READ_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)


def _short(exc: BaseException) -> str:
    return str(exc).replace("\n", " ")[:200] or type(exc).__name__
