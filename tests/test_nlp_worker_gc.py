"""A coding worker exempts its loaded models from the garbage collector's full passes."""

from __future__ import annotations

import gc

from dateline import coder


def test_settle_worker_freezes_what_is_loaded_and_coding_goes_on():
    coder.code_text("Mexico and the United States met in Mexico City on Friday.",
                    published="2018-03-23")
    try:
        coder.settle_worker()
        assert gc.get_freeze_count() > 10_000  # the models and dictionaries
        coded = coder.code_text("Mexico and the United States met in Mexico City on Friday.",
                                published="2018-03-23")
        assert coded.rejected is None and coded.events
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual


def test_settling_without_a_collection_freezes_and_turns_the_collector_back_on():
    coder.code_text("Mexico and the United States met in Mexico City on Friday.",
                    published="2018-03-23")
    gc.disable()  # as a worker loads
    try:
        coder.settle_worker(collect=False)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
        gc.enable()
