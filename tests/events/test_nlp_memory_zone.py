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
    after_first = _live(vocab)
    # Second pass: the lemma cache now holds words whose strings the zones have freed.
    second = _lines(coder.code_documents(docs))
    assert second == first
    assert _live(vocab) == after_first
    # The reference: no zones at all, so every new word stays in the vocabulary.
    monkeypatch.setattr(nlp, "zone", contextlib.nullcontext)
    unzoned = _lines(coder.code_document(d) for d in docs)
    assert unzoned == first
    assert _live(vocab)[0] > after_first[0] and _live(vocab)[1] > after_first[1]
