"""The classifier's shortcuts give what their plain definitions give: the sentence's tokens
lower-cased at once, the words between source and target from one cached entry, the mode
heads' picks, and a span's tokens found by binary search in `SentenceTokens`."""

from __future__ import annotations

import random

import numpy as np
import pytest
from test_events_sentence_tokens import _span_head  # the definition, over Tokens

from dateline import nlp
from dateline.events.classifier import (
    _MODAL,
    _NEG,
    ClassifierInput,
    DocParse,
    EventClassifier,
    SentenceTokens,
    _between_names,
    _sentence_tokens,
    _stem,
    _tokens,
    _word_names,
    features,
)

TRICKY = [
    "Police arrested 12 protesters outside parliament on Monday.",
    "Turkey’s army didn’t say; the U.S. paid $1,200.50 – or so.",
    "İstanbul's governor met ΣΟΦΙΑ and the \u212aelvin-sign KGB (Ⓐ).",  # lower() grows "İ"
    "ΑΣ ΣΑΣ: Greek sigmas, final and not, stay outside tokens.",
    "",
    "’’ '' ’ a’b a'b 1.2.3 ,,, ẞ straße",
]


def _by_token(sentence: str) -> tuple[list[str], list[int], list[int]]:
    toks = _tokens(sentence)
    return [t[0] for t in toks], [t[1] for t in toks], [t[2] for t in toks]


def test_sentence_tokens_equal_the_token_by_token_forms() -> None:
    rnd = random.Random(11)
    pool = "aZ ’'.,-1Σİ\u212aẞⒶ" + "".join(chr(c) for c in range(0x370, 0x3ff))
    made = ["".join(rnd.choice(pool) for _ in range(rnd.randint(1, 30))) for _ in range(400)]
    for sentence in TRICKY + made:
        _sentence_tokens.cache_clear()
        assert _sentence_tokens(sentence) == _by_token(sentence), sentence


def _between_by_parts(w: str) -> list[str]:
    """The definition: form, stem and character n-grams, negation, modal, in that order."""
    out = _word_names("m", w)
    if w[0].isalpha():
        out += ["ms:" + _stem(w), *_word_names("mc", w)]
    out += ["neg:between"] * (w in _NEG) + ["modal:between"] * (w in _MODAL)
    return out


@pytest.mark.parametrize("word", ["not", "would", "attacked", "12", ",", "<s>", "refused"])
def test_between_names_follow_the_definition(word: str) -> None:
    assert _between_names(word) == _between_by_parts(word)


@pytest.fixture(scope="module")
def model() -> EventClassifier:
    return EventClassifier.load()


def test_between_indices_come_from_the_cache_in_name_order(model) -> None:
    s = "Russia said on Monday it would not attack Ukraine, officials said."
    item = ClassifierInput(s, (0, 6), (s.index("Ukraine"), s.index("Ukraine") + 7),
                           (s.index("attack"), s.index("attack") + 6))
    want = [model.vocab[f] for f in features(item, model.lexicon) if f in model.vocab]
    assert model._indices(item) == want
    assert model._indices(item) == want  # the second time from the per-word caches
    assert "neg:between" in features(item, model.lexicon)


def test_mode_picks_equal_argmax_over_each_candidates_own_head(model) -> None:
    s = ("Police arrested 12 protesters and troops attacked rebels near the border while "
         "ministers met in Paris and agreed to send aid.")
    spans = [("Police", "12 protesters", "arrested"), ("troops", "rebels", "attacked"),
             ("ministers", "Paris", "met"), ("ministers", None, "agreed"),
             ("ministers", None, "send aid")]
    items = []
    for a, b, g in spans:
        items.append(ClassifierInput(
            s, (s.index(a), s.index(a) + len(a)),
            None if b is None else (s.index(b), s.index(b) + len(b)),
            (s.index(g), s.index(g) + len(g))))
    preds = model.predict(items)
    raw = model._raw_scores(items)
    for pred, row in zip(preds, raw):
        head = model.mode_heads.get(pred.type)
        if head is None:
            assert pred.mode is None
            continue
        cols = model._cols["mode:" + pred.type]
        assert pred.mode == (head["classes"][int(np.argmax(row[cols]))] or None)
        assert pred.confidence == max(pred.probs.values())
    assert any(p.mode for p in preds)


def test_sentence_tokens_find_the_head_the_token_api_finds() -> None:
    text = ("The United States imposed sanctions on Iran over its nuclear programme, "
            "officials said.  Police arrested two men in Kabul.")
    doc = nlp.parse(text)
    parse = DocParse(doc)
    for sent in doc.sents:
        tokens = SentenceTokens(parse, sent.start, sent.end)
        toks = [t for t in sent if not t.is_space]
        a0 = sent.start_char
        for a in range(a0 - 1, sent.end_char + 2, 3):
            for width in (0, 1, 4, 11, 30):
                got = tokens.head_of(a, a + width)
                want = _span_head(toks, a, a + width)
                assert (got is None and want is None) or got == want.i
