"""Coding in spaCy memory zones: the same output as without them, and no vocabulary growth."""

from __future__ import annotations

import contextlib
import io
import json

from dateline import coder, nlp
from dateline.demo import STORIES, stories_path
from dateline.ingest import IngestOptions, read_stream
from dateline.records import Document


def _demo_documents() -> list[Document]:
    data = stories_path().read_bytes()
    items = read_stream(io.BufferedReader(io.BytesIO(data)), f"demo:{STORIES}", IngestOptions())
    return [d for d in items if isinstance(d, Document)]


def _live(vocab) -> tuple[int, int]:
    """Lexemes and strings held now (len(vocab) counts every lexeme ever made)."""
    return sum(1 for _ in vocab), len(vocab.strings)


def _lines(coded) -> list[str]:
    return [json.dumps(c.to_json(), sort_keys=True) for c in coded]


def test_zones_change_nothing_and_forget_each_storys_new_words(monkeypatch):
    docs = _demo_documents()
    assert len(docs) >= 30
    vocab = nlp.load().vocab
    first = _lines(coder.code_document(d) for d in docs)
    # Batched coding first keeps the words recurring in each batch (nlp.warm, bounded):
    # after that, coding the same stories again adds nothing.
    batched = _lines(coder.code_documents(docs))
    assert batched == first
    after_first = _live(vocab)
    # Again: the lemma cache now holds words whose strings the zones have freed.
    second = _lines(coder.code_documents(docs))
    assert second == first
    assert _live(vocab) == after_first
    assert _lines(coder.code_document(d) for d in docs) == first
    assert _live(vocab) == after_first
    # A story of words met nowhere before: coded in a zone, its words are forgotten.
    coder.code_text("Zorvathi Quellane met Brennikov Tarsovy in Ulmarrang on Friday.")
    assert _live(vocab) == after_first
    # The reference: no zones at all, so every new word stays in the vocabulary.
    monkeypatch.setattr(nlp, "zone", contextlib.nullcontext)
    unzoned = _lines(coder.code_document(d) for d in docs)
    assert unzoned == first
    coder.code_text("Vashtiro Plenquist met Dranouka Velimari in Oskarrow on Monday.")
    assert _live(vocab)[0] > after_first[0] and _live(vocab)[1] > after_first[1]


def _tokens(text: str) -> list[tuple[str, int, str]]:
    with nlp.zone():
        return [(t.text, t.idx, t.whitespace_) for t in nlp.load().make_doc(text)]


def test_warm_keeps_recurring_chunks_with_the_same_tokens_and_a_bound(monkeypatch):
    text = ("Officials said: \"the talks (in Geneva) failed\", and Mr. Smith's aides "
            "disagreed. Officials said the U.S.-led talks had failed, didn't they? ") * 2
    before = _tokens(text)
    monkeypatch.setattr(nlp, "_warmed", set())
    monkeypatch.setattr(nlp, "_seen", None)
    monkeypatch.setattr(nlp, "WARM_CHUNKS", 5)
    with nlp.zone():
        assert nlp.warm([text]) == 0  # inside a zone nothing could be kept
    assert nlp.warm([text]) == 5  # recurring chunks, the most frequent first, up to the bound
    assert nlp.warm([text + " Wholly-new-chunk Wholly-new-chunk"]) == 0  # the bound holds
    assert _tokens(text) == before
    monkeypatch.setattr(nlp, "WARM_CHUNKS", 10_000)
    assert nlp.warm([text]) > 0
    assert nlp.warm([text]) == 0  # each chunk is kept once
    assert _tokens(text) == before
    assert nlp.warm(["a chunk seen once"]) == 0
    assert nlp.warm([None, 3]) == 0  # not text: nothing kept, nothing raised


def test_warm_keeps_a_chunk_met_once_in_each_of_two_stories(monkeypatch):
    monkeypatch.setattr(nlp, "_warmed", set())
    monkeypatch.setattr(nlp, "_seen", None)
    first, second = "Ministers met on Thursday, officials said.", "Troops left Thursday, too."
    before = _tokens(second)
    assert nlp.warm([first]) == 0  # every chunk once: nothing recurs yet
    assert nlp.warm([second]) == 1  # "Thursday," was met in the earlier story
    assert nlp.warm([second]) == 3  # its other chunks, met in the call before
    assert nlp.warm([second]) == 0  # each chunk is kept once
    assert nlp.warm([first]) == 5  # the rest of the first story
    assert _tokens(second) == before


def test_warm_tokenizes_each_chunk_on_its_own(monkeypatch):
    # spaCy caches none of a text's chunks after the first that hits a special case
    # ("didn't"), so chunks warmed in one joined call would mostly stay uncached
    monkeypatch.setattr(nlp, "_warmed", set())
    monkeypatch.setattr(nlp, "_seen", None)
    pipeline = nlp.load()
    calls: list[str] = []
    make_doc = pipeline.make_doc
    monkeypatch.setattr(pipeline, "make_doc", lambda text: calls.append(text) or make_doc(text))
    text = "They didn't agree, officials said. They didn't agree, officials said."
    assert nlp.warm([text]) == 5
    assert sorted(calls) == sorted(set(text.split()))


def test_a_failing_warm_up_never_fails_a_story(monkeypatch):
    def broken(texts):
        raise RuntimeError("no pipeline")

    monkeypatch.setattr(nlp, "_warm", broken)
    assert nlp.warm(["Officials said. Officials said."]) == 0
    coded = coder.code_text("Mexico and the United States met in Mexico City on Friday.",
                            published="2018-03-23")
    assert coded.rejected is None and coded.events
