"""What the dashboard remembers between requests (results, totals, facts about the store)
must never outlive a write to the store; its own review writes spare the pages that do not
show reviews."""

from __future__ import annotations

import threading
import time

from test_web_api import Client, _csrf, _post

from dateline.records import CodedDocument, Document
from dateline.store import open_store
from dateline.store.synthetic import make_event
from dateline.web.app import create_app


def _new_story() -> CodedDocument:
    text = ("Brazil and Canada sign a trade deal\n\nBrazil signed a trade agreement with "
            "Canada in Ottawa on March 3.")
    doc = Document(text=text, title="Brazil and Canada sign a trade deal",
                   published="2018-03-03", url="https://news.example.org/brazil-canada",
                   source="Fourth Post", origin="test")
    event = make_event(doc, "Brazil signed a trade agreement with Canada in Ottawa on March 3.",
                       "signed a trade agreement", "AGREE", date="2018-03-03",
                       actors=[("Brazil", "BRA", None)], recipients=[("Canada", "CAN", None)])
    return CodedDocument(doc=doc, events=[event])


def _write_story(app, path) -> str:
    app.store.release()  # as after the dashboard's idle release, so a writer can get in
    story = _new_story()
    with open_store(str(path)) as store:
        store.write_batch([story])
    return story.events[0].id


def test_a_write_to_the_store_shows_on_the_next_request(fresh_store):
    path, _ = fresh_store
    app = create_app(path)
    client = Client(app)
    before = client.json("/.json")
    table = client.json("/events.json", per_page=2)
    assert client.json("/events.json", per_page=2, page=2)["total"] == table["total"]
    new_id = _write_story(app, path)
    after = client.json("/.json")
    assert after["stories"] == before["stories"] + 1
    assert after["events"] == before["events"] + 1
    assert "BRA-CAN" in {d["dyad"] for d in after["top_dyads"]}
    fresh = client.json("/events.json", per_page=2)
    assert fresh["total"] == table["total"] + 1
    assert new_id in {e["id"] for e in client.json("/events.json", actor="BRA")["events"]}
    assert client.json("/dyad/BRA-CAN.json")["events"] == 1


def test_own_review_keeps_data_pages_but_not_review_pages(fresh_store):
    path, ids = fresh_store
    app = create_app(path)
    client = Client(app)
    overview = client.json("/.json")
    data_before = app.store.data_signature()
    token = _csrf(client, ids["assault"])
    assert _post(client, ids["assault"], {"verdict": "wrong", "csrf": token})[0] == 303
    # The file changed, but only by our review: the overview's cache entry still holds.
    assert app.store.data_signature() == data_before
    assert app.store.signature() != data_before
    assert client.json("/.json") == overview
    event = client.json(f"/event/{ids['assault']}.json")
    assert [r["verdict"] for r in event["reviews"]] == ["wrong"]
    assert client.json("/reviews.json")["counts"] == {"wrong": 1}
    # Any other write is new data again.
    _write_story(app, path)
    assert app.store.data_signature() != data_before
    assert client.json("/.json")["stories"] == overview["stories"] + 1


def test_keep_warm_recomputes_pages_once_the_store_settles(fresh_store):
    path, _ = fresh_store
    app = create_app(path, idle_release=0.1)
    stop = threading.Event()

    def warmed_overviews() -> set:
        return {key[0] for key in list(app.cache._items) if key[1] == "overview"}

    def wait_for(check, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return True
            time.sleep(0.05)
        return False

    thread = threading.Thread(target=app.keep_warm, kwargs={"stop": stop, "settle": 0.3,
                                                             "poll": 0.05}, daemon=True)
    thread.start()
    try:
        assert wait_for(lambda: app.store.data_signature() in warmed_overviews())
        with app.store._lock:  # the warmer must not hold the store while we write
            _write_story(app, path)
        new = app.store.data_signature()
        assert wait_for(lambda: new in warmed_overviews())
        stories = app.cache.get(next(k for k in app.cache._items
                                     if k[0] == new and k[1] == "overview"))["stories"]
        assert stories == 6
    finally:
        stop.set()
        thread.join(5)
