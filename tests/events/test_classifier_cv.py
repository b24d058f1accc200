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


def test_a_type_head_with_its_own_vocabulary_trains_saves_and_loads(tmp_path) -> None:
    import numpy as np
    import pytest

    pytest.importorskip("sklearn")
    from pathlib import Path

    from dateline.events.classifier import EventClassifier
    from dateline.training.train import build

    fix = Path(__file__).parents[1] / "evaluate" / "fixtures"
    train = tmp_path / "data" / "train"
    train.mkdir(parents=True)
    rows = (fix / "tiny_plv.tsv").read_text("utf-8").splitlines()
    words = ["on Monday", "on Tuesday", "again", "late at night", "this week"]
    body = [rows[0]] + [r.replace("</t>", f"</t> {w}") for r in rows[1:] for w in words]
    (train / "PLV_train.tsv").write_text("\n".join(body) + "\n", "utf-8")
    cam = (fix / "tiny_cameo_class.tsv").read_text("utf-8").splitlines()
    lines = [ln.replace("\t", f" {w}\t") for w in words for ln in cam]
    (train / "cameo_class_train.tsv").write_text("\n".join(lines) + "\n", "utf-8")
    model, _ = build(tmp_path / "data", use_synthetic=False, type_vocab="own",
                     parse_cache=tmp_path / "parses",
                     type_min_gold=2, type_scales="st=0.5", log=lambda m: None)
    sq = model.heads["type"]["sq"]
    assert 0 < int((sq > 0).sum()) < len(model.vocab)  # its own part of the vocabulary
    assert set(np.unique(sq[sq > 0]).tolist()) <= {0.25, 1.0}
    model.save(tmp_path / "m")
    again = EventClassifier.load(tmp_path / "m")
    items = [e.item for e in _tiny_items(tmp_path / "data")]
    np.testing.assert_allclose(again.probabilities(items), model.probabilities(items),
                               atol=2e-3)


def _tiny_items(data):
    from dateline.training.train import plv_examples

    tr, dv = plv_examples(data)
    return tr + dv
