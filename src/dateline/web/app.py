"""The dashboard as a WSGI app: a small router, HTML pages with a JSON twin each, one POST.

Every page ``/x`` has a JSON twin at ``/x.json`` and ``/api/x`` (the overview: ``/.json``,
``/api/overview``). Story text is untrusted: templates autoescape, URLs become links only
when http(s), a strict Content-Security-Policy forbids inline script, and the one write
(a review) needs POST, a per-session CSRF token and a same-origin Origin/Referer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import sys
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from http.cookies import CookieError, SimpleCookie
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jinja2

from dateline import ontology
from dateline.records import PLOVER_TYPES
from dateline.web import views
from dateline.web.connection import NotAStore, StoreAccess, StoreBusy
from dateline.web.reviews import ReviewError

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
SESSION_COOKIE = "dateline_session"
MAX_FORM_BYTES = 64 * 1024

_STATUS = {200: "200 OK", 303: "303 See Other", 400: "400 Bad Request",
           403: "403 Forbidden", 404: "404 Not Found", 405: "405 Method Not Allowed",
           413: "413 Payload Too Large", 500: "500 Internal Server Error",
           503: "503 Service Unavailable"}
_SECURITY_HEADERS = [
    ("Content-Security-Policy",
     ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
]
# Views that show reviews: cached by the store's full signature. The others are cached by
# its data signature, which a review written from this dashboard does not change.
_SHOW_REVIEWS = frozenset({"event", "reviews"})
_STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".json": "application/json", ".png": "image/png", ".svg": "image/svg+xml",
                 ".md": "text/plain; charset=utf-8"}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    cookies: dict[str, str]
    environ: dict[str, Any]
    want_json: bool = False
    form: dict[str, str] = field(default_factory=dict)
    session: str = ""
    new_session: bool = False


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


class ResultCache:
    """Page data by (store signature, view, parameters); a write to the store changes the
    signature, so nothing stale is served. Bounded, least recently used out first."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: tuple, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def fmt_num(value: Any) -> str:
    """12345 -> '12,345'; 253000.0 -> '253,000'; None -> a dash."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def safe_url(value: Any) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (never a javascript: link)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return text
    return None


def _tojson_script(value: Any) -> str:
    """JSON safe inside <script type=application/json>: no '<', '>', '&' can close the tag."""
    text = json.dumps(value, default=json_default, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class Dashboard:
    """The WSGI application over one store file."""

    def __init__(self, db_path: str | Path, allowed_hosts: Iterable[str] | None = LOOPBACK_HOSTS,
                 secret: bytes | None = None, idle_release: float = 2.0,
                 duckdb_config: dict[str, Any] | None = None, cache_size: int = 256) -> None:
        self.db_path = str(db_path)
        self.cache = ResultCache(cache_size) if cache_size > 0 else None
        self.store = StoreAccess(db_path, idle=idle_release, config=duckdb_config)
        self.allowed_hosts = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}
        self.secret = secret or secrets.token_bytes(32)
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("dateline.web", "templates"),
            autoescape=True, undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True)
        self.env.filters["safe_url"] = safe_url
        self.env.filters["tojson_script"] = _tojson_script
        self.env.globals["qs"] = self._qs
        self.env.globals["fmt_num"] = fmt_num
        self.env.globals["plover_types"] = PLOVER_TYPES
        self.env.globals["plover_contexts"] = ontology.contexts()
        self.env.globals["quad_names"] = views.QUAD_NAMES
        self._static = resources.files("dateline.web") / "static"
        self.routes: list[tuple[str, re.Pattern[str], Callable[..., Any], str | None]] = [
            ("GET", re.compile(r"^/$"), views.overview, "overview.html"),
            ("GET", re.compile(r"^/overview$"), views.overview, "overview.html"),
            ("GET", re.compile(r"^/dyad/(?P<dyad>[A-Za-z]{3}-[A-Za-z]{3})$"), views.dyad,
             "dyad.html"),
            ("GET", re.compile(r"^/dyad$"), self._dyad_form, None),
            ("GET", re.compile(r"^/map$"), views.map_view, "map.html"),
            ("GET", re.compile(r"^/events$"), views.events, "events.html"),
            ("GET", re.compile(r"^/event/(?P<event_id>[A-Za-z0-9_:.-]{1,80})$"),
             views.event, "event.html"),
            ("GET", re.compile(r"^/event/(?P<event_id>[A-Za-z0-9_:.-]{1,80})/merge$"),
             views.merge, "merge.html"),
            ("POST", re.compile(r"^/event/(?P<event_id>[A-Za-z0-9_:.-]{1,80})/review$"),
             self._post_review, None),
            ("GET", re.compile(r"^/reviews$"), views.reviews, "reviews.html"),
        ]

    # -- WSGI ---------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        try:
            response = self.handle(environ)
        except Exception:  # noqa: BLE001 - a bug must not take the server down or leak a traceback
            traceback.print_exc(file=sys.stderr)
            response = Response(500, b"internal error", "text/plain; charset=utf-8")
        headers = [("Content-Type", response.content_type),
                   ("Content-Length", str(len(response.body))), *_SECURITY_HEADERS,
                   *response.headers]
        start_response(_STATUS.get(response.status, f"{response.status} Error"), headers)
        return [response.body]

    def handle(self, environ: dict[str, Any]) -> Response:
        req = self._request(environ)
        try:
            self._check_host(req)
            if req.path.startswith("/static/"):
                return self._static_file(req)
            return self._route(req)
        except HttpError as err:
            return self._error(req, err.status, err.message)
        except StoreBusy as err:
            # A page reloads itself until the store is free; a refused review must be resent.
            again = req.method == "GET"
            resp = self._error(req, 503, f"{err}. " + ("Retrying…" if again else
                                                        "Your review was not saved; go back "
                                                        "and send it again."), retry=again)
            resp.headers.append(("Retry-After", "2"))
            return resp
        except NotAStore as err:
            return self._error(req, 500, str(err))

    def _request(self, environ: dict[str, Any]) -> Request:
        raw_path = environ.get("PATH_INFO") or "/"
        try:  # WSGI gives latin-1 decoded bytes
            path = raw_path.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            path = raw_path
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", ""),
                                               keep_blank_values=True).items()}
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items()
                   if k.startswith("HTTP_")}
        cookies: dict[str, str] = {}
        if "cookie" in headers:
            jar = SimpleCookie()
            try:
                jar.load(headers["cookie"])
            except CookieError:  # a malformed cookie header is simply ignored
                jar = SimpleCookie()
            cookies = {k: m.value for k, m in jar.items()}
        req = Request(method=environ.get("REQUEST_METHOD", "GET").upper(), path=path,
                      query=query, headers=headers, cookies=cookies, environ=environ)
        if path == "/.json" or path == "/api/overview" or path == "/api" or path == "/api/":
            req.path, req.want_json = "/", True
        elif path.startswith("/api/"):
            req.path, req.want_json = path[4:], True
        elif path.endswith(".json") and not path.startswith("/static/"):
            req.path, req.want_json = path[:-5], True
        session = cookies.get(SESSION_COOKIE, "")
        if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", session):
            session, req.new_session = secrets.token_urlsafe(24), True
        req.session = session
        return req

    def _check_host(self, req: Request) -> None:
        # A page on another site must not reach this server through DNS rebinding.
        if self.allowed_hosts is None:
            return
        host = req.headers.get("host") or req.environ.get("SERVER_NAME", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name.lower() not in self.allowed_hosts:
            raise HttpError(400, f"unexpected Host header: {host[:80]!r}")

    def _route(self, req: Request) -> Response:
        allowed = False
        for method, pattern, handler, template in self.routes:
            match = pattern.match(req.path)
            if not match:
                continue
            allowed = True
            if method != req.method and not (method == "GET" and req.method == "HEAD"):
                continue
            if template is None:  # handled without the store: a redirect or a write
                return handler(req, **match.groupdict())
            data = self.page_data(handler, req.query, match.groupdict())
            return self._render(req, template, data)
        if allowed:
            raise HttpError(405, "method not allowed")
        raise HttpError(404, f"no page at {req.path[:200]}")

    def page_data(self, handler: Callable[..., Any], query: dict[str, str],
                  params: dict[str, str]) -> dict[str, Any]:
        """A view's data, from the cache while the store is unchanged."""
        signature = (self.store.signature() if handler.__name__ in _SHOW_REVIEWS
                     else self.store.data_signature())
        key = (signature, handler.__name__, tuple(sorted(params.items())),
               tuple(sorted(query.items())))
        data = self.cache.get(key) if self.cache is not None else None
        if data is None:
            with self.store.reading() as con:
                data = handler(con, query, **params)
            if self.cache is not None:
                self.cache.put(key, data)
        return data

    def warm(self, paths: Iterable[str] = ("/", "/events", "/map")) -> bool:
        """Compute the first pages (and the overview's five busiest dyads) ahead of the first
        visitor; False when the store could not be read. Each page takes the store on its
        own, so a visitor's request waits for one page at most."""
        for name in self.env.list_templates():  # compiling them costs ~140 ms in all
            self.env.get_template(name)
        more: list[str] = []
        for path in paths:
            for _, pattern, handler, template in self.routes:
                match = pattern.match(path)
                if match and template is not None:
                    try:
                        data = self.page_data(handler, {}, match.groupdict())
                    except (StoreBusy, NotAStore, HttpError):
                        return False
                    if handler is views.overview:
                        more = [f"/dyad/{d['dyad']}" for d in data["top_dyads"][:5]]
                    break
        return self.warm(more) if more else True

    def keep_warm(self, stop: threading.Event | None = None, settle: float = 10.0,
                  poll: float = 2.0) -> None:
        """Warm the first pages now, and again whenever the store has changed and then been
        left alone for ``settle`` seconds (a finished `dateline code`), until ``stop`` is set.

        Waiting for the store to settle keeps the dashboard from taking the file between
        the batches of a running coder."""
        stop = stop or threading.Event()
        warmed: tuple[int, ...] | None = None
        seen, since = None, time.monotonic()
        while True:
            current = self.store.data_signature()
            if current != seen:
                seen, since = current, time.monotonic()
            settled = warmed is None or time.monotonic() - since >= settle
            if current != warmed and settled and self.warm():
                warmed = current
            if stop.wait(poll):
                return

    # -- rendering ----------------------------------------------------------------------
    def csrf_token(self, session: str) -> str:
        return hmac.new(self.secret, session.encode(), hashlib.sha256).hexdigest()

    def _qs(self, query: dict[str, Any], **changes: Any) -> str:
        merged = {k: v for k, v in query.items() if v not in (None, "")}
        for k, v in changes.items():
            if v in (None, ""):
                merged.pop(k, None)
            else:
                merged[k] = v
        return "?" + urlencode(merged) if merged else ""

    def _render(self, req: Request, template: str, data: dict[str, Any],
                status: int = 200) -> Response:
        if req.want_json:
            body = json.dumps(data, default=json_default, ensure_ascii=False).encode()
            return Response(status, body, "application/json; charset=utf-8")
        html = self.env.get_template(template).render(
            data=data, query=req.query, csrf=self.csrf_token(req.session), path=req.path)
        resp = Response(status, html.encode("utf-8"))
        if req.new_session:
            cookie = f"{SESSION_COOKIE}={req.session}; Path=/; HttpOnly; SameSite=Strict"
            resp.headers.append(("Set-Cookie", cookie))
        return resp

    def _error(self, req: Request, status: int, message: str, retry: bool = False) -> Response:
        data = {"error": message, "status": status}
        if retry:
            data["retry_after"] = 2
        return self._render(req, "error.html", data, status=status)

    def _static_file(self, req: Request) -> Response:
        name = req.path[len("/static/"):]
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or name.startswith("."):
            raise HttpError(404, "no such file")
        item = self._static / name
        suffix = Path(name).suffix
        if not item.is_file() or suffix not in _STATIC_TYPES:
            raise HttpError(404, "no such file")
        # File names carry their version, so they may be cached for good.
        return Response(200, item.read_bytes(), _STATIC_TYPES[suffix],
                        [("Cache-Control", "public, max-age=31536000, immutable")])

    def _dyad_form(self, req: Request) -> Response:
        dyad = (req.query.get("dyad") or "").strip().upper()
        if not re.fullmatch(r"[A-Z]{3}-[A-Z]{3}", dyad):
            raise HttpError(400, "a dyad is two three-letter codes, e.g. MEX-USA")
        return Response(303, b"", "text/plain; charset=utf-8", [("Location", f"/dyad/{dyad}")])

    # -- the one write ------------------------------------------------------------------
    def _check_same_origin(self, req: Request) -> None:
        host = req.headers.get("host", "")
        source = req.headers.get("origin") or req.headers.get("referer")
        if not source or source == "null":
            raise HttpError(403, "review refused: the request has no Origin or Referer")
        if urlsplit(source).netloc.lower() != host.lower():
            raise HttpError(403, "review refused: cross-site request")

    def _read_form(self, req: Request) -> dict[str, str]:
        ctype = req.environ.get("CONTENT_TYPE", "")
        if not ctype.startswith("application/x-www-form-urlencoded"):
            raise HttpError(400, "reviews are sent as an HTML form")
        try:
            length = int(req.environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_FORM_BYTES:
            raise HttpError(413, "form too large")
        raw = req.environ["wsgi.input"].read(length) if length else b""
        return {k: v[-1] for k, v in parse_qs(raw.decode("utf-8", "replace"),
                                              keep_blank_values=True).items()}

    def _post_review(self, req: Request, event_id: str) -> Response:
        self._check_same_origin(req)
        form = self._read_form(req)
        token = form.get("csrf", "")
        if req.new_session or not hmac.compare_digest(token, self.csrf_token(req.session)):
            raise HttpError(403, "review refused: missing or wrong CSRF token "
                                 "(reload the page and try again)")
        from dateline.web.reviews import record_review, review_from_form
        try:
            review = review_from_form(event_id, form)
            with self.store.writing_review() as con:
                rid = record_review(con, review)
        except ReviewError as err:
            raise HttpError(400, str(err)) from err
        if req.want_json:
            return Response(200, json.dumps({"ok": True, "review_id": rid}).encode(),
                            "application/json; charset=utf-8")
        return Response(303, b"", "text/plain; charset=utf-8",
                        [("Location", f"/event/{event_id}?reviewed={rid}#review")])


def create_app(db_path: str | Path, **kwargs: Any) -> Dashboard:
    """The dashboard WSGI app over the store at ``db_path``."""
    return Dashboard(db_path, **kwargs)
