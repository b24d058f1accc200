"""Accuracy bars of the shipped classifier on the dev splits of the public gold sets.

The dev splits (seed 13, 20 %, stratified) were held out of the shipped model's training,
so these are honest estimates; the sealed test splits are scored elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.evaluate.cameo_class import predict_penta
from dateline.evaluate.metrics import score_labels
from dateline.evaluate.plv import plv_labels
from dateline.events.classifier import EventClassifier
from dateline.training.train import cameo_class_examples, plv_examples

pytestmark = pytest.mark.shared

# The bars. The shipped model (with parse features, chosen by cross-validation on PLV
# train) scores 0.8048 / 0.7915 on PLV dev and 0.8241 on cameo_class dev
# (benchmarks/results/classifier.md); PLV accuracy passes by 1 pair of 210.
PLV_ACCURACY_BAR = 0.80
PLV_MACRO_F1_BAR = 0.76
CAMEO_CLASS_ACCURACY_BAR = 0.80


@pytest.fixture(scope="module")
def model() -> EventClassifier:
    return EventClassifier.load()


def test_plv_dev_root_accuracy_and_macro_f1(shared_dir: Path, model) -> None:
    _, dev = plv_examples(shared_dir / "data")
    assert len(dev) == 210
    gold = ["YIELD" if e.label in ("CONCEDE", "RETREAT") else e.label for e in dev]
    res = score_labels(gold, plv_labels(model, [e.item for e in dev]))
    assert res["accuracy"] >= PLV_ACCURACY_BAR, res
    assert res["macro_f1"] >= PLV_MACRO_F1_BAR, res


def test_cameo_class_dev_accuracy(shared_dir: Path, model) -> None:
    _, dev = cameo_class_examples(shared_dir / "data")
    pred = predict_penta(model, [e.item.sentence for e in dev])
    res = score_labels([str(e.penta) for e in dev], [str(p) for p in pred])
    assert res["accuracy"] >= CAMEO_CLASS_ACCURACY_BAR, res


def test_dev_split_is_stable_and_disjoint(shared_dir: Path) -> None:
    tr, dev = plv_examples(shared_dir / "data")
    # PLV has a few sentences with two marked pairs; a pair is never in both parts.
    pairs_tr = {(e.item.sentence, e.item.source, e.item.target) for e in tr}
    assert pairs_tr.isdisjoint({(e.item.sentence, e.item.source, e.item.target) for e in dev})
    again = plv_examples(shared_dir / "data")[1]
    assert [e.item.sentence for e in again] == [e.item.sentence for e in dev]
