"""The locator's shortcuts agree with the definitions they stand for: the parse-table walk
of `places.attachment` with a walk over spaCy Tokens, `Locator.best`'s sums with `Locator.score`, slices of the noted
story text with Span.text."""

from __future__ import annotations

import math

from dateline import nlp
from dateline.context import locator as locator_mod
from dateline.context import places as places_mod
from dateline.context.locator import (
    _MODALS,
    _STRONG_LOCATIVE_PREPS,
    _clause_flags,
    _region_text,
    group_rows,
    load_locator,
    null_features,
    sentence_candidates,
)
from dateline.context.places import (
    attachment,
    find_places,
    note_text,
    sentence_bounds,
    tree_distance,
)

TEXT = ("Gunmen stormed a police post in the village of Tal Abyad near Raqqa, Syria, on Friday, "
        "officials said.\u00a0The army, which had entered Al-Fijah a week earlier, said it "
        "would not withdraw from Idlib province.\n"
        "In Mosul, protesters marched to the governor's office and burned tyres, witnesses "
        "told Reuters.")


def _doc():
    sdoc = nlp.parse(TEXT)
    return sdoc, find_places(TEXT, sdoc, [])


def _plain_distance(a, b) -> int:
    """Arcs between two tokens, walking Token.head (no memo)."""
    def chain(t):
        out = [t.i]
        while t.head.i != t.i:
            t = t.head
            out.append(t.i)
        return out

    up = {i: n for n, i in enumerate(chain(a))}
    return next((n + up[i] for n, i in enumerate(chain(b)) if i in up), 99)


def _token_attachment(trigger, place_tok, max_hops: int = 8):
    """The attachment walk over Tokens (the definition the table walk stands for); its
    `head is tok` never holds, so a token that is its own head is no stop."""
    tok, prep, hops = place_tok, None, 0
    while hops < max_hops:
        head = tok.head
        hops += 1
        if tok.dep_ == "pobj" and head.dep_ == "prep" and prep is None:
            prep = head.lower_
        if tok.dep_ == "compound" or tok.dep_ == "poss":
            prep = prep or "mod"
        if head == trigger:
            return hops, prep
        if head.pos_ in ("VERB", "AUX") or head.dep_ == "ROOT":
            if head.dep_ in ("xcomp", "conj", "acomp") and head.head == trigger:
                return hops + 1, prep
            return None
        tok = head
    return None


def test_table_walk_attaches_like_the_token_walk():
    sdoc, _ = _doc()
    pairs = 0
    for trig in sdoc:
        lo, hi = sentence_bounds(trig)
        for k in range(lo, hi):
            tok = sdoc[k]
            assert attachment(trig, tok) == _token_attachment(trig, tok), (trig.text, tok.text)
            assert attachment(trig, tok, 3) == _token_attachment(trig, tok, 3)
            assert tree_distance(trig, tok) == _plain_distance(trig, tok)  # memoised
            pairs += 1
    assert pairs > 500
    assert sum(attachment(t, k) is not None for t in sdoc for k in sdoc) > 50


def test_clause_flags_read_like_the_token_children():
    sdoc, _ = _doc()
    for trig in sdoc:
        kids = [(c.dep_, c.lower_) for c in trig.children]
        want = (any(d == "prep" and w in _STRONG_LOCATIVE_PREPS for d, w in kids),
                any(d in ("aux", "auxpass") and w in _MODALS for d, w in kids),
                any(d == "neg" for d, _ in kids))
        assert _clause_flags(trig) == want, trig.text
    assert any(_clause_flags(t)[0] for t in sdoc) and any(_clause_flags(t)[1] for t in sdoc)
    assert any(_clause_flags(t)[2] for t in sdoc)


def test_best_sums_the_weights_score_would():
    sdoc, found = _doc()
    note_text(sdoc, TEXT)
    locator = load_locator()
    assert locator is not None
    checked = 0
    for trig in sdoc:
        if trig.pos_ != "VERB":
            continue
        lo, hi = sentence_bounds(trig)
        cands = sentence_candidates(sdoc, sdoc[lo:hi], found)
        rows = group_rows(trig, cands)
        got = locator.best(trig, cands)
        if not rows:
            assert got is None
            continue
        scores = [locator.score(f) for _, f in rows]
        null = locator.score(null_features(trig, rows)) + locator.null_shift
        k = max(range(len(rows)), key=scores.__getitem__)
        if scores[k] <= null:
            assert got is None
        else:
            top = max(scores[k], null)
            z = sum(math.exp(s - top) for s in scores) + math.exp(null - top)
            assert got == (rows[k][0], math.exp(scores[k] - top) / z)
        checked += 1
    assert checked >= 5


def test_noted_text_slices_equal_span_text_up_to_odd_spaces():
    sdoc, _ = _doc()
    bounds = [(s.start, s.end) for s in sdoc.sents]
    built = {b: _region_text(sdoc, *b) for b in bounds}  # nothing noted yet: Span.text
    locator_mod._REGIONS.of(None)  # forget them: the next reads slice the noted text
    note_text(sdoc, TEXT)
    for b in bounds:
        text, start = _region_text(sdoc, *b)
        assert start == built[b][1]
        assert text.replace("\u00a0", " ") == built[b][0]


def test_a_text_of_another_length_is_not_noted():
    sdoc, _ = _doc()
    note_text(sdoc, TEXT + " more")
    assert places_mod.parsed_text(sdoc) is None


def test_ancestor_ids_follow_token_ancestors():
    sdoc, _ = _doc()
    assert any(places_mod.ancestor_ids(t) for t in sdoc)
    for tok in sdoc:
        assert places_mod.ancestor_ids(tok) == tuple(a.i for a in tok.ancestors)
