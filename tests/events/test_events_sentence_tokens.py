"""Parse features read on a Doc's table (`DocParse`, `SentenceTokens`: the one reading, for
the coder and training alike) equal their definition over spaCy Tokens, kept here."""

from __future__ import annotations

import gzip
import json
from itertools import pairwise

import pytest

from dateline import nlp
from dateline.events.classifier import (
    _MODAL_AUX,
    _PREPS,
    _VERBAL,
    DocParse,
    SentenceTokens,
    derived_trigger,
    parse_features,
)

TEXT = ("Police arrested 12 protesters outside parliament on Monday.  The two ministers will "
        "not meet in Paris, officials said.\n\nRussia accused Ukraine of shelling the power "
        "plant near Zaporizhzhia , which Kyiv denied.\n  Rebels attacked an army base. "
        "China threatened to impose tariffs on Mexico, and Russia was accused by Ukraine of "
        "sending tanks.")


# --- the definition, over Tokens ---------------------------------------------------------

def _span_head(tokens, a: int, b: int):
    """The last token inside char span [a, b) whose head lies outside it."""
    inside = [t for t in tokens if t.idx < b and t.idx + len(t) > a]
    if not inside:
        return None
    ids = {t.i for t in inside}
    tops = [t for t in inside if t.head.i not in ids or t.head.i == t.i]
    return (tops or inside)[-1]


def _ancestors(tok) -> list:
    out = []
    while tok.head.i != tok.i and len(out) < 40:
        tok = tok.head
        out.append(tok)
    return out


def _step(tok) -> str:
    dep = tok.dep_
    return f"{dep}_{tok.lemma_.lower()}" if dep in _PREPS else dep


def _path_up(tok, anchor) -> str:
    if tok is None:
        return "none"
    if tok.i == anchor.i:
        return "self"
    steps = []
    while tok.i != anchor.i:
        if tok.head.i == tok.i or len(steps) >= 4:
            return "far"
        steps.append(_step(tok))
        tok = tok.head
    return "<".join(steps)


def _derived(sh, th, root):
    if sh is not None and th is not None:
        t_up = {th.i} | {t.i for t in _ancestors(th)}
        lca = next((t for t in [sh, *_ancestors(sh)] if t.i in t_up), None)
        if lca is not None and lca.i not in (sh.i, th.i):
            return lca
        if lca is not None:
            sh = lca
        th = None
    h = sh if sh is not None else th
    if h is None:
        return root
    ups = _ancestors(h)
    return next((t for t in ups if t.pos_ in _VERBAL), ups[0] if ups else h)


def _pair_heads(tokens, source, target, base):
    toks = [t for t in tokens if not t.is_space]
    if not toks or not toks[0].dep_:
        return None
    sh = _span_head(toks, base + source[0], base + source[1]) if source else None
    th = _span_head(toks, base + target[0], base + target[1]) if target else None
    root = next((t for t in toks if t.head.i == t.i), toks[0])
    return sh, th, _derived(sh, th, root)


def _token_derived_trigger(tokens, source, target, base=0):
    found = _pair_heads(tokens, source, target, base)
    if found is None:
        return None
    g = found[2]
    return g.idx - base, g.idx - base + len(g)


def _token_parse_features(tokens, source, target, base=0) -> tuple[str, ...]:
    """The derived trigger, the paths to it, its governing verb and its children."""
    found = _pair_heads(tokens, source, target, base)
    if found is None:
        return ()
    sh, th, g = found
    lem = g.lemma_.lower()
    sp, tp = _path_up(sh, g), _path_up(th, g)
    out = [f"sx:a:{lem}", f"sx:ap:{g.pos_}", f"sx:sp:{sp}", f"sx:tp:{tp}",
           f"sx:asp:{lem}|{sp}", f"sx:atp:{lem}|{tp}",
           f"sx:sr:{_step(sh) if sh is not None else 'none'}",
           f"sx:tr:{_step(th) if th is not None else 'none'}"]
    gov = next((t for t in _ancestors(g) if t.pos_ in _VERBAL), None)
    if gov is not None:
        glem = gov.lemma_.lower()
        out += [f"sx:gv:{glem}", f"sx:gva:{glem}|{g.dep_}|{lem}"]
    else:
        out.append(f"sx:gd:{g.dep_}")
    for c in g.children:
        dep, clem = c.dep_, c.lemma_.lower()
        if dep == "neg":
            out.append("sx:neg")
        elif dep == "auxpass":
            out.append("sx:pass")
        elif dep == "aux" and clem in _MODAL_AUX:
            out.append(f"sx:aux:{clem}")
        elif dep in ("dobj", "attr", "oprd"):
            if th is not None and c.i == th.i:
                clem = "<t>"
            elif sh is not None and c.i == sh.i:
                clem = "<s>"
            out += [f"sx:obj:{clem}", f"sx:ao:{lem}|{clem}"]
        elif dep == "prt":
            out.append(f"sx:prt:{lem}|{clem}")
        elif dep == "xcomp":
            out.append(f"sx:xc:{lem}|{clem}")
        elif dep in _PREPS:
            out.append(f"sx:pr:{lem}|{clem}")
    if gov is not None and any(c.dep_ == "neg" for c in gov.children):
        out.append("sx:gneg")
    return tuple(out)


# --- the comparison -----------------------------------------------------------------------

def _spans(sent) -> list[tuple[int, int] | None]:
    """Every word of the sentence, some two-word runs, and no span."""
    words = [(t.idx, t.idx + len(t)) for t in sent if not t.is_space]
    pairs = [(a[0], b[1]) for a, b in pairwise(words)]
    return [None, *words, *pairs[::2]]


def _compare(doc, step: int = 3, span_too: bool = True) -> int:
    """Every pair of spans of every sentence (targets every `step`-th), read on the table
    (as the coder reads it, and from the Span as training does) and through Tokens."""
    parse = DocParse(doc)
    checked = 0
    for sent in doc.sents:
        view = SentenceTokens(parse, sent.start, sent.end)
        base = sent.start_char
        spans = [None if s is None else (s[0] - base, s[1] - base) for s in _spans(sent)]
        for src in spans:
            for tgt in spans[::step]:
                want = _token_parse_features(sent, src, tgt, base)
                assert parse_features(view, src, tgt, base) == want
                if span_too:  # (a table of the whole Doc per call)
                    assert parse_features(sent, src, tgt, base) == want
                assert derived_trigger(view, src, tgt, base) == _token_derived_trigger(
                    sent, src, tgt, base)
                checked += bool(want)
    return checked


@pytest.fixture(scope="module")
def doc():
    return nlp.parse(TEXT)


def test_table_and_tokens_give_the_same_parse_features(doc) -> None:
    assert _compare(doc, step=1) > 1000


def test_table_and_tokens_give_the_same_parse_features_on_news(shared_dir) -> None:
    path = shared_dir / "data" / "corpora" / "guardian_sample.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(3), fh)]
    assert sum(_compare(nlp.parse(text), step=7, span_too=False) for text in texts) > 10_000


def test_a_whole_doc_reads_as_its_own_table() -> None:
    sdoc = nlp.parse("Ukraine accused Russia of shelling.")
    assert parse_features(sdoc, (0, 7), (16, 22)) == _token_parse_features(sdoc, (0, 7),
                                                                           (16, 22))
    assert "sx:a:accuse" in parse_features(sdoc, (0, 7), (16, 22))


def test_an_unparsed_sentence_gives_no_features() -> None:
    doc = nlp.load().make_doc("Police arrested 12 protesters outside parliament.")
    view = SentenceTokens(DocParse(doc), 0, len(doc))
    assert parse_features(view, (0, 6), (19, 29)) == () == parse_features(doc, (0, 6), (19, 29))
