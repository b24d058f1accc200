"""Reader throughput: JSONL, HTML pages and WARC.gz built from the Guardian sample, plus the
language check. Single process.

    .venv/bin/python benchmarks/foundation_ingest.py [--corpus ../shared/data/corpora/guardian_sample.jsonl.gz]
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import json
import time
from pathlib import Path

from dateline.ingest import IngestOptions, read_bytes
from dateline.ingest.language import check_language
from dateline.records import Document

ROOT = Path(__file__).resolve().parents[1]


def page(title: str, text: str) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (f"<html><head><title>{html.escape(title)}</title></head><body>"
            "<a href='#c'>Skip to content</a><nav><a href='/'>Home</a><a href='/w'>World</a></nav>"
            f"<article id='c'><h1>{html.escape(title)}</h1><div class='share'>Share</div>{body}"
            "</article><footer>Copyright</footer></body></html>").encode()


def warc(pages: list[bytes]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for i, body in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://x.example/{i}", "response",
                                                      payload=io.BytesIO(body),
                                                      http_headers=headers))
    return out.getvalue()


def timed(label: str, n: int, fn) -> None:
    start = time.perf_counter()
    items = fn()
    elapsed = time.perf_counter() - start
    docs = sum(isinstance(i, Document) for i in items)
    print(f"{label:<28} {n:>5} items  {elapsed:7.2f} s  {n / elapsed:8.1f} items/s  "
          f"{1000 * elapsed / n:6.2f} ms/item  ({docs} documents)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared/data/corpora/"
                                                 "guardian_sample.jsonl.gz"))
    args = parser.parse_args()
    raw = gzip.decompress(Path(args.corpus).read_bytes())
    records = [json.loads(line) for line in raw.splitlines() if line.strip()]
    words = sum(len(r["text"].split()) for r in records) / len(records)
    print(f"corpus: {args.corpus} ({len(records)} stories, {words:.0f} words/story)")
    opts = IngestOptions()
    timed("JSONL (whole file)", len(records), lambda: list(read_bytes(raw, "c.jsonl", opts)))
    pages = [page(r.get("title") or r["id"], r["text"]) for r in records]
    timed("HTML pages (trafilatura)", len(pages),
          lambda: [next(read_bytes(p, f"p{i}.html", opts)) for i, p in enumerate(pages)])
    archive = warc(pages)
    timed("WARC.gz (HTML responses)", len(pages), lambda: list(read_bytes(archive, "a.warc.gz")))
    docs = list(read_bytes(raw, "c.jsonl", opts))
    check_language(docs[0])  # load the language profiles outside the timing
    timed("language check", len(docs), lambda: [check_language(d) for d in docs])


if __name__ == "__main__":
    main()
