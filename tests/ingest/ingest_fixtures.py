"""Fixtures for the readers: a story of our own, wrapped the ways the web wraps stories."""

from __future__ import annotations

import io

STORY = [
    "Border agencies sign inspection pact",
    ("NOGALES, Mexico — Customs officials from Mexico and the United States signed an agreement "
    "on Tuesday to carry out joint inspections of cargo trucks at the Nogales crossing, a "
    "measure both governments say will cut waiting times and help stop weapons smuggling."),
    ("Under the pact, inspectors from both countries will examine trucks once, on the Mexican "
    "side, instead of twice. Officials said a pilot programme last year reduced waiting times "
    "by almost half for fresh produce exporters."),
    ("Business groups in Sonora welcomed the agreement but asked for more staff at the crossing "
    "during the winter harvest, when traffic doubles."),
]
STORY_TEXT = "\n\n".join(STORY)

SPANISH = (
    "Funcionarios de aduanas de México y Estados Unidos firmaron el martes un acuerdo para "
    "realizar inspecciones conjuntas de camiones de carga en el cruce de Nogales, una medida "
    "que según ambos gobiernos reducirá los tiempos de espera y ayudará a frenar el contrabando "
    "de armas. Los grupos empresariales de Sonora celebraron el acuerdo."
)


def html_page(paragraphs: list[str] = STORY, *, charset: str = "utf-8",
              date: str | None = "2021-11-09") -> str:
    """A news page with the clutter real pages carry around the article."""
    meta_date = f'<meta property="article:published_time" content="{date}T08:00:00Z">' if date \
        else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs[1:])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}">
<title>{paragraphs[0]} | Frontier Ledger</title>
<link rel="canonical" href="https://ledger.example/2021/11/inspection-pact">
{meta_date}<meta name="author" content="Ana Ruiz">
</head><body>
<a class="skip-link screen-reader-text" href="#content">Press "Enter" to skip to content</a>
<header><nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main id="content"><article>
<h1>{paragraphs[0]}</h1>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a>
<a href="#">Email this story</a></div>
{body}
</article>
<section id="comments" class="comments"><h2>3 Comments</h2>
<div class="comment"><p>Finally some sense at the border, about time they did this.</p></div>
<div class="comment"><p>I drive this route every week and the lines are terrible.</p></div>
</section></main>
<footer><p>Copyright 2021 Frontier Ledger. All rights reserved.</p>
<p>Subscribe to our newsletter for daily updates.</p></footer>
</body></html>"""


def rss_feed(items: list[tuple[str, str, str | None]]) -> bytes:
    """An RSS 2.0 feed; each item is (title, link, embedded HTML content or None)."""
    parts = []
    for title, link, content in items:
        encoded = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
        parts.append(f"<item><title>{title}</title><link>{link}</link>"
                     f"<pubDate>Tue, 09 Nov 2021 08:00:00 GMT</pubDate>{encoded}</item>")
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
            "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>"
            "<title>Frontier Ledger</title><link>https://ledger.example/</link>"
            f"<description>News</description>{''.join(parts)}</channel></rss>").encode()


def warc_bytes(pages: list[tuple[str, bytes, str]], gz: bool = True) -> bytes:
    """A WARC (gzipped by default) with one response record per (url, body, content type)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    for url, body, ctype in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
        writer.write_record(writer.create_warc_record(url, "request",
                                                      payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
    return buffer.getvalue()
