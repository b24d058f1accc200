"""The locator's row shortcuts agree with their definitions: a row's feature names are
distinct (so summing their weights is scoring the row's dict), a bare proper noun that gets
no row still gets its features from `candidate_features`, a proper-noun run's name is its
Span.text, and the analysed ranges are those of the parsed sentences."""

from __future__ import annotations

from dateline import nlp
from dateline.context import locator as locator_mod
from dateline.context import places as places_mod
from dateline.context.locator import (
    _candidates_of,
    _feature_keys,
    _Trigger,
    candidate_features,
    group_rows,
    sentence_candidates,
)
from dateline.context.places import find_places, note_text, sentence_bounds

TEXT = ("Erdogan said Turkish troops shelled Tal\u00a0Abyad and Kobani, Syria, on Friday. "
        "Gunmen stormed a police post near Raqqa, officials in Damascus said.\n\n"
        "The weather was fine. Merkel visited Berlin.")


def _doc():
    sdoc = nlp.parse(TEXT)
    note_text(sdoc, TEXT)
    return sdoc, find_places(TEXT, sdoc, [])


def test_row_names_are_distinct_and_make_the_row():
    sdoc, found = _doc()
    rows = 0
    for trig in sdoc:
        if trig.pos_ != "VERB":
            continue
        lo, hi = sentence_bounds(trig)
        cands = sentence_candidates(sdoc, sdoc[lo:hi], found)
        got = group_rows(trig, cands)
        by_pm = {id(pm): f for pm, f in got}
        for c in _candidates_of(sdoc, cands):
            if id(c.pm) not in by_pm:
                continue
            feats = by_pm[id(c.pm)]
            rank = int(next(k for k in feats if k.startswith("rank="))[5:])
            n_att = int(next(k for k in feats if k.startswith("n_attached="))[11:])
            names = _feature_keys(_Trigger(trig), c, rank, n_att)
            assert len(names) == len(set(names)) == 62
            assert names + [c.admissible_s] == list(feats)
            rows += 1
    assert rows >= 6


def test_a_proper_noun_without_a_row_still_has_its_features():
    sdoc, found = _doc()
    trig = next(t for t in sdoc if t.text == "said")
    lo, hi = sentence_bounds(trig)
    cands = sentence_candidates(sdoc, sdoc[lo:hi], found)
    skipped = [c for c in _candidates_of(sdoc, cands) if c.root is not None and c.fixed is None]
    assert skipped, "Erdogan, a subject, is a bare proper noun and no admissible place"
    assert all(c.pm.label == "PROPN" and not c.admissible for c in skipped)
    rows = {id(pm) for pm, _ in group_rows(trig, cands)}
    for c in skipped:
        assert id(c.pm) not in rows
        feats = candidate_features(trig, c.pm, cands, 0)
        assert feats is not None and "label=PROPN" in feats and "admissible=True" not in feats
        full = locator_mod._describe(sdoc, cands, full=True)
        twin = next(d for d in full if d.pm is c.pm)
        assert twin.fixed and twin.admissible is False


def test_a_run_is_named_by_its_span_text():
    sdoc, found = _doc()
    names = 0
    for sent in sdoc.sents:
        for pm in sentence_candidates(sdoc, sent, found):
            if pm.label != "PROPN":
                continue
            span = sdoc.char_span(pm.start, pm.end)
            assert span is not None and pm.text == span.text, pm.text
            names += 1
    assert names >= 3
    assert any(pm.text == "Tal Abyad" for s in sdoc.sents
               for pm in sentence_candidates(sdoc, s, found))  # the no-break space is plain


def test_analysed_ranges_are_the_parsed_sentences():
    sdoc = nlp.parse(TEXT, select=lambda sent: "said" in sent.text)
    want: list[tuple[int, int]] = []
    for sent in sdoc.sents:  # the definition: Doc.sents and the first token's label
        if not sent[0].dep_:
            continue
        if want and want[-1][1] >= sent.start_char - 2:
            want[-1] = (want[-1][0], sent.end_char)
        else:
            want.append((sent.start_char, sent.end_char))
    places_mod._SENTS.of(None)
    assert places_mod._analysed_ranges(sdoc) == want
    assert 1 <= len(want) < len(list(sdoc.sents))
    assert [sentence_bounds(s[0]) for s in sdoc.sents] == [(s.start, s.end) for s in sdoc.sents]
