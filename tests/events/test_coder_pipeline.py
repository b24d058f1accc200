"""dateline.coder: the stage list, batching, and failures that never stop a batch."""

from __future__ import annotations

from dateline import coder, events
from dateline.records import Document, Rejected

STORIES = [
    "Mexican police arrested protesters in Tijuana on Monday.",
    "The weather was mild all week.",
    "Russia threatened to impose sanctions on Ukraine.",
]


def test_code_text_returns_a_coded_document_with_ids():
    coded = coder.code_text(STORIES[0], published="2024-05-01")
    assert coded.rejected is None and coded.doc.published == "2024-05-01"
    assert coded.events and all(ev.id for ev in coded.events)


def test_empty_and_odd_text_codes_to_nothing_without_error():
    for text in ["", "   \n\n ", "\u00a0\u00a0", "!!! ??? ...", "a" * 5000]:
        coded = coder.code_text(text)
        assert coded.events == [] and coded.rejected is None


def test_batched_coding_matches_one_by_one():
    docs = [Document(text=t, published="2024-05-01") for t in STORIES]
    batched = list(coder.code_documents(docs))
    single = [coder.code_document(d) for d in docs]
    assert [[e.id for e in c.events] for c in batched] == [[e.id for e in c.events]
                                                           for c in single]


def test_rejections_pass_through_in_order():
    items = [Document(text=STORIES[0]), Rejected(origin="x.bin", reason="binary"),
             Document(text=STORIES[2])]
    out = list(coder.code_documents(items))
    assert [c.rejected is None for c in out] == [True, False, True]
    assert out[1].rejected["reason"] == "binary"


def test_a_failing_story_becomes_a_rejection_not_a_crash(monkeypatch):
    real = events.extract_events

    def explode(doc, sdoc, mentions):
        if "Russia" in doc.text:
            raise RuntimeError("boom")
        return real(doc, sdoc, mentions)

    monkeypatch.setattr(events, "extract_events", explode)
    out = list(coder.code_documents([Document(text=t) for t in STORIES]))
    assert [c.rejected is None for c in out] == [True, True, False]
    assert "boom" in out[2].rejected["reason"]
    assert coder.code_text(STORIES[2]).rejected is not None
