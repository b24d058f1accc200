"""RSS and Atom feeds: one story per item, from the item's page when fetched, else from the
content embedded in the feed."""

from __future__ import annotations

from collections.abc import Iterator

from dateline.ingest.dates import normalize_date
from dateline.ingest.options import IngestOptions
from dateline.ingest.text import check_bytes
from dateline.records import Document, Rejected


def read_feed(data: bytes, origin: str, options: IngestOptions, *, fetch: bool = False
              ) -> Iterator[Document | Rejected]:
    """Every item of an RSS/Atom feed as a Document or a rejection (origin ``feed#item-N``)."""
    problem = check_bytes(data, origin, options)
    if problem:
        yield problem
        return
    import feedparser

    try:
        parsed = feedparser.parse(data)
    except Exception as exc:  # noqa: BLE001 - feedparser can fail in many ways; one rejection
        yield Rejected(origin=origin, reason=f"malformed feed: {type(exc).__name__}")
        return
    entries = parsed.get("entries") or []
    if not entries:
        why = str(parsed.get("bozo_exception") or "no items")[:200]
        yield Rejected(origin=origin, reason=f"malformed feed: {why}")
        return
    feed_title = (parsed.get("feed") or {}).get("title")
    for number, entry in enumerate(entries, 1):
        yield _read_entry(entry, f"{origin}#item-{number}", options, fetch, feed_title)


def _read_entry(entry: dict, origin: str, options: IngestOptions, fetch: bool,
                feed_title: str | None) -> Document | Rejected:
    from dateline.ingest.html import read_html, read_html_text

    link = entry.get("link") if isinstance(entry.get("link"), str) else None
    title = entry.get("title") if isinstance(entry.get("title"), str) else None
    published = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        if entry.get(key):
            published = normalize_date(entry[key])
            break
    published = published or options.date
    source = options.source or feed_title
    fetch_problem = None
    if fetch and link:
        from dateline.ingest.fetch import FetchError, fetch_url

        try:
            page = fetch_url(link, options)
        except FetchError as exc:
            fetch_problem = str(exc)
        else:
            doc = read_html(page.body, origin, options, url=page.url, declared=page.charset)
            if isinstance(doc, Document):
                doc.title = doc.title or title
                doc.published = doc.published or published
                doc.source = doc.source or source
                return doc
            fetch_problem = doc.reason
    embedded = _embedded_content(entry)
    if not embedded:
        reason = "empty: feed item has no content"
        if fetch_problem:
            reason = f"fetch failed and feed item has no content: {fetch_problem}"
        return Rejected(origin=origin, reason=reason)
    return read_html_text(embedded, origin, options, url=link, title=title, published=published,
                          source=source)


def _embedded_content(entry: dict) -> str | None:
    """The fullest text the item carries: content:encoded / Atom content, else the summary."""
    best = ""
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, dict) else None
        if isinstance(value, str) and len(value) > len(best):
            best = value
    summary = entry.get("summary")
    if isinstance(summary, str) and len(summary) > len(best):
        best = summary
    return best.strip() or None
