"""HTML pages to a clean story with trafilatura: main text, title, author, date, canonical URL.

Navigation, skip links, share bars, footers and comments are left out.
"""

from __future__ import annotations

import re

from dateline.ingest.dates import normalize_date
from dateline.ingest.decode import decode_bytes
from dateline.ingest.options import IngestOptions
from dateline.ingest.text import check_bytes, document_from_text
from dateline.records import Document, Rejected

# htmldate's extensive search guesses from copyright lines and URLs; we never invent dates.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def read_html(data: bytes, origin: str, options: IngestOptions, *, url: str | None = None,
              declared: str | None = None) -> Document | Rejected:
    """A story from an HTML page; rejected when the page is malformed or holds no article."""
    problem = check_bytes(data, origin, options)
    if problem:
        return problem
    markup = decode_bytes(data, declared)
    if markup is None:
        return Rejected(origin=origin, reason="undecodable: no charset decodes this page")
    return read_html_text(markup, origin, options, url=url)


def read_html_text(markup: str, origin: str, options: IngestOptions, *,
                   url: str | None = None, title: str | None = None,
                   published: str | None = None, source: str | None = None) -> Document | Rejected:
    """A story from decoded HTML; a title or date given by a container (JSONL, feed) wins."""
    import trafilatura

    if "<" not in markup:
        return document_from_text(markup, origin, options, title=title, published=published,
                                  url=url, source=source)
    try:
        extracted = trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # noqa: BLE001 - a page the parser chokes on is one rejection
        return Rejected(origin=origin, reason=f"malformed HTML: {type(exc).__name__}")
    if extracted is None or not (extracted.text or "").strip():
        fallback = _fragment_text(markup)
        if not fallback:
            return Rejected(origin=origin, reason="malformed HTML: no article text found")
        return document_from_text(fallback, origin, options, title=title, published=published,
                                  url=url, source=source, lines_are_paragraphs=True)
    return document_from_text(
        extracted.text, origin, options,
        title=title or extracted.title,
        published=published or normalize_date(extracted.date),
        url=extracted.url or url,
        source=source or extracted.sitename,
        author=extracted.author,
        lines_are_paragraphs=True,  # trafilatura puts one paragraph on each line
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _fragment_text(markup: str) -> str | None:
    """Text of a small HTML fragment (a feed item's content) that trafilatura declines."""
    from lxml import html as lxml_html
    from lxml.etree import ParserError

    # lxml refuses control characters when it rewrites text (drop_tree) with a ValueError
    markup = _CONTROL.sub(" ", markup)
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (ParserError, ValueError, AssertionError):  # lxml asserts on a body-less page
        return None
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    blocks = root.xpath("//p|//li|//h1|//h2|//h3|//blockquote")
    if blocks:
        text = "\n".join(b.text_content() for b in blocks if b.text_content().strip())
    else:
        text = root.text_content()
    return text.strip() or None
