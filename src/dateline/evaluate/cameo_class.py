"""The cameo_class scorer: 5-way Phoenix pentaclass (0 statement/appeal, 1-4 quad classes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dateline.evaluate.metrics import score_labels
from dateline.evaluate.readers import read_cameo_class
from dateline.events.classifier import EventClassifier, mark_capitalised, penta_class_of

CLASSES = ("0", "1", "2", "3", "4")


def predict_penta(model: EventClassifier, sentences: list[str]) -> list[int | None]:
    """Pentaclass of each sentence (no participant spans are given, so none are assumed)."""
    preds = model.predict([mark_capitalised(s) for s in sentences])
    return [penta_class_of(p) for p in preds]


def score_cameo_class(path: str | Path, model: EventClassifier | None = None) -> dict[str, Any]:
    """Score the pentaclass head on a `sentence<TAB>label` file."""
    rows = read_cameo_class(path)
    if not rows:
        raise ValueError(f"{path}: no rows")
    bad = [lab for _, lab in rows if str(lab) not in CLASSES]
    if bad:
        raise ValueError(f"{path}: labels must be 0-4, found {bad[0]}")
    model = model or EventClassifier.load()
    pred = predict_penta(model, [s for s, _ in rows])
    return score_labels([str(lab) for _, lab in rows], [str(p) for p in pred], labels=CLASSES)
