"""Fetching stays safe against a hostile server on 127.0.0.1: slow trickles time out, bodies
are capped whatever the headers say, redirects never leave http(s), and a feed's pages are
fetched one at a time per host."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dateline.ingest import IngestOptions, read_url
from dateline.ingest.fetch import FetchError, fetch_url
from dateline.records import Document, Rejected

STORY = ("<html><body><article><p>Police in Lima arrested twelve protesters outside the "
         "congress on Tuesday, officials said.</p><p>The interior minister met union leaders "
         "on Wednesday and agreed to review the fuel tax.</p></article></body></html>")


class Hostile(BaseHTTPRequestHandler):
    active = 0
    max_active = 0
    lock = threading.Lock()

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _send(self, code: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(code)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        try:
            if path == "/trickle":  # slowloris: one byte at a time, forever
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(400):
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(0.2)
            elif path == "/slow-headers":
                time.sleep(5)
                self._send(200, b"late")
            elif path == "/endless":  # no length, never ends
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                for _ in range(10_000):
                    self.wfile.write(b"word " * 20_000)
            elif path == "/lying-length":  # says small, sends a lot
                self.send_response(200)
                self.send_header("Content-Length", "10")
                self.end_headers()
                self.wfile.write(b"word " * 2_000_000)
            elif path == "/gzip-bomb":
                body = gzip.compress(b"a" * 60_000_000, compresslevel=9)
                self._send(200, body, {"Content-Type": "text/plain", "Content-Encoding": "gzip"})
            elif path.startswith("/to/"):
                self._send(302, headers={"Location": path[len("/to/"):]})
            elif path == "/loop":
                self._send(302, headers={"Location": "/loop"})
            elif path == "/feed":
                items = "".join(f"<item><title>Story {i}</title><link>http://127.0.0.1:"
                                f"{self.server.server_port}/page/{i}</link><description>"
                                f"Embedded text {i}</description></item>" for i in range(8))
                self._send(200, f"<rss version='2.0'><channel><title>F</title>{items}"
                                f"</channel></rss>".encode(),
                           {"Content-Type": "application/rss+xml"})
            elif path.startswith("/page/"):
                with Hostile.lock:
                    Hostile.active += 1
                    Hostile.max_active = max(Hostile.max_active, Hostile.active)
                time.sleep(0.05)
                with Hostile.lock:
                    Hostile.active -= 1
                self._send(200, STORY.replace("twelve", path[6:]).encode(),
                           {"Content-Type": "text/html; charset=utf-8"})
            else:
                self._send(404)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


FAST = IngestOptions(timeout=2.0, max_bytes=1_000_000)


def _timed_fetch(url: str, options: IngestOptions = FAST) -> tuple[str, float]:
    start = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetch_url(url, options)
    return str(err.value), time.monotonic() - start


def test_a_server_trickling_bytes_is_cut_off_by_the_total_timeout(server):
    reason, took = _timed_fetch(f"{server}/trickle")
    assert "timed out" in reason
    assert took < 10, f"a 2 s timeout took {took:.1f} s against a trickling server"


def test_a_server_that_never_answers_times_out(server):
    reason, took = _timed_fetch(f"{server}/slow-headers")
    assert "timed out" in reason or "fetch failed" in reason
    assert took < 10


@pytest.mark.parametrize("path", ["/endless", "/lying-length"])
def test_bodies_are_capped_whatever_the_headers_say(server, path):
    opts = IngestOptions(timeout=20.0, max_bytes=1_000_000)
    if path == "/lying-length":
        # The server lies short: the reader must stop at the declared length, not read on.
        result = fetch_url(f"{server}{path}", opts)
        assert len(result.body) <= 1_000_000
    else:
        reason, _ = _timed_fetch(f"{server}{path}", opts)
        assert "too large" in reason


def test_a_gzip_encoded_bomb_is_capped_after_decompression(server):
    items = list(read_url(f"{server}/gzip-bomb", IngestOptions(max_bytes=1_000_000)))
    assert len(items) == 1 and isinstance(items[0], Rejected)
    assert "too large" in items[0].reason


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x",
                                    "gopher://127.0.0.1/x", "data:text/plain,hello",
                                    "FILE:///etc/hostname"])
def test_redirects_never_leave_http(server, target):
    reason, _ = _timed_fetch(f"{server}/to/{target}")
    assert "refused" in reason
    items = list(read_url(f"{server}/to/{target}", FAST))
    assert len(items) == 1 and isinstance(items[0], Rejected)
    assert "passwd" not in (items[0].reason or "").split("(")[0]


def test_a_redirect_loop_ends_with_a_reason(server):
    reason, took = _timed_fetch(f"{server}/loop")
    assert "redirects" in reason and took < 10


def test_feed_pages_are_fetched_one_at_a_time(server):
    Hostile.max_active = 0
    opts = IngestOptions(timeout=5.0, fetch=True)
    items = list(read_url(f"{server}/feed", opts))
    assert len(items) == 8
    assert all(isinstance(i, Document) for i in items), items
    assert Hostile.max_active == 1, "feed item pages must not hammer one host in parallel"
