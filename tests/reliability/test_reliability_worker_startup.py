"""A coding worker's start-up: what it loads, what it leaves the collector, the cached model,
and how the last stories of a run are shared between the workers."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import numpy as np

from dateline.context import cache
from dateline.pipeline import _chunks_with_tail


def test_the_last_stories_go_one_a_chunk_and_nothing_is_lost_or_reordered():
    chunks = list(_chunks_with_tail(range(30), size=8, tail=10))
    assert [len(c) for c in chunks] == [8, 8, 4] + [1] * 10
    assert [x for c in chunks for x in c] == list(range(30))
    assert list(_chunks_with_tail(range(3), size=8, tail=10)) == [[0], [1], [2]]
    assert list(_chunks_with_tail([], size=8, tail=10)) == []


def test_reading_the_cache_leaves_a_disabled_collector_disabled(tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_CACHE_DIR", str(tmp_path))
    key = cache.key_of(["v1"])
    cache.cached("thing", key, lambda: {"a": [1]})  # written
    was = gc.isenabled()
    gc.disable()
    try:
        assert cache.cached("thing", key, lambda: {"b": [2]}) == {"a": [1]}  # read back
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()
    assert cache.cached("thing", key, lambda: {"b": [2]}) == {"a": [1]}
    assert gc.isenabled() == was


def test_the_cached_classifier_is_the_one_built_from_its_files(tmp_path, monkeypatch):
    from dateline.events.classifier import MODEL_DIR, ClassifierInput, EventClassifier

    monkeypatch.setenv("DATELINE_CACHE_DIR", str(tmp_path))
    built = EventClassifier._read(MODEL_DIR)
    assert [p.name.split("-")[0] for p in tmp_path.iterdir()] == ["classifier"]
    read = EventClassifier._read(MODEL_DIR)
    assert read is not built
    for weights in ("_W_main", "_W_rest", "_b"):
        np.testing.assert_array_equal(getattr(read, weights), getattr(built, weights))
        assert getattr(read, weights).dtype == np.float32
    assert read.vocab == built.vocab and read.lexicon == built.lexicon
    items = [ClassifierInput("Police arrested 20 protesters in Nairobi on Monday.", (0, 6),
                             (25, 35)),
             ClassifierInput("The two ministers met in Mexico City to discuss security.",
                             (4, 17), None)]
    assert read.predict(items) == built.predict(items)


_PROBE = """
import gc, json, sys
from dateline.pipeline import _warm_worker
_warm_worker()
print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count(),
                  "modules": sorted(m for m in ("duckdb", "pyarrow", "langdetect")
                                    if m in sys.modules)}))
"""


def test_a_worker_loads_only_what_coding_needs_and_freezes_it():
    proc = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    state = json.loads(proc.stdout.strip().splitlines()[-1])
    assert state["enabled"], "the collector is on again once the worker is settled"
    assert state["frozen"] > 100_000  # the models, dictionaries and gazetteer
    # The store is the main process's; language profiles load on a story that needs them.
    assert state["modules"] == []
