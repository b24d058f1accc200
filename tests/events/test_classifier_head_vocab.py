"""A head with its own vocabulary scores as if it were alone, also after save and load."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dateline.events.classifier import ClassifierInput, EventClassifier, features
from dateline.training.train import _in_union

ITEMS = [ClassifierInput("Rebels attacked the army base.", (0, 6), (15, 29)),
         ClassifierInput("The minister met his counterpart.", (0, 12), (17, 32)),
         ClassifierInput("Nothing here matches.", None, None)]


def _vocab(names: list[str]) -> dict[str, int]:
    return {f: i for i, f in enumerate(sorted(set(names)))}


def _model(tmp: Path | None = None) -> tuple[EventClassifier, EventClassifier]:
    feats = [f for it in ITEMS[:2] for f in features(it)]
    own = _vocab([f for f in feats if f.startswith(("w:", "b:"))])  # the type head's part
    shared = _vocab([f for f in feats if f.startswith(("w:", "st:", "t:"))])
    union = _vocab(list(own) + list(shared))
    rng = np.random.RandomState(0)
    W_type = rng.randn(len(own), 3).astype(np.float32)
    b_type = np.array([0.1, -0.2, 0.3], np.float32)
    W_pen = rng.randn(len(shared), 2).astype(np.float32)
    b_pen = np.zeros(2, np.float32)
    heads = {"type": _in_union(["A", "B", "NONE"], W_type, b_type, own, union),
             "penta": _in_union(["0", "1"], W_pen, b_pen, shared, union)}
    both = EventClassifier(union, heads, {})
    alone = EventClassifier(own, {"type": {"classes": ["A", "B", "NONE"], "W": W_type,
                                           "b": b_type}}, {})
    return both, alone


def test_a_masked_head_scores_as_if_alone() -> None:
    both, alone = _model()
    assert both.heads["type"].get("sq") is not None
    np.testing.assert_allclose(both.probabilities(ITEMS, "type"),
                               alone.probabilities(ITEMS, "type"), rtol=1e-5, atol=1e-6)


def test_masks_survive_save_and_load(tmp_path: Path) -> None:
    both, _ = _model()
    both.save(tmp_path)
    again = EventClassifier.load(tmp_path)
    for head in ("type", "penta"):
        np.testing.assert_array_equal(again.heads[head]["sq"], both.heads[head]["sq"])
        # float16 weights on disk: scores agree to about 1e-3.
        np.testing.assert_allclose(again.probabilities(ITEMS, head),
                                   both.probabilities(ITEMS, head), atol=2e-3)


def test_feature_group_scales_score_as_in_training() -> None:
    from dateline.training.train import _vectorize

    feats = [features(it) for it in ITEMS]
    own = _vocab([f for fs in feats[:2] for f in fs])
    union = _vocab(list(own) + ["zz:only-in-another-head"])
    scale = np.array([0.5 if f.startswith("mc:") else 2.0 if f.startswith("w:") else 1.0
                      for f in own], np.float32)
    rng = np.random.RandomState(1)
    W = rng.randn(len(own), 3).astype(np.float32)
    b = np.array([0.0, 0.5, -0.5], np.float32)
    model = EventClassifier(union, {"type": _in_union(["A", "B", "NONE"], W, b, own, union,
                                                      scale)}, {})
    z = np.asarray(_vectorize(feats, own, scale) @ W) + b
    expected = np.exp(z - z.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.probabilities(ITEMS, "type"), expected, rtol=1e-4,
                               atol=1e-6)
