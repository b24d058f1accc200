"""Workers code a chunk's stories parsed together (`pipeline.process_chunk`): every item gets
the record `process_item` gives it, also when a story fails or the batch runs out of time."""

from __future__ import annotations

import time

import dateline.coder
from dateline import pipeline
from dateline.records import Document, Rejected

STORIES = [
    ("Police in Monterrey arrested three men on Monday after a shootout with soldiers near "
     "the city airport, the state prosecutor said."),
    ("The foreign ministers of Chile and Peru met in Lima on Wednesday and agreed to open a "
     "new border crossing next year, their governments said."),
    ("Protesters in Caracas accused the government of rigging the vote and demanded that the "
     "electoral council publish the full results, opposition leaders said."),
]
SPANISH = ("Los ministros de Relaciones Exteriores de Chile y Perú se reunieron el miércoles en "
           "Lima y acordaron abrir un nuevo paso fronterizo el próximo año.")


def _items() -> list:
    return [Document(text=STORIES[0], origin="a"), Rejected(origin="b.bin", reason="binary"),
            Document(text=STORIES[1], origin="c"), Document(text=SPANISH, origin="es"),
            Document(text=STORIES[2], origin="d")]


def _lines(records) -> list[str]:
    return [r.to_line() for r in records]


def test_a_chunk_gives_the_records_of_one_item_at_a_time():
    one = [pipeline.process_item(item) for item in _items()]
    assert sum(len(c.events) for c in one) > 0  # real stories, real events
    batched = pipeline.process_chunk(_items())
    assert _lines(batched) == _lines(one)
    assert [c.origin for c in batched] == ["a", "b.bin", "c", "es", "d"]


def test_a_story_that_fails_fails_alone(monkeypatch):
    real = dateline.coder._stages

    def fragile(doc, sdoc):
        if "Lima" in doc.text:
            raise ValueError("boom")
        return real(doc, sdoc)

    monkeypatch.setattr(dateline.coder, "_stages", fragile)
    one = [pipeline.process_item(item) for item in _items()]
    batched = pipeline.process_chunk(_items())
    assert _lines(batched) == _lines(one)
    assert batched[2].rejected["reason"] == "coding failed: ValueError: boom"
    assert batched[0].events and batched[4].events


def test_a_batch_past_its_time_is_coded_one_story_at_a_time(monkeypatch):
    one = [pipeline.process_item(item) for item in _items()]  # loads the models first
    calls = []

    def endless(docs):
        calls.append(len(docs))
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(dateline.coder, "code_batch", endless)
    monkeypatch.setattr(pipeline, "_story_timeout", 2.0)  # the batch of three: 6 s
    start = time.monotonic()
    batched = pipeline.process_chunk(_items())
    assert calls == [3] and 6 <= time.monotonic() - start < 60
    assert _lines(batched) == _lines(one)
