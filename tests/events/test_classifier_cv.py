"""The recipe chooser's folds and the type head's own vocabulary rule."""

from __future__ import annotations

from collections import Counter

from dateline.events.classifier import ClassifierInput
from dateline.training.cv import folds
from dateline.training.train import Example, _own_vocab, group_scales


def test_folds_cover_every_row_once_and_keep_class_shares() -> None:
    labels = ["A"] * 40 + ["B"] * 8 + ["C"] * 4
    parts = folds(labels, 4)
    flat = [i for p in parts for i in p]
    assert sorted(flat) == list(range(len(labels)))
    for p in parts:
        counts = Counter(labels[i] for i in p)
        assert counts["A"] == 10 and counts["B"] == 2 and counts["C"] == 1
    assert folds(labels, 4) == parts  # deterministic


def test_own_vocabulary_keeps_gold_features_and_frequent_synthetic_ones() -> None:
    def ex(words: str, origin: str) -> Example:
        return Example(ClassifierInput(words), "AID", 1.0, origin=origin)

    exs = [ex("rare gold", "plv"), ex("common synth", "synthetic"),
           ex("common other", "synthetic"), ex("lonely", "synthetic")]
    vocab = _own_vocab(exs, lambda e: e.item.sentence.split(), min_synth=2)
    assert set(vocab) == {"rare", "gold", "common"}
    assert sorted(vocab.values()) == list(range(3))


def test_group_scales_follow_the_feature_prefix() -> None:
    vocab = {"mc:<ab": 0, "w:ab": 1, "gpass": 2}
    assert group_scales(vocab, "") is None
    assert group_scales(vocab, "mc=0.5+gpass=2").tolist() == [0.5, 1.0, 2.0]
