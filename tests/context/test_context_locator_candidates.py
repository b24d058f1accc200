"""A candidate place's trigger-independent features are made once per sentence: every event
of the sentence gets the rows it would get alone, and `candidate_features` agrees."""

from __future__ import annotations

from dateline import nlp
from dateline.context import locator as locator_mod
from dateline.context.locator import candidate_features, group_rows, sentence_candidates
from dateline.context.places import find_places, note_text, sentence_bounds

TEXT = ("Gunmen stormed a police post in the village of Tal Abyad near Raqqa, Syria, on Friday "
        "and shelled Kobani, officials in Damascus said. Troops from Turkey entered Al-Fijah "
        "and the al-Azraggiya neighborhood in Fallujah, Iraq, after talks in Ankara.")


def _rows_alone(trig, cands):
    locator_mod._DESCRIBED.of(None)  # forget what other triggers of the sentence described
    return group_rows(trig, cands)


def test_each_trigger_gets_the_rows_it_gets_alone():
    sdoc = nlp.parse(TEXT)
    note_text(sdoc, TEXT)
    found = find_places(TEXT, sdoc, [])
    verbs = [t for t in sdoc if t.pos_ in ("VERB", "NOUN")]  # triggers, and some nouns
    assert len(verbs) >= 8
    alone = {}
    for trig in verbs:
        lo, hi = sentence_bounds(trig)
        alone[trig.i] = _rows_alone(trig, sentence_candidates(sdoc, sdoc[lo:hi], found))
    assert sum(len(r) for r in alone.values()) >= 10
    for trig in reversed(verbs):  # now the sentence's candidates are described once, shared
        lo, hi = sentence_bounds(trig)
        cands = sentence_candidates(sdoc, sdoc[lo:hi], found)
        rows = group_rows(trig, cands)
        assert [(pm, list(f.items())) for pm, f in rows] == \
            [(pm, list(f.items())) for pm, f in alone[trig.i]]
        for pm, feats in rows:
            rank = int(next(k for k in feats if k.startswith("rank="))[5:])
            one = candidate_features(trig, pm, cands, rank)
            assert one is not None
            assert one == {k: v for k, v in feats.items() if not k.startswith("admissible=")}


def test_features_name_the_trigger_and_the_candidate():
    sdoc = nlp.parse(TEXT)
    note_text(sdoc, TEXT)
    found = find_places(TEXT, sdoc, [])
    trig = next(t for t in sdoc if t.text == "shelled")
    lo, hi = sentence_bounds(trig)
    rows = {pm.text: f for pm, f in group_rows(
        trig, sentence_candidates(sdoc, sdoc[lo:hi], found))}
    assert "Kobani" in rows and "Syria" in rows
    assert "word=shelled" in rows["Kobani"] and "trigger_pos=VERB" in rows["Kobani"]
    assert "comma_pair=False|True" in rows["Syria"]  # "Raqqa, Syria": the second of a pair
    assert "first_place=True" in rows[min(rows, key=TEXT.index)]
