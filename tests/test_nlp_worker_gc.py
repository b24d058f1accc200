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
