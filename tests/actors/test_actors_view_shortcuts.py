"""The actors stage's shortcuts agree with their definitions: the story view's labels are the
Tokens' own, a mention's head follows the parse rule, and dictionary matching that skips a
word whose next word continues no phrase finds what trying every phrase length finds."""

from __future__ import annotations

from dateline.actors import _View, load_dictionary
from dateline.actors.matching import Match, _acceptable, _choose, make_tokens, match_tokens

TEXTS = [
    ("Mexican police in Tijuana arrested two men on Friday, the Secretary of the Interior, "
     "Alfonso Navarrete Prida, said.\n\nThe US president, Donald Trump, met Kim Jong-un in "
     "Singapore."),
    ("The UN Security Council and the European Union condemned the attack; Bashar al-Assad's "
     "government said it was ready for talks in Geneva with the Syrian opposition."),
]


def _head_rule(view: _View, ts: int, te: int) -> int:
    """The head rule as written before one-token mentions took a shortcut."""
    lo, hi = view.orig[ts], view.orig[te - 1]
    if all(view.dep[k] for k in range(ts, te)):
        outside = [k for k in range(ts, te) if not lo <= view.head[k] <= hi
                   or view.head[k] == view.orig[k]]
        if outside:
            return outside[-1] if len(outside) > 1 else outside[0]
    for k in range(ts + 1, te):
        if view.text[k].lower() in ("of", "for", "in", ","):
            return k - 1
    return te - 1


def _match_every_length(toks, dictionary, lowercase_doc=False) -> list[Match]:
    """Greedy longest matches trying every phrase length that starts at a word."""
    out: list[Match] = []
    n, done = len(toks), 0
    norms = [t.norm for t in toks]
    for i in range(n):
        if i < done or norms[i] not in dictionary.first:
            continue
        for length in dictionary.first[norms[i]]:
            j = i + length
            if j > n:
                continue
            entries = dictionary.index.get(tuple(norms[i:j]))
            if not entries:
                continue
            entries = _acceptable(entries, toks, i, j, lowercase_doc)
            if entries:
                found = Match(i, j, _choose(entries), entries)
                if found.entry.default is not None or found.entry.dated:
                    out.append(found)
                done = j
                break
    return out


def test_view_labels_are_the_tokens_labels(nlp):
    for text in TEXTS + [TEXTS[0].lower()]:
        sdoc = nlp(text)
        view = _View(sdoc)
        kept = [t for t in sdoc if not t.is_space]
        assert view.orig == [t.i for t in kept]
        assert view.tag == [t.tag_ for t in kept]
        assert view.dep == [t.dep_ for t in kept]
        assert view.ent == [t.ent_type_ for t in kept]
        assert view.text == [t.text for t in kept]
        assert view.head == [t.head.i for t in kept]


def test_a_mention_head_follows_the_rule(nlp):
    for text in TEXTS:
        for sdoc in (nlp(text), nlp.make_doc(text)):  # parsed, and tokens only
            view = _View(sdoc)
            n = len(view.orig)
            for ts in range(n):
                for te in range(ts + 1, min(n, ts + 5) + 1):
                    assert view.head_of(ts, te) == _head_rule(view, ts, te), (ts, te)


def test_matching_skips_only_what_cannot_match(nlp):
    dictionary = load_dictionary()
    found = 0
    for text in TEXTS + [TEXTS[1].upper()]:
        toks = make_tokens([t.text for t in nlp.make_doc(text) if not t.is_space])
        for lowercase in (False, True):
            got = match_tokens(toks, dictionary, lowercase)
            want = _match_every_length(toks, dictionary, lowercase)
            assert [(m.start, m.end, m.entry) for m in got] == \
                [(m.start, m.end, m.entry) for m in want]
            found += len(got)
    assert found >= 10


def test_words_past_the_cache_bound_are_made_per_story(nlp, monkeypatch):
    import dateline.actors as actors_mod

    monkeypatch.setattr(actors_mod, "_STRINGS", {})
    monkeypatch.setattr(actors_mod, "_STRINGS_BOUND", 5)
    for text in TEXTS:
        sdoc = nlp(text)
        view = _View(sdoc)
        want = make_tokens([t.text for t in sdoc if not t.is_space])
        assert [(t.norm, t.text, t.cap) for t in view.toks] == \
            [(t.norm, t.text, t.cap) for t in want]
        assert view.norm == [t.norm for t in want]
    assert len(actors_mod._STRINGS) == 5
