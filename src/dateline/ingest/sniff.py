"""What kind of input a stream holds, from its first bytes (not only its file name)."""

from __future__ import annotations

import json
import re
import zlib

from dateline.ingest.decode import looks_binary

KINDS = ("empty", "gzip", "warc", "feed", "html", "jsonl", "text", "binary")
SNIFF_BYTES = 65536

_FEED = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|article|div|p)[\s>/]", re.IGNORECASE)
_MAGIC_BINARY = (b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BZh",
                 b"\xfd7zXZ", b"7z\xbc\xaf", b"\x7fELF", b"(\xb5/\xfd")
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".warc": "warc", ".html": "html",
               ".htm": "html", ".xhtml": "html", ".rss": "feed", ".atom": "feed",
               ".txt": "text", ".text": "text"}


def sniff(head: bytes, name: str | None = None) -> str:
    """One of KINDS for the first bytes of an input; the file name only breaks ties."""
    if not head.strip():
        return "empty"
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if head.startswith(_MAGIC_BINARY):
        return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"WARC/"):
        return "warc"
    if stripped[:1] == b"{" and (_first_line_is_json(stripped)
                                 or _extension_kind(name) == "jsonl"):
        return "jsonl"
    if looks_binary(head):
        return "binary"
    sample = stripped[:4096]
    if sample.startswith(b"<"):
        if _FEED.search(sample):
            return "feed"
        if _HTML.search(sample):
            return "html"
    if _FEED.search(sample) and sample.startswith(b"<?xml"):
        return "feed"
    hint = _extension_kind(name)
    if hint == "html" and _HTML.search(head):
        return "html"
    return "text"


def sniff_gzip(head: bytes, name: str | None = None) -> str:
    """The kind inside a gzip stream, from its first decompressed bytes (capped)."""
    try:
        inner = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, SNIFF_BYTES)
    except zlib.error:
        return "binary"
    inner_name = name[:-3] if name and name.lower().endswith(".gz") else name
    kind = sniff(inner, inner_name)
    return "binary" if kind == "gzip" else kind


def _first_line_is_json(data: bytes) -> bool:
    line = data.split(b"\n", 1)[0].strip()
    if len(data.split(b"\n", 1)) == 1 and len(data) >= SNIFF_BYTES:
        return line.startswith(b"{")  # a very long first line: judge by its start
    try:
        return isinstance(json.loads(line.decode("utf-8", "replace")), dict)
    except (ValueError, RecursionError):
        return False


def _extension_kind(name: str | None) -> str | None:
    if not name:
        return None
    lower = name.lower()
    for ext, kind in _EXTENSIONS.items():
        if lower.endswith(ext):
            return kind
    return None
