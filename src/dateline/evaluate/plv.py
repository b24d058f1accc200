"""The PLV scorer: classify each sentence given its marked source and target; 15 roots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dateline.evaluate.metrics import score_labels
from dateline.evaluate.readers import read_plv
from dateline.events.classifier import NONE, ClassifierInput, EventClassifier, with_parse

PLV_CLASSES = ("AGREE", "CONSULT", "SUPPORT", "YIELD", "COOPERATE", "AID", "REQUEST", "ACCUSE",
               "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


def pooled_roots(classes: list[str], probs) -> list[str]:
    """The most probable PLV root of each row of type-head probabilities: NONE left out,
    CONCEDE and RETREAT pooled as YIELD."""
    out = []
    for row in probs:
        pooled: dict[str, float] = {}
        for c, p in zip(classes, row):
            if c == NONE:
                continue
            key = "YIELD" if c in ("CONCEDE", "RETREAT") else c
            pooled[key] = pooled.get(key, 0.0) + float(p)
        out.append(max(pooled, key=pooled.get))
    return out


def plv_labels(model: EventClassifier, items: list[ClassifierInput]) -> list[str]:
    """PLV roots: the gold pair is known to hold an event, so NONE is left out and the
    probabilities of CONCEDE and RETREAT are pooled as YIELD. A model trained with the
    parse features gets them, as the coder gives them (sentences parsed by dateline.nlp)."""
    if model.uses_syntax and any(it.syntax is None for it in items):
        items = with_parse(items)
    return pooled_roots(model.classes, model.probabilities(items, "type"))


def score_plv(path: str | Path, model: EventClassifier | None = None) -> dict[str, Any]:
    """Score the classifier on a PLV TSV file."""
    rows = read_plv(path)
    if not rows:
        raise ValueError(f"{path}: no PLV rows")
    model = model or EventClassifier.load()
    pred = plv_labels(model, [item for item, _ in rows])
    return score_labels([g for _, g in rows], pred, labels=PLV_CLASSES)
