"""Parse features read from a sentence's Doc table (`SentenceTokens`, the coder's path) equal
those read through spaCy Tokens (training's path)."""

from __future__ import annotations

from itertools import pairwise

import pytest

from dateline import nlp
from dateline.events.classifier import SentenceTokens, derived_trigger, parse_features

TEXT = ("Police arrested 12 protesters outside parliament on Monday.  The two ministers will "
        "not meet in Paris, officials said.\n\nRussia accused Ukraine of shelling the power "
        "plant near Zaporizhzhia , which Kyiv denied.\n  Rebels attacked an army base.")


@pytest.fixture(scope="module")
def doc():
    return nlp.parse(TEXT)


def _spans(sent) -> list[tuple[int, int] | None]:
    """Every word of the sentence, some two-word runs, and no span."""
    words = [(t.idx, t.idx + len(t)) for t in sent if not t.is_space]
    pairs = [(a[0], b[1]) for a, b in pairwise(words)]
    return [None, *words, *pairs[::2]]


def test_table_and_tokens_give_the_same_parse_features(doc) -> None:
    table = doc.to_array(SentenceTokens.ATTRS)
    checked = 0
    for sent in doc.sents:
        view = SentenceTokens(doc, sent.start, sent.end, table)
        base = sent.start_char
        spans = [None if s is None else (s[0] - base, s[1] - base) for s in _spans(sent)]
        for src in spans:
            for tgt in spans[::3]:
                assert parse_features(view, src, tgt, base) == parse_features(sent, src, tgt,
                                                                              base)
                assert derived_trigger(view, src, tgt, base) == derived_trigger(sent, src, tgt,
                                                                                base)
                checked += 1
    assert checked > 100


def test_an_unparsed_sentence_gives_no_features() -> None:
    doc = nlp.load().make_doc("Police arrested 12 protesters outside parliament.")
    view = SentenceTokens(doc, 0, len(doc), doc.to_array(SentenceTokens.ATTRS))
    assert parse_features(view, (0, 6), (19, 29)) == () == parse_features(doc, (0, 6), (19, 29))
