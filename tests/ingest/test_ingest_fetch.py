"""URL and feed fetching against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from ingest_fixtures import STORY, STORY_TEXT, html_page, rss_feed

from dateline.ingest import IngestOptions, read_url
from dateline.ingest.fetch import FetchError, fetch_url
from dateline.records import Document, Rejected

SEEN_AGENTS: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200,
              headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        base = f"http://127.0.0.1:{self.server.server_port}"
        routes = {
            "/story.html": lambda: self._send(html_page().encode()),
            "/redirect": lambda: self._send(b"", status=302, headers={"Location": "/story.html"}),
            "/loop": lambda: self._send(b"", status=302, headers={"Location": "/loop"}),
            "/to-file": lambda: self._send(b"", status=302,
                                           headers={"Location": "file:///etc/passwd"}),
            "/big": lambda: self._send(b"<p>" + b"x" * 50_000 + b"</p>"),
            "/feed.xml": lambda: self._send(
                rss_feed([(STORY[0], f"{base}/story.html", "<p>short teaser</p>"),
                          ("Gone", f"{base}/missing", "<p>" + STORY[1] + "</p>")]),
                "application/rss+xml"),
        }
        if self.path == "/slow":
            time.sleep(1.5)
            try:
                self._send(b"<p>late</p>")
            except BrokenPipeError:
                pass  # the client gave up, as it should
        elif self.path in routes:
            routes[self.path]()
        else:
            self._send(b"not here", "text/plain", status=404)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_page_url_is_fetched_with_a_clear_user_agent(server):
    [doc] = list(read_url(f"{server}/story.html"))
    assert isinstance(doc, Document) and doc.text == STORY_TEXT
    assert SEEN_AGENTS[-1].startswith("dateline/")


def test_redirects_are_followed_but_capped(server):
    assert fetch_url(f"{server}/redirect", IngestOptions()).url.endswith("/story.html")
    with pytest.raises(FetchError, match="redirects"):
        fetch_url(f"{server}/loop", IngestOptions(max_redirects=3))


def test_redirect_to_a_local_file_is_refused(server):
    [item] = list(read_url(f"{server}/to-file"))
    assert isinstance(item, Rejected) and "only http and https" in item.reason


def test_size_cap_timeout_and_http_errors_become_rejections(server):
    [big] = list(read_url(f"{server}/big", IngestOptions(max_bytes=10_000)))
    assert big.reason.startswith("too large")
    [slow] = list(read_url(f"{server}/slow", IngestOptions(timeout=0.3)))
    assert "timed out" in slow.reason
    [missing] = list(read_url(f"{server}/nothing"))
    assert "HTTP 404" in missing.reason


def test_feed_by_url_fetches_item_pages_and_falls_back_to_embedded_content(server):
    fetched, fallback = list(read_url(f"{server}/feed.xml"))
    assert fetched.text == STORY_TEXT  # the page, not the teaser
    assert fallback.text == STORY[1] and fallback.title == "Gone"
    teaser, _ = list(read_url(f"{server}/feed.xml", IngestOptions(fetch=False)))
    assert teaser.text == "short teaser"


def test_non_http_schemes_are_not_fetched():
    with pytest.raises(FetchError, match="only http"):
        fetch_url("ftp://127.0.0.1/x", IngestOptions())
