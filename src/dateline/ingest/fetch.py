"""HTTP(S) fetching for URLs and feed items: timeouts, redirect and size caps, a clear user
agent, and only http/https at every hop (a redirect to file:// or ftp:// is refused)."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message

from dateline.ingest.options import IngestOptions

ALLOWED_SCHEMES = ("http", "https")
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 1 << 16


class FetchError(Exception):
    """A URL could not be fetched; the message is the rejection reason."""


@dataclass
class FetchResult:
    url: str  # the final URL, after redirects
    status: int
    content_type: str
    charset: str | None
    body: bytes


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by fetch_url itself, so each hop's scheme is checked."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects())


def is_url(value: str) -> bool:
    """True for an http(s) URL given on the command line."""
    return urllib.parse.urlsplit(value).scheme.lower() in ALLOWED_SCHEMES


def fetch_url(url: str, options: IngestOptions) -> FetchResult:
    """GET ``url`` within the options' limits; raises FetchError with a reason otherwise."""
    current = url
    deadline = time.monotonic() + options.timeout
    for _hop in range(options.max_redirects + 1):
        _check_scheme(current)
        request = urllib.request.Request(current, headers={
            "User-Agent": options.user_agent, "Accept-Encoding": "identity",
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                      "application/atom+xml,application/xml;q=0.9,*/*;q=0.5"})
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"fetch failed: timed out after {options.timeout:g} s ({url})")
        try:
            response = _OPENER.open(request, timeout=remaining)
        except urllib.error.HTTPError as exc:
            if exc.code in _REDIRECTS and exc.headers.get("Location"):
                current = urllib.parse.urljoin(current, exc.headers["Location"])
                exc.close()
                continue
            exc.close()
            raise FetchError(f"fetch failed: HTTP {exc.code} for {current}") from None
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise FetchError(f"fetch failed: {reason} ({current})") from None
        with response:
            body = _read_body(response, options, deadline, current)
            headers: Message = response.headers
            return FetchResult(url=response.geturl() or current, status=response.status,
                               content_type=headers.get_content_type(),
                               charset=headers.get_content_charset(), body=body)
    raise FetchError(f"fetch failed: more than {options.max_redirects} redirects ({url})")


def _check_scheme(url: str) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FetchError(f"fetch refused: only http and https URLs are fetched, not {scheme!r}")


def _read_body(response, options: IngestOptions, deadline: float, url: str) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > options.max_bytes:
        raise FetchError(f"too large: {declared} bytes over the {options.max_bytes} cap ({url})")
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(f"fetch failed: timed out after {options.timeout:g} s ({url})")
        try:
            # read1: at most one recv, so a server trickling bytes cannot outlast the deadline
            chunk = response.read1(_CHUNK)
        except (TimeoutError, OSError) as exc:
            raise FetchError(f"fetch failed: {exc} ({url})") from None
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > options.max_bytes:
            raise FetchError(f"too large: over the {options.max_bytes} byte cap ({url})")
        chunks.append(chunk)
