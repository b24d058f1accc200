"""Every source kind in, clean Documents (or rejections with a reason) out.

Readers never raise on bad input: each input item yields a Document or a Rejected.
The kind of an input is sniffed from its bytes (see :mod:`dateline.ingest.sniff`).
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from dateline.ingest.options import DEFAULT_MAX_BYTES, IngestOptions
from dateline.ingest.sniff import SNIFF_BYTES, sniff, sniff_gzip
from dateline.records import Document, Rejected

__all__ = ["DEFAULT_MAX_BYTES", "IngestOptions", "read_bytes", "read_path", "read_stream",
           "read_url"]

Item = Document | Rejected


def read_bytes(data: bytes, origin: str, options: IngestOptions | None = None, *,
               name: str | None = None, url: str | None = None,
               declared: str | None = None) -> Iterator[Item]:
    """Items of an input held in memory (any kind), sniffed from its bytes."""
    stream = io.BufferedReader(io.BytesIO(data), buffer_size=SNIFF_BYTES)
    yield from read_stream(stream, origin, options, name=name, url=url, declared=declared)


def read_path(path: str, options: IngestOptions | None = None) -> Iterator[Item]:
    """Items of one file (text, HTML, JSONL, feed, WARC, gzipped or not)."""
    options = options or IngestOptions()
    try:
        stream = open(path, "rb", buffering=SNIFF_BYTES)  # noqa: SIM115 - closed below
    except OSError as exc:
        yield Rejected(origin=path, reason=f"unreadable: {exc.strerror or exc}")
        return
    with stream:
        yield from read_stream(stream, path, options, name=path)


def read_url(url: str, options: IngestOptions | None = None) -> Iterator[Item]:
    """Items of an http(s) URL: a page, a feed (items fetched by default) or an archive."""
    from dateline.ingest.fetch import FetchError, fetch_url

    options = options or IngestOptions()
    try:
        page = fetch_url(url, options)
    except FetchError as exc:
        yield Rejected(origin=url, reason=str(exc))
        return
    stream = io.BufferedReader(io.BytesIO(page.body), buffer_size=SNIFF_BYTES)
    yield from read_stream(stream, url, options, name=page.url, url=page.url,
                           declared=page.charset, fetched=True)


def read_stream(stream: BinaryIO, origin: str, options: IngestOptions | None = None, *,
                name: str | None = None, url: str | None = None, declared: str | None = None,
                fetched: bool = False) -> Iterator[Item]:
    """Items of a binary stream (a file, stdin, a socket): sniffed, then read by its kind."""
    options = options or IngestOptions()
    try:
        head, stream = _head(stream)
        kind = sniff(head, name)
        if kind == "gzip":
            yield from _read_gzip(stream, head, origin, options, name, url)
            return
        yield from _read_kind(kind, stream, origin, options, url=url, declared=declared,
                              fetched=fetched)
    except Exception as exc:  # noqa: BLE001 - the last guard: one input never stops a batch
        yield Rejected(origin=origin, reason=f"unreadable: {type(exc).__name__}: {exc}"[:300])


class _Prefixed(io.RawIOBase):
    """A stream that replays the bytes already read for sniffing, then reads on."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head.nbytes:
            n = min(len(buffer), self._head.nbytes)
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _head(stream: BinaryIO) -> tuple[bytes, BinaryIO]:
    """The first bytes of ``stream`` (as many as sniffing needs) and a stream from byte 0.

    A pipe may deliver fewer bytes than asked in one read, so read until enough or EOF.
    """
    chunks, size = [], 0
    while size < SNIFF_BYTES:
        chunk = stream.read(SNIFF_BYTES - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    head = b"".join(chunks)
    return head, io.BufferedReader(_Prefixed(head, stream), buffer_size=SNIFF_BYTES)


def _read_gzip(stream: BinaryIO, head: bytes, origin: str, options: IngestOptions,
               name: str | None, url: str | None) -> Iterator[Item]:
    inner = sniff_gzip(head, name)
    if inner == "warc":
        from dateline.ingest.warc import read_warc

        yield from read_warc(stream, origin, options)  # warcio reads gzip members itself
        return
    if inner == "binary":
        yield Rejected(origin=origin, reason="binary: gzip holds no text")
        return
    unzipped = gzip.GzipFile(fileobj=stream, mode="rb")
    try:
        if inner == "jsonl":
            from dateline.ingest.jsonl import read_jsonl

            yield from read_jsonl(io.BufferedReader(unzipped, SNIFF_BYTES), origin, options)
            return
        # Read one byte past the cap, never the whole stream: gzip bombs stay bounded.
        data = unzipped.read(options.max_bytes + 1)
    except (EOFError, OSError, zlib.error) as exc:
        yield Rejected(origin=origin, reason=f"malformed gzip: {exc}"[:300])
        return
    if len(data) > options.max_bytes:
        yield Rejected(origin=origin,
                       reason=f"too large: over {options.max_bytes} bytes decompressed")
        return
    yield from _read_kind(inner, io.BufferedReader(io.BytesIO(data)), origin, options, url=url)


def _read_kind(kind: str, stream: BinaryIO, origin: str, options: IngestOptions, *,
               url: str | None = None, declared: str | None = None,
               fetched: bool = False) -> Iterator[Item]:
    if kind == "empty":
        yield Rejected(origin=origin, reason="empty: no text")
    elif kind == "binary":
        yield Rejected(origin=origin, reason="binary: not text")
    elif kind == "warc":
        from dateline.ingest.warc import read_warc

        yield from read_warc(stream, origin, options)
    elif kind == "jsonl":
        from dateline.ingest.jsonl import read_jsonl

        yield from read_jsonl(stream, origin, options)
    else:
        data = stream.read(options.max_bytes + 1)
        if kind == "feed":
            from dateline.ingest.feeds import read_feed

            fetch = options.fetch if options.fetch is not None else fetched
            yield from read_feed(data, origin, options, fetch=fetch)
        elif kind == "html":
            from dateline.ingest.html import read_html

            yield read_html(data, origin, options, url=url, declared=declared)
        else:
            from dateline.ingest.text import read_text

            yield read_text(data, origin, options, declared=declared)
