"""Event location on the dev split of the Prodigy gold set (bar: what we measured)."""

from __future__ import annotations

import json

import pytest

from dateline.context.locator import load_locator
from dateline.evaluate.event_location import score_event_location


@pytest.mark.shared
def test_event_location_dev_accuracy(shared_dir):
    path = shared_dir / "data" / "train" / "event_location_train.jsonl.gz"
    # The first 400 dev records keep the test short (they score 0.7925); the whole dev split
    # (1,839) scores 0.818 with benchmarks/context_event_location.py
    # (see benchmarks/results/context.md).
    result = score_event_location(path, limit=400, split="dev")
    assert result["n"] == 400
    assert result["accuracy"] >= 0.78
    assert set(result["per_class"]) == {"LOCATION", "NONE"}
    json.dumps(result)


def test_shipped_locator_records_its_training():
    loc = load_locator()
    assert loc is not None
    assert "train split" in loc.meta["trained_on"] and loc.meta["model"] == "conditional logit"
    assert -2 < loc.null_shift < 2 and any(k.startswith("null:") for k in loc.weights)


def test_scorer_reads_plain_jsonl(tmp_path):
    rec = {"text": "Two men were arrested in Tijuana on Monday.",
           "spans": [{"start": 13, "end": 21, "label": "VERB"},
                     {"start": 25, "end": 32, "label": "LOCATION"}]}
    none = {"text": "The minister criticised the decision.",
            "spans": [{"start": 13, "end": 23, "label": "VERB"}]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(rec) + "\n" + json.dumps(none) + "\n", encoding="utf-8")
    result = score_event_location(path)
    assert result["n"] == 2 and result["accuracy"] == 1.0
