"""The seed story arriving as text, HTML, inside a WARC and in a feed is stored once."""

from __future__ import annotations

import html

from ingest_fixtures import rss_feed, warc_bytes

from dateline.ingest import IngestOptions
from dateline.ingest.text import clean_text
from dateline.pipeline import run_coding
from dateline.store import open_store


def _page(paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[1:])
    return (f"<html><head><title>{html.escape(paragraphs[0])}</title></head><body>"
            '<a href="#main" class="skip-link">Press "Enter" to skip to content</a>'
            "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/opinion'>Opinion</a></nav>"
            f"<article id='main'><h1>{html.escape(paragraphs[0])}</h1>"
            "<div class='social-share'>Share this: Facebook Twitter WhatsApp</div>"
            f"{body}</article><div id='comments'><p>Leave a Reply. Your email address will not "
            "be published.</p></div><footer>© 2018 Example Times. Privacy policy.</footer>"
            "</body></html>")


def test_seed_as_text_html_warc_and_rss_is_stored_once(shared_dir, seed_text, tmp_path):
    paragraphs = clean_text(seed_text).split("\n\n")
    page = _page(paragraphs)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "seed.txt").write_text(seed_text, encoding="utf-8")
    (inputs / "seed.html").write_text(page, encoding="utf-8")
    (inputs / "crawl.warc.gz").write_bytes(
        warc_bytes([("https://times.example/2018/03/23/mexico-us", page.encode(), "text/html")]))
    content = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    (inputs / "feed.rss").write_bytes(
        rss_feed([(html.escape(paragraphs[0]), "https://times.example/2018/03/23/mexico-us",
                   content)]))
    db = str(tmp_path / "s.duckdb")
    options = IngestOptions(date="2018-03-23")

    first = run_coding([str(inputs)], options, db=db)
    assert first.documents == 4 and not first.rejected
    assert first.stored.documents == 1 and first.stored.skipped == 3
    with open_store(db, read_only=True) as store:
        [(text, published)] = store.con.execute(
            "SELECT text, published FROM documents").fetchall()
    assert text.startswith("Mexico, US meet to discuss human rights, organized crime\n\n")
    assert "Enter" not in text and "skip to content" not in text.lower()
    assert "Share this" not in text and "Leave a Reply" not in text and "Privacy" not in text
    assert str(published) == "2018-03-23"

    again = run_coding([str(inputs)], options, db=db)
    assert again.documents == 0 and again.skipped_known == 4
    with open_store(db, read_only=True) as store:
        counts = [store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("documents", "events", "rejections")]
    assert counts[0] == 1 and counts[2] == 0
