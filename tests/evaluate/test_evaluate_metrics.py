"""Scorer maths on confusion matrices worked out by hand."""

from __future__ import annotations

import pytest

from dateline.evaluate.metrics import format_report, prf, score_labels
from dateline.evaluate.spans import match_spans


def test_prf_from_counts_and_undefined_cases_are_zero() -> None:
    assert prf(2, 1, 1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert prf(0, 0, 3) == (0.0, 0.0, 0.0)
    assert prf(0, 2, 0) == (0.0, 0.0, 0.0)


def test_known_confusion_matrix_gives_hand_computed_scores() -> None:
    # gold A A A B B C ; pred A A B B C C
    gold = list("AAABBC")
    pred = list("AABBCC")
    res = score_labels(gold, pred)
    assert res["n"] == 6
    assert res["accuracy"] == pytest.approx(4 / 6, abs=1e-4)
    a, b, c = (res["per_class"][k] for k in "ABC")
    assert (a["p"], a["r"], a["n"]) == (1.0, pytest.approx(0.6667, abs=1e-4), 3)
    assert (b["p"], b["r"]) == (0.5, 0.5)
    assert (c["p"], c["r"], c["f1"]) == (0.5, 1.0, pytest.approx(0.6667, abs=1e-4))
    assert res["macro_f1"] == pytest.approx((0.8 + 0.5 + 2 / 3) / 3, abs=1e-3)
    assert res["confusion"]["A"] == {"A": 2, "B": 1}
    assert res["confusion"]["B"] == {"B": 1, "C": 1}


def test_classes_absent_from_gold_do_not_enter_macro_f1() -> None:
    res = score_labels(["A", "A"], ["A", "A"], labels=["A", "B"])
    assert res["macro_f1"] == 1.0
    assert res["per_class"]["B"]["n"] == 0


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError):
        score_labels(["A"], ["A", "B"])


def test_report_lists_classes_and_confusion() -> None:
    text = format_report(score_labels(list("AAB"), list("ABB")))
    assert "accuracy=0.6667" in text and "confusion" in text


def test_span_matching_overlap_is_one_to_one_and_exact_ignores_articles() -> None:
    text = "the Croatian government met Swiss courts"
    gold = [(0, 23)]
    assert match_spans(gold, [(4, 12)], text, "overlap") == 1
    assert match_spans(gold, [(4, 12)], text, "exact") == 0
    assert match_spans(gold, [(4, 23)], text, "exact") == 1  # 'the' is trimmed
    # two predictions inside one gold span count once
    assert match_spans(gold, [(4, 12), (13, 23)], text, "overlap") == 1
    assert match_spans(gold, [(28, 40)], text, "overlap") == 0
