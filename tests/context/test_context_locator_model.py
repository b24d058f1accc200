"""The event locator's parts: candidates, the no-place option, per-document memo, training,
and the gold reader's repair of spans whose offsets are token indices."""

from __future__ import annotations

import gzip
import json

from dateline import nlp
from dateline.context.locator import (
    Locator,
    group_rows,
    null_features,
    sentence_candidates,
)
from dateline.context.places import find_places
from dateline.evaluate.event_location import read_records


def _parsed(text: str, word: str):
    sdoc = nlp.parse(text)
    trig = next(t for t in sdoc if t.text == word)
    return sdoc, trig, find_places(text, sdoc, [])


def test_hyphenated_name_is_one_candidate():
    text = "The army entered Al-Fijah after a long siege."
    sdoc, trig, places = _parsed(text, "entered")
    texts = [c.text for c in sentence_candidates(sdoc, trig.sent, places)]
    assert "Al-Fijah" in texts


def test_candidates_of_a_sentence_are_computed_once_per_document():
    text = "Troops killed two men and wounded three in Kandahar on Friday."
    sdoc, trig, places = _parsed(text, "killed")
    first = sentence_candidates(sdoc, trig.sent, places)
    second = sentence_candidates(sdoc, trig.sent, places)
    assert first is second
    # Another place list (another story state) is not served from the memo.
    assert sentence_candidates(sdoc, trig.sent, list(places)) is not first


def test_no_place_option_wins_when_its_score_is_higher():
    text = "Two men were arrested in Tijuana on Monday."
    sdoc, trig, places = _parsed(text, "arrested")
    cands = sentence_candidates(sdoc, trig.sent, places)
    assert group_rows(trig, cands), "Tijuana must be a candidate"
    assert Locator({"null:bias": 5.0}, 0.0, {}).best(trig, cands) is None
    got = Locator({"bias": 5.0}, 0.0, {}).best(trig, cands)
    assert got is not None and got[0].text == "Tijuana" and 0.5 < got[1] <= 1.0
    # The shift moves the decision without touching the weights.
    assert Locator({"bias": 5.0}, 6.0, {}).best(trig, cands) is None


def test_null_features_describe_the_clause():
    text = "Police said gunmen killed a judge in Basra."
    sdoc, trig, places = _parsed(text, "killed")
    rows = group_rows(trig, sentence_candidates(sdoc, trig.sent, places))
    f = null_features(trig, rows)
    assert f["null:bias"] == 1.0 and f["null:reported=True"] == 1.0
    assert f["null:loc_prep=True"] == 1.0 and "null:w=judge" in f


def test_reader_repairs_spans_given_as_token_indices(tmp_path):
    tokens = [{"text": w, "start": s, "end": s + len(w), "id": i}
              for i, (w, s) in enumerate([("Gunmen", 0), ("struck", 7), ("in", 14),
                                          ("Algiers", 17), (".", 24)])]
    rec = {"text": "Gunmen struck in Algiers.", "tokens": tokens,
           "spans": [{"start": 7, "end": 13, "token_start": 1, "token_end": 1,
                      "label": "VERB"},
                     {"start": 3, "end": 3, "token_start": 3, "token_end": 3,
                      "label": "LOCATION", "text": "Algiers"}]}
    path = tmp_path / "gold.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(rec) + "\n")
    got = read_records(path)[0]
    loc = next(s for s in got["spans"] if s["label"] == "LOCATION")
    assert (loc["start"], loc["end"]) == (17, 24)


def test_reader_leaves_spans_whose_tokens_disagree_with_their_text(tmp_path):
    tokens = [{"text": "Rain", "start": 0, "end": 4, "id": 0},
              {"text": "fell", "start": 5, "end": 9, "id": 1}]
    rec = {"text": "Rain fell", "tokens": tokens,
           "spans": [{"start": 5, "end": 9, "token_start": 1, "token_end": 1, "label": "VERB"},
                     {"start": 0, "end": 0, "token_start": 0, "token_end": 0,
                      "label": "LOCATION", "text": "Paris"}]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    loc = next(s for s in read_records(path)[0]["spans"] if s["label"] == "LOCATION")
    assert (loc["start"], loc["end"]) == (0, 0)


def test_training_fits_a_conditional_logit_that_learns_the_place():
    import numpy as np
    import scipy.sparse as sp

    from dateline.training.locator import fit_clogit

    # Two events: the first's right option is row 0 ("in" candidate), the second's is its
    # no-place row. Features: 0 = attached by "in", 1 = no-place bias.
    x = sp.csr_matrix(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0],
                                [0.0, 0.0], [0.0, 1.0]]))
    w = fit_clogit(x, np.array([0, 3, 5]), np.array([1.0, 0.0, 0.0, 0.0, 1.0]), l2=0.1)
    assert w[0] > w[1] > 0


def test_doc_memo_serves_one_document_at_a_time():
    from dateline.context.memo import DocMemo

    memo, a, b = DocMemo(), object(), object()
    memo.of(a)["k"] = 1
    assert memo.of(a)["k"] == 1
    assert "k" not in memo.of(b)  # a new document never sees the last one's entries
    assert "k" not in memo.of(a)
