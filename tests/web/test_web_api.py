"""The dashboard driven in-process through WSGI: every JSON twin, filters, security, reviews."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pytest

from dateline.web.app import create_app, safe_url

HOST = "localhost:8000"


class Client:
    """A tiny WSGI client that keeps the session cookie like a browser."""

    def __init__(self, app) -> None:
        self.app = app
        self.cookie = ""

    def request(self, method: str, path: str, query: str = "", body: bytes = b"",
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        env = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
               "HTTP_HOST": HOST, "wsgi.input": io.BytesIO(body),
               "CONTENT_LENGTH": str(len(body)),
               "CONTENT_TYPE": "application/x-www-form-urlencoded"}
        if self.cookie:
            env["HTTP_COOKIE"] = self.cookie
        for k, v in (headers or {}).items():
            env["HTTP_" + k.upper().replace("-", "_")] = v
        seen: dict = {}

        def start_response(status, hdrs):
            seen["status"] = int(status.split()[0])
            seen["headers"] = hdrs

        payload = b"".join(self.app(env, start_response))
        hdrs = {}
        for k, v in seen["headers"]:
            hdrs[k.lower()] = v
            if k.lower() == "set-cookie":
                self.cookie = v.split(";")[0]
        return seen["status"], hdrs, payload

    def get(self, path: str, **params) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path, urlencode(params))

    def json(self, path: str, **params) -> dict:
        status, _, body = self.get(path, **params)
        assert status == 200, body[:500]
        return json.loads(body)


@pytest.fixture(scope="module")
def client(web_store) -> Client:
    return Client(create_app(web_store[0]))


# -- JSON twins ---------------------------------------------------------------------------

def test_overview_counts_stories_canonical_events_and_dyads(client):
    data = client.json("/.json")
    assert data["stories"] == 5
    # 7 dateline mentions: the meeting told twice merges into one; the negated threat is out.
    assert data["events"] == 5
    assert data["mentions"] == 6
    assert data["date_range"] == ["2018-01-15", "2018-03-22"]
    assert sum(r["q1"] + r["q2"] + r["q3"] + r["q4"] for r in data["timeline"]) == 5
    dyads = {d["dyad"]: d for d in data["top_dyads"]}
    assert dyads["MEX-USA"]["n"] == 2 and dyads["MEX-USA"]["conflict"] == 1
    assert {t["type"] for t in data["top_types"]} == {"CONSULT", "ASSAULT", "COERCE", "AGREE",
                                                       "ACCUSE"}
    assert {"context": "crime", "n": 3} in data["top_contexts"]


def test_every_json_twin_spelling_gives_the_same_data(client):
    a = client.json("/.json")
    assert client.json("/api/overview") == a
    assert client.json("/api/dyad/MEX-USA") == client.json("/dyad/MEX-USA.json")
    assert client.json("/api/events", type="ASSAULT") == client.json("/events.json",
                                                                      type="ASSAULT")


def test_dyad_view_has_quad_timeline_types_most_covered_and_gdelt_comparison(client, web_store):
    data = client.json("/dyad/MEX-USA.json")
    assert data["a"] == "MEX" and data["b"] == "USA" and data["events"] == 2
    # Day by day, the day without events included as zero.
    assert [(r["period"], r["net"], r["n"]) for r in data["timeline"]] == [
        ("2018-03-20", -1, 1), ("2018-03-21", 0, 0), ("2018-03-22", 1, 1)]
    assert data["comparison"] == [{"origin": "gdelt", "series": [
        {"period": "2018-03-22", "net": 1, "n": 1}]}]
    top = data["most_covered"][0]
    assert top["type"] == "CONSULT" and top["num_mentions"] == 2 and top["num_stories"] == 2
    assert top["title"] in ("US and Mexican security chiefs meet in Mexico City",
                            "Nielsen in Mexico for talks")
    directed = client.json("/dyad/USA-MEX.json", directed="1")
    assert directed["events"] == 1 and directed["types"][0]["type"] == "CONSULT"


def test_map_groups_points_by_place_and_filters(client):
    data = client.json("/map.json")
    places = {p["name"]: p for p in data["points"]}
    assert places["Mexico City"]["n"] == 2 and places["Tijuana"]["n"] == 2
    assert places["Ottawa"]["lat"] == pytest.approx(45.42)
    assert data["located"] == 5
    only = client.json("/map.json", type="ASSAULT")
    assert [p["name"] for p in only["points"]] == ["Tijuana"]
    assert [p["name"] for p in client.json("/map.json", country="CAN")["points"]] == ["Ottawa"]
    assert client.json("/map.json", quad_class="4", since="2018-03-01")["points"] == []


def test_bad_filter_values_are_reported_not_crashed(client):
    data = client.json("/events.json", quad_class="9")
    assert "quad_class" in data["error"]
    assert "date" in client.json("/map.json", since="yesterday")["error"]
    assert "PLOVER" in client.json("/events.json", type="'; DROP TABLE events; --")["error"]


def test_events_filters_match_the_cli_names(client):
    assert client.json("/events.json")["total"] == 5
    assert client.json("/events.json", include_modal="1")["total"] == 6
    assert client.json("/events.json", mentions="1")["total"] == 6
    assert client.json("/events.json", dyad="CAN-USA", include_modal="1")["total"] == 2
    assert client.json("/events.json", actor="CAN")["total"] == 1
    assert client.json("/events.json", context="crime")["total"] == 3
    assert client.json("/events.json", context="crime,border")["total"] == 4  # either one
    assert client.json("/events.json", since="2018-02", until="2018-02")["total"] == 2
    assert client.json("/events.json", place="tijuana")["total"] == 2
    assert client.json("/events.json", origin="gdelt")["total"] == 1


def test_events_sort_and_paginate(client):
    asc = client.json("/events.json", sort="date", dir="asc")["events"]
    assert [e["event_date"] for e in asc][:2] == ["2018-01-15", "2018-02-12"]
    page2 = client.json("/events.json", sort="date", dir="asc", per_page="2", page="2")
    assert page2["pages"] == 3 and [e["id"] for e in page2["events"]] == [
        e["id"] for e in asc[2:4]]
    most = client.json("/events.json", sort="mentions")["events"][0]
    assert most["num_mentions"] == 2 and most["type"] == "CONSULT"


def test_event_evidence_highlights_actor_recipient_and_trigger(client, web_store):
    _, ids = web_store
    data = client.json(f"/event/{ids['meeting']}.json")
    marked = {(r["mark"], r["text"]) for r in data["runs"] if r["mark"]}
    assert ("trigger", "met") in marked
    assert ("actor", "Kirstjen Nielsen") in marked
    assert ("recipient", "Alfonso Navarrete") in marked
    assert "".join(r["text"] for r in data["runs"]) == data["sentence"]
    assert data["doc"]["title"].startswith("US and Mexican security chiefs")
    assert data["quotes"][0]["speaker_name"] == "Kirstjen Nielsen"
    assert data["claims"][0]["value"] == 253000
    assert [m["id"] for m in data["other_mentions"]] == [ids["meeting2"]]
    merge = client.json(f"/event/{ids['meeting']}/merge.json")["explain"]
    assert merge["num_mentions"] == 2 and merge["rule"]
    assert {m["id"] for m in merge["mentions"]} == {ids["meeting"], ids["meeting2"]}


def test_unknown_event_and_page_are_404(client):
    assert client.get("/event/doesnotexist")[0] == 404
    status, _, body = client.get("/event/doesnotexist.json")
    assert status == 404 and json.loads(body)["status"] == 404
    assert client.get("/static/../app.py")[0] == 404
    assert client.get("/static/world-110m-1.json")[0] == 200


# -- untrusted story text -----------------------------------------------------------------

def test_hostile_story_renders_as_text(client, web_store):
    _, ids = web_store
    for path in (f"/event/{ids['hostile']}", "/events", "/dyad/MEX-USA"):
        status, _, body = client.get(path)
        html = body.decode()
        assert status == 200
        assert "<script>window.__pwned" not in html
        assert "onerror=alert" not in html or "&lt;img src=x onerror=alert(1)&gt;" in html
        assert 'href="javascript:' not in html
    html = client.get(f"/event/{ids['hostile']}")[2].decode()
    assert "&lt;script&gt;window.__pwned" in html
    assert "&lt;b&gt;Bad Source&lt;/b&gt;" in html
    # The embedded JSON twin cannot close its <script> element either.
    page_json = re.search(r'<script type="application/json" id="page-data">(.*?)</script>',
                          html, re.DOTALL).group(1)
    assert "<" not in page_json and json.loads(page_json)["doc"]["url"].startswith("javascript")


def test_only_http_urls_become_links():
    assert safe_url("https://example.org/a") == "https://example.org/a"
    assert safe_url("http://example.org") == "http://example.org"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil",
                "file:///etc/passwd", None, 3):
        assert safe_url(bad) is None


def test_security_headers_and_host_check(client):
    status, headers, _ = client.get("/")
    assert status == 200
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert "SameSite=Strict" in headers.get("set-cookie", "SameSite=Strict")
    evil = client.request("GET", "/", headers={"Host": "evil.example:8000"})
    assert evil[0] == 400


# -- reviews --------------------------------------------------------------------------------

def _csrf(client: Client, event_id: str) -> str:
    html = client.get(f"/event/{event_id}")[2].decode()
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


def _post(client: Client, event_id: str, form: dict, origin: str | None = f"http://{HOST}"):
    headers = {"Origin": origin} if origin else {}
    return client.request("POST", f"/event/{event_id}/review",
                          body=urlencode(form).encode(), headers=headers)


def test_review_needs_post_csrf_token_and_same_origin(fresh_store):
    path, ids = fresh_store
    client = Client(create_app(path))
    eid = ids["assault"]
    token = _csrf(client, eid)
    assert client.get(f"/event/{eid}/review")[0] == 405
    assert _post(client, eid, {"verdict": "correct"})[0] == 403
    assert _post(client, eid, {"verdict": "correct", "csrf": "0" * 64})[0] == 403
    assert _post(client, eid, {"verdict": "correct", "csrf": token},
                 origin="http://evil.example")[0] == 403
    assert _post(client, eid, {"verdict": "correct", "csrf": token}, origin=None)[0] == 403
    stranger = Client(client.app)  # another browser session cannot reuse the token
    stranger.get("/")
    assert _post(stranger, eid, {"verdict": "correct", "csrf": token})[0] == 403
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0


def test_review_is_stored_apart_and_the_coded_event_is_unchanged(fresh_store):
    path, ids = fresh_store
    client = Client(create_app(path))
    eid = ids["hostile"]
    with duckdb.connect(str(path), read_only=True) as con:
        before = con.execute("SELECT * FROM events WHERE id = ?", [eid]).fetchall()
    token = _csrf(client, eid)
    status, headers, _ = _post(client, eid, {"verdict": "corrected", "csrf": token,
                                             "type": "REJECT", "actors": "mexgov",
                                             "recipients": "USAGOV, USAMIL", "note": "<i>x</i>"})
    assert status == 303 and headers["location"].startswith(f"/event/{eid}?reviewed=")
    bad = _post(client, eid, {"verdict": "corrected", "csrf": token, "type": "NOPE"})
    assert bad[0] == 400
    html = client.get(f"/event/{eid}")[2].decode()
    assert "REJECT" in html and "&lt;i&gt;x&lt;/i&gt;" in html
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT * FROM events WHERE id = ?", [eid]).fetchall() == before
        row = con.execute("SELECT verdict, type, actors, recipients FROM reviews").fetchall()
    assert row == [("corrected", "REJECT", ["MEXGOV"], ["USAGOV", "USAMIL"])]
    listing = client.json("/reviews.json")
    assert listing["counts"] == {"corrected": 1} and listing["reviews"][0]["event_id"] == eid


def test_gold_export_holds_confirmed_corrected_and_wrong_events(fresh_store, tmp_path):
    from click.testing import CliRunner

    from dateline.records import CodedDocument
    from dateline.web.gold import write_gold
    path, ids = fresh_store
    client = Client(create_app(path))
    token = _csrf(client, ids["assault"])
    assert _post(client, ids["assault"], {"verdict": "correct", "csrf": token})[0] == 303
    assert _post(client, ids["arrest"], {"verdict": "corrected", "csrf": token,
                                         "type": "COERCE", "mode": "arrest",
                                         "recipients": "MEXREB"})[0] == 303
    assert _post(client, ids["agree"], {"verdict": "wrong", "csrf": token})[0] == 303
    out = tmp_path / "gold.jsonl"
    with duckdb.connect(str(path), read_only=True) as con:
        assert write_gold(con, out) == 2
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    by_title = {x["doc"]["title"]: x for x in lines}
    tijuana = by_title["Gunmen attack police in Tijuana"]
    assert tijuana["gold"]["complete"] is True
    assert [e["type"] for e in tijuana["events"]] == ["ASSAULT", "COERCE"]
    arrest = tijuana["events"][1]
    assert [a["code"] for a in arrest["recipients"]] == ["MEXREB"]
    assert arrest["review"]["coded"]["recipients"] == ["MEXCRM"]
    assert arrest["actors"][0]["start"] is not None  # unchanged actor keeps its offsets
    pact = by_title["Canada and the US sign a border pact"]
    assert pact["events"] == [] and pact["gold"]["wrong_events"][0]["type"] == "AGREE"
    assert pact["gold"]["unreviewed_event_ids"] == [ids["negated"]]
    coded = CodedDocument.from_json(tijuana)
    ev = coded.events[0]
    assert coded.doc.text[ev.evidence.start:ev.evidence.end] == ev.evidence.sentence
    # The CLI's export dispatches --format gold here.
    from dateline.store.commands import export
    cli_out = tmp_path / "cli-gold.jsonl"
    result = CliRunner().invoke(export, ["--db", str(path), "--format", "gold",
                                         "--out", str(cli_out)])
    assert result.exit_code == 0, result.output
    assert cli_out.read_text() == out.read_text()


# -- the store: read-only, busy ----------------------------------------------------------

_HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
print("held", flush=True)
time.sleep(float(sys.argv[3]))
"""


def _hold(path: Path, mode: str, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(path), mode, str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_pages_open_the_store_read_only(fresh_store):
    # Another process reading the file blocks any writer; pages must still be served.
    path, ids = fresh_store
    holder = _hold(path, "ro", 30)
    try:
        client = Client(create_app(path))
        assert client.get("/")[0] == 200
        assert client.get(f"/event/{ids['meeting']}")[0] == 200
    finally:
        holder.kill()
        holder.wait()


def test_store_held_by_a_writer_gives_a_busy_page_not_a_crash(fresh_store):
    path, ids = fresh_store
    client = Client(create_app(path))
    token = _csrf(client, ids["agree"])
    client.app.store.release()
    holder = _hold(path, "rw", 30)
    try:
        posted = _post(client, ids["agree"], {"verdict": "correct", "csrf": token})
        assert posted[0] == 503 and b"not saved" in posted[2]
        assert b'http-equiv="refresh"' not in posted[2]
        client.app.cache.size = 0  # the pages above were cached; ask the store again
        client.app.cache._items.clear()
        started = time.monotonic()
        status, headers, body = client.get("/")
        assert status == 503 and headers["retry-after"] == "2"
        assert b"Store busy" in body and b'http-equiv="refresh"' in body
        status, _, body = client.get("/.json")
        assert status == 503 and json.loads(body)["retry_after"] == 2
        assert time.monotonic() - started < 20
    finally:
        holder.kill()
        holder.wait()
    assert client.get("/")[0] == 200  # and it recovers once the writer is gone


def test_serve_refuses_a_missing_store(tmp_path):
    from click.testing import CliRunner

    from dateline.web.commands import is_loopback, serve
    result = CliRunner().invoke(serve, ["--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "no store" in result.output
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_highlight_marks_overlaps_with_trigger_first():
    from dateline.web.views import highlight
    text = "xx Police arrested protesters yy"
    runs = highlight(text, 3, 29, [(3, 9, "actor"), (19, 29, "recipient"), (10, 18, "trigger"),
                                   (15, 22, "actor")])
    assert "".join(r["text"] for r in runs) == text[3:29]
    assert [(r["mark"], r["text"]) for r in runs if r["mark"]] == [
        ("actor", "Police"), ("trigger", "arrested"), ("actor", " pro"),
        ("recipient", "testers")]
    assert highlight(text, 10, 5, []) == []


def test_cache_is_warmed_and_dropped_when_the_store_changes(fresh_store):
    path, ids = fresh_store
    app = create_app(path)
    app.warm()
    names = {key[1] for key in app.cache._items}
    assert {"overview", "map_view", "events", "dyad"} <= names
    client = Client(app)
    before = client.json("/events.json")
    token = _csrf(client, ids["assault"])
    assert _post(client, ids["assault"], {"verdict": "wrong", "csrf": token})[0] == 303
    assert client.json("/reviews.json")["counts"] == {"wrong": 1}  # not a stale cached page
    assert client.json("/events.json") == before


def test_store_without_canonical_events_shows_mentions(fresh_store):
    path, _ = fresh_store
    with duckdb.connect(str(path)) as con:
        con.execute("DELETE FROM clusters")
    data = Client(create_app(path)).json("/events.json")
    assert data["canonical"] is False and data["total"] == 6


def test_dyad_form_redirects_and_pages_filter_by_dataset(client):
    status, headers, _ = client.get("/dyad", dyad="mex-usa")
    assert status == 303 and headers["location"] == "/dyad/MEX-USA"
    assert client.get("/dyad", dyad="mexico")[0] == 400
    gdelt = client.json("/.json", origin="gdelt")
    assert gdelt["events"] == 1 and gdelt["top_dyads"][0]["dyad"] == "MEX-USA"
    only_accuse = client.json("/dyad/MEX-USA.json", type="ACCUSE")
    assert only_accuse["events"] == 1 and only_accuse["types"][0]["type"] == "ACCUSE"
    html = client.get("/dyad/MEX-USA")[2].decode()
    assert '<option value="ACCUSE"' in html and 'name="origin"' in html
