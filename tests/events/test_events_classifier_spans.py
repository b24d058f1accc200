"""The classifier finds the tokens of the marked spans by binary search (`_collapse`); it must
give what a plain walk over every token gives, for any spans: overlapping, nested, empty,
reversed, outside the sentence."""

from __future__ import annotations

import random

import pytest

from dateline.events.classifier import (
    ClassifierInput,
    EventClassifier,
    _collapse,
    _lexicon_features,
    _tokens,
)

SENTENCES = [
    "Police arrested 12 protesters outside parliament on Monday, officials said.",
    "Russia’s army shelled Kharkiv; Ukraine didn’t respond, a spokesman said.",
    "The US imposed sanctions on Iran's oil exports and threatened further measures.",
    "“We will not meet them,” said the minister — “not now, not ever.”",
    "a",
    "",
]


def _walk(item: ClassifierInput) -> tuple:
    """The reference: every token in turn, a run of source tokens to one "<s>", of target
    tokens (outside the source) to one "<t>", trigger tokens (outside both) kept."""
    seq: list[tuple[str, str]] = []
    src, tgt = [], []
    s, t, g = item.source, item.target, item.trigger
    for w, a, b in _tokens(item.sentence):
        if s is not None and a < s[1] and b > s[0]:
            src.append(w)
            if not seq or seq[-1][0] != "S":
                seq.append(("S", "<s>"))
        elif t is not None and a < t[1] and b > t[0]:
            tgt.append(w)
            if not seq or seq[-1][0] != "T":
                seq.append(("T", "<t>"))
        elif g is not None and a < g[1] and b > g[0]:
            seq.append(("G", w))
        else:
            seq.append(("", w))
    roles = [r for r, _ in seq]
    return ([w for _, w in seq], src, tgt, roles.index("S") if "S" in roles else -1,
            roles.index("T") if "T" in roles else -1, [w for r, w in seq if r == "G"])


def _span(rnd: random.Random, n: int) -> tuple[int, int] | None:
    """A random char span around a sentence of n chars (or none)."""
    if rnd.random() < 0.15:
        return None
    a = rnd.randrange(-3, n + 4)
    return a, a + rnd.randrange(-4, 50)


def test_collapse_equals_the_walk_over_every_token_for_random_spans() -> None:
    rnd = random.Random(5)
    for sentence in SENTENCES:
        n = len(sentence)
        for _ in range(400):
            item = ClassifierInput(sentence, _span(rnd, n), _span(rnd, n), _span(rnd, n))
            assert _collapse(item) == _walk(item), (sentence, item)


def test_collapse_of_spans_that_share_tokens() -> None:
    s = "Police arrested 12 protesters outside parliament."
    at = s.index
    # the target holds the source: the target's tokens on both sides of it are two runs
    item = ClassifierInput(s, (at("12"), at("12") + 2), (0, len(s)), (at("arrested"), 20))
    words, src, tgt, s_pos, t_pos, trig = _collapse(item)
    assert words == ["<t>", "<s>", "<t>"] and src == ["12"] and trig == []
    assert (s_pos, t_pos) == (1, 0) and tgt == ["police", "arrested", "protesters",
                                                 "outside", "parliament", "."]
    assert _collapse(item) == _walk(item)


@pytest.fixture(scope="module")
def model() -> EventClassifier:
    return EventClassifier.load()


def test_dictionary_hints_by_index_equal_the_named_hints(model) -> None:
    """`_lexicon_ids` (verb phrases looked up by stem) names what `_lexicon_features` names."""
    hits = 0
    for sentence in SENTENCES + ["They imposed new sanctions and lifted the ban on exports.",
                                 "Troops withdrew from the town after rebels attacked them."]:
        words = [w for w, _, _ in _tokens(sentence)]
        names = _lexicon_features(words, model.lexicon)
        hits += sum(n.startswith("pp:") for n in names)
        assert model._lexicon_ids(words) == [model.vocab[n] for n in names if n in model.vocab]
    assert hits  # some verb phrase was read
