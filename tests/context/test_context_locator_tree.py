"""The locator's per-document parse table gives the walks the Token API gives."""

from __future__ import annotations

from dateline import nlp
from dateline.context.locator import _clause, _opener, _path, _tree, sentence_candidates
from dateline.context.places import find_places

TEXT = ("In Mosul on Saturday, Iraqi troops shelled the al-Azraggiya neighborhood in Fallujah, "
        "on Friday. Gunmen attacked a convoy near Tal Afar, killing two soldiers.")


def _token_path(tok, n: int = 4) -> str:
    # the shipped features: n labels up the tree, the root's repeated, then "~"
    out, cur = [], tok
    for _ in range(n):
        out.append(cur.dep_ if cur.dep_ != "prep" else "prep:" + cur.lower_)
        cur = cur.head
    return ">".join(out) + ">~"


def _token_clause(tok) -> int:
    cur = tok
    for _ in range(30):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur.i
        cur = cur.head
    return cur.i


def _token_opener(tok) -> str:
    cur = tok
    for _ in range(6):
        if cur.dep_ == "prep" and cur.head.dep_ == "ROOT" and cur.i < cur.head.i:
            subj = [c for c in cur.head.children if c.dep_ in ("nsubj", "nsubjpass", "agent",
                                                                 "csubj")]
            return cur.lower_ if not subj or subj[0].i > cur.i else "-"
        cur = cur.head
    return "-"


def test_table_holds_each_tokens_head_label_and_pos():
    sdoc = nlp.parse(TEXT)
    tree = _tree(sdoc)
    assert tree.head == [t.head.i for t in sdoc]
    assert tree.dep == [t.dep_ for t in sdoc]
    assert tree.pos == [t.pos_ for t in sdoc]


def test_walks_on_the_table_match_the_token_walks():
    sdoc = nlp.parse(TEXT)
    trigger = next(t for t in sdoc if t.text == "shelled")
    for tok in sdoc:
        assert _path(tok, trigger) == _token_path(tok)
        assert _clause(tok) == _token_clause(tok)
        assert _opener(tok) == _token_opener(tok)
    assert {_opener(t) for t in sdoc} != {"-"}  # some token sits in an opening phrase


def test_proper_noun_runs_are_found_from_the_tag_table():
    sdoc = nlp.parse(TEXT)
    second = list(sdoc.sents)[1]
    texts = [c.text for c in sentence_candidates(sdoc, second, find_places(TEXT, sdoc, []))]
    assert "Tal Afar" in texts and "Mosul" not in texts
