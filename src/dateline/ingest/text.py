"""Plain text to a clean story: one canonical form so the same story always hashes the same."""

from __future__ import annotations

import re
import unicodedata

from dateline.ingest.decode import decode_bytes, looks_binary
from dateline.ingest.options import IngestOptions
from dateline.records import Document, Rejected

# Lines that web scrapes carry before the story: accessibility skip links and the like.
_BOILERPLATE = re.compile(
    r"""^\s*(?:
        press\s+["“']?enter["”']?\s+to\s+skip\s+to\s+(?:main\s+)?content
      | skip\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation|article|search|footer)
      | jump\s+to\s+(?:main\s+)?(?:content|navigation)
      | skip\s+navigation
    )\s*[.!]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Zero-width and bidi-control characters carry no words; other controls are noise.
_INVISIBLE = re.compile("[{}]".format("".join(re.escape(chr(c)) for c in (
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
     0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F]
    + [c for c in range(32) if c not in (9, 10)] + list(range(0x7F, 0xA0))))))
# Whitespace other than newline (incl. NBSP, thin spaces) that is not already a single space;
# matching only these keeps the common case (single spaces) free.
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S \n]")
_BLANK_LINES = re.compile(r"\n\s*\n")


def is_boilerplate_line(line: str) -> bool:
    """True for a skip-link style line ("Press Enter to skip to content")."""
    return bool(_BOILERPLATE.match(line))


def clean_text(raw: str, lines_are_paragraphs: bool = False) -> str:
    """Canonical story text: NFC, one space between words, paragraphs split by a blank line.

    Paragraphs are blank-line separated blocks, or single lines when the text has no blank
    lines (as extracted HTML has); hard-wrapped lines inside a block are joined.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    if lines_are_paragraphs or not _BLANK_LINES.search(text):
        blocks = text.split("\n")
    else:
        blocks = _BLANK_LINES.split(text)
    paragraphs = []
    for block in blocks:
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        lines = [line for line in lines if line and not is_boilerplate_line(line)]
        if lines:
            paragraphs.append(" ".join(lines))
    return "\n\n".join(paragraphs)


def guess_title(text: str) -> str | None:
    """The first paragraph when it reads as a headline (short, no closing full stop)."""
    first = text.split("\n\n", 1)[0]
    if "\n\n" in text and len(first) <= 160 and not first.endswith((".", "?", "!", ":", "\"",
                                                                    "”")):
        return first
    return None


def document_from_text(text: str, origin: str, options: IngestOptions, *,
                       title: str | None = None, published: str | None = None,
                       url: str | None = None, source: str | None = None,
                       author: str | None = None,
                       lines_are_paragraphs: bool = False) -> Document | Rejected:
    """A Document from already-decoded text, or a rejection when nothing is left."""
    cleaned = clean_text(text, lines_are_paragraphs)
    if not cleaned:
        return Rejected(origin=origin, reason="empty: no text after cleaning")
    if len(cleaned.encode("utf-8")) > options.max_bytes:
        return Rejected(origin=origin, reason=f"too large: text over {options.max_bytes} bytes")
    return Document(
        text=cleaned, title=_clean_field(title), published=published or options.date,
        url=url, source=source or options.source, language=None, author=_clean_field(author),
        origin=origin,
    )


def _clean_field(value: str | None) -> str | None:
    if not value or not isinstance(value, str):
        return None
    return _SPACES.sub(" ", clean_text(value).replace("\n\n", " ")).strip() or None


def read_text(data: bytes, origin: str, options: IngestOptions,
              declared: str | None = None) -> Document | Rejected:
    """A plain-text story from bytes (any charset); title from a headline first line."""
    problem = check_bytes(data, origin, options)
    if problem:
        return problem
    text = decode_bytes(data, declared)
    if text is None:
        return Rejected(origin=origin, reason="undecodable: no charset decodes these bytes")
    cleaned = clean_text(text)
    return document_from_text(cleaned, origin, options, title=guess_title(cleaned))


def check_bytes(data: bytes, origin: str, options: IngestOptions) -> Rejected | None:
    """The rejection every reader gives for empty, oversized or binary bytes, else None."""
    if not data or not data.strip():
        return Rejected(origin=origin, reason="empty: no bytes")
    if len(data) > options.max_bytes:
        return Rejected(origin=origin,
                        reason=f"too large: {len(data)} bytes over the {options.max_bytes} cap")
    if looks_binary(data):
        return Rejected(origin=origin, reason="binary: not text")
    return None
