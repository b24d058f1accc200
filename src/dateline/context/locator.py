"""A learned ranker for the place of an event among the toponyms of its sentence.

Each candidate place gets sparse features (its dependency path to the trigger, the
preposition that introduces it, whether it hangs off the trigger's clause, what kind of
gazetteer entry it is, how many other places compete); a logistic model scores them and
the best one is the event's place when its probability clears a threshold, else none.
The weights are plain JSON (``data/gazetteer/event_locator.json``): no training library
is needed at run time. Train with ``python -m dateline.context.locator GOLD.jsonl.gz``.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from itertools import chain, pairwise, repeat
from operator import mul
from typing import Any

from dateline.context.memo import DocMemo
from dateline.context.places import (
    _ACTOR_DEPS,
    _NOT_PLACE_WORDS,
    PlaceMention,
    _of_place,
    _tree,
    ancestor_ids,
    attachment,
    parsed_text,
    place_root,
    place_tokens,
    sentence_bounds,
    tree_distance,
)

MODEL_FILE = "event_locator.json"


def _bucket(n: float, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return f"<={e}"
    return f">{edges[-1]}"


_FEATURE_ORDER = {"unknown": 0, "city": 1, "admin1": 2, "country": 3}


_CANDIDATES = DocMemo()
_SENT_WORDS = DocMemo()
_REGIONS = DocMemo()


def _region_text(sdoc: Any, lo: int, hi: int) -> tuple[str, int]:
    """(text, start char) of tokens lo..hi, read once per document: the events of one
    sentence share it, and Span.text joins every token again."""
    memo = _REGIONS.of(sdoc)
    got = memo.get((lo, hi))
    if got is None:
        text = parsed_text(sdoc)
        if text is not None:  # a slice of the story (whitespace may be a no-break space)
            last = sdoc[hi - 1]
            start = sdoc[lo].idx
            got = memo[(lo, hi)] = (text[start:last.idx + len(last)], start)
        else:
            span = sdoc[lo:hi]
            got = memo[(lo, hi)] = (span.text, span.start_char)
    return got


def _root(sdoc: Any, pm: PlaceMention) -> Any:
    return place_root(sdoc, pm)


def _anchor(tok: Any) -> Any:
    """The noun a place name modifies ("the Nabi Yunis area"), or the name itself."""
    return tok.head if tok.dep_ in ("compound", "poss", "amod", "nmod") else tok


_MODIFIER_DEPS = frozenset({"compound", "poss", "amod", "nmod"})
_SAY_HASHES: frozenset[int] | None = None


def _say_hashes() -> frozenset[int]:
    global _SAY_HASHES
    if _SAY_HASHES is None:
        from spacy.strings import hash_string

        _SAY_HASHES = frozenset(hash_string(w) for w in _SAY)
    return _SAY_HASHES


def _specificity(pm: PlaceMention) -> tuple[int, int]:
    if pm.place is None:
        return 0, 0
    return _FEATURE_ORDER.get(pm.place.feature, 0), pm.place.population


_DESCRIBED = DocMemo()  # candidate list -> its _Candidates


def _clause(tok: Any) -> int:
    """Index of the first verbal token at or above a token (its clause head), else of the
    sentence's root."""
    tree = _tree(tok.doc)
    head, pos = tree.head, tree.pos
    i = tok.i
    for _ in range(30):
        if pos[i] in ("VERB", "AUX"):
            return i
        i = head[i]
    return i


def _path(tok: Any, stop: Any, n: int = 4) -> str:
    """The dependency labels of the n arcs above a token.

    It was meant to stop at `stop` and at the root, but its tests compared Token objects with
    ``is``, which never holds (spaCy builds a new Token on every access): every path is n
    labels, the root's repeated, then "~". The shipped weights are trained on exactly these
    paths, so the walk keeps that behaviour: the intended walk (indices), retrained in session
    4, scored no better on dev (0.8140 vs 0.8146 for the same retrain on these paths; CV
    0.8077 vs 0.8083), see benchmarks/results/context.md.
    """
    if tok is stop:
        return ""
    tree = _tree(tok.doc)
    head, dep = tree.head, tree.dep
    out = []
    i = tok.i
    for _ in range(n):
        out.append(dep[i] if dep[i] != "prep" else "prep:" + tok.doc[i].lower_)
        i = head[i]
    return ">".join(out) + ">~"


class _Candidate:
    """One candidate place as every trigger of its sentence sees it: its tokens and head in
    the parse, and its features that do not depend on the trigger (their strings made once;
    a sentence's events all rank the same candidates)."""

    __slots__ = ("admissible", "admissible_s", "ancestors", "clause", "first_prep", "fixed", "ph",
                 "ph_kind", "ph_lower", "pm", "r", "root", "toks")

    def __init__(self, sdoc: Any, pm: PlaceMention) -> None:
        self.pm = pm
        self.toks = place_tokens(sdoc, pm)
        self.root = _root(sdoc, pm) if self.toks else None
        self.fixed: tuple[str, ...] = ()


def _candidates_of(sdoc: Any, others: list[PlaceMention]) -> list[_Candidate]:
    """The `_Candidate` of each place of a candidate list (once per list and document)."""
    memo = _DESCRIBED.of(sdoc)
    got = memo.get(id(others))
    if got is None or got[0] is not others or got[1] != len(others):
        # the list is held, so its id is not reused meanwhile; its length guards a change
        got = memo[id(others)] = (others, len(others), _describe(sdoc, others))
    return got[2]


def _describe(sdoc: Any, others: list[PlaceMention], full: bool = False) -> list[_Candidate]:
    """Each candidate of a list as every trigger sees it (see `_Candidate`): `fixed` holds its
    26 trigger-independent feature strings in `_features`' order, then four values the
    trigger's features combine with. A bare proper noun that is no admissible place gets no
    row (`group_rows`), so its strings are made only when `full` asks for them (`fixed` is
    None without)."""
    cands = [_Candidate(sdoc, pm) for pm in others]
    present = [c for c in cands if c.root is not None]
    if not present:
        return cands
    tree = _tree(sdoc)
    heads, deps, poses = tree.head, tree.dep, tree.pos
    specs = sorted(_specificity(o) for o in others)
    n_places = f"n_places={min(len(others), 4)}"
    region: tuple[str, int] | None = None
    for c in present:
        c.r = c.root.i
        c.ancestors = set(ancestor_ids(c.root))
    for c in present:
        pm, root, toks, r, ancestors = c.pm, c.root, c.toks, c.r, c.ancestors
        e = r
        while deps[e] == "conj" and heads[e] != e:
            e = heads[e]
        e_dep, e_head = deps[e], heads[e]
        # Admissible: a place that can be where the event happened, not a subject naming an
        # actor ("Tehran captured"), an affiliation ("the Secretary of ... of the United
        # States") or a nationality ("a U.S. patrol"); the introducing preposition as
        # places._first_prep reads it, here from the parse table.
        first_prep = None
        if deps[r] == "pobj" and deps[heads[r]] == "prep":
            first_prep = sdoc[heads[r]].lower_
        elif deps[r] in ("compound", "poss"):
            first_prep = "mod"
        c.first_prep = first_prep
        c.admissible = admissible = not (
            e_dep in _ACTOR_DEPS or (e_dep == "pobj" and deps[e_head] == "agent")
            or (first_prep == "of" and not _of_place(root))
            or (first_prep == "mod" and pm.place is not None
                and pm.place.feature == "country"))
        c.admissible_s = "admissible=True" if admissible else "admissible=False"
        if not (admissible or full or pm.label != "PROPN"):
            c.fixed = None
            continue
        anchor = heads[r] if deps[r] in _MODIFIER_DEPS else r
        under_other = has_under = False
        for o in present:
            if o.pm is pm:
                continue
            o_i = o.r
            if (heads[o_i] if deps[o_i] in _MODIFIER_DEPS else o_i) in ancestors:
                under_other = True  # "Fallujah" in "the al-Azraggiya neighborhood in Fallujah"
            if anchor in o.ancestors:
                has_under = True
        spec_rank = min(specs.index(_specificity(pm)), 2)
        c.clause = _clause(root)
        # Where the introducing preposition hangs: on the trigger, another verb or a noun.
        c.ph = ph = heads[e_head] if e_dep == "pobj" else None  # the preposition's head
        if ph is not None:
            c.ph_kind = "verb" if poses[ph] in ("VERB", "AUX") else poses[ph]
            c.ph_lower = sdoc[ph].lower_
        feature = pm.place.feature if pm.place is not None else "unknown"
        pop = pm.place.population if pm.place is not None else 0
        # "X, Y" pairs: the first of the pair is the specific one.
        i0, i1 = toks[0].i, toks[-1].i
        nxt = sdoc[i1 + 1] if i1 + 1 < len(sdoc) else None
        prv = sdoc[i0 - 1] if i0 > 0 else None
        comma_next = nxt is not None and nxt.text == ","
        comma_prev = prv is not None and prv.text == ","
        rtext, base = "", 0
        if comma_next or comma_prev:
            # Doc.text rebuilds the whole story's text: read the candidates' sentences' text,
            # and only where a comma asks for it
            if region is None:
                bounds = [sentence_bounds(t) for o in present for t in (o.toks[0], o.root)]
                region = _region_text(sdoc, min(b[0] for b in bounds),
                                      max(b[1] for b in bounds))
            rtext, base = region
        before_comma_place = comma_next and any(
            o.start > pm.end and rtext[pm.end - base:o.start - base].strip() == ","
            for o in others)
        after_comma_place = comma_prev and any(
            o.end < pm.start and rtext[o.end - base:pm.start - base].strip() == ","
            for o in others)
        ent = root.ent_type_ or "O"
        path = _path(root, None)
        head_noun = sdoc[e_head].lower_ if e_dep in ("compound", "amod", "nmod", "poss") else "-"
        s_lo, s_hi = sentence_bounds(root)  # the sentence's, not the story's, length
        pos_in_sent = (r - s_lo) / max(1, s_hi - s_lo)
        c.fixed = (
            f"dep={e_dep}",
            f"headdep={e_dep}|{deps[e_head]}",
            f"headpos={poses[e_head]}",
            f"label={pm.label}",
            f"feature={feature}",
            f"pop={_bucket(math.log10(pop + 1), (3, 5, 6))}",
            n_places,
            f"actor_dep={e_dep in _ACTOR_DEPS}",
            f"under_other={under_other}",
            f"has_under={has_under}",
            f"spec_rank={spec_rank}",
            f"spec_rank_feature={spec_rank}|{feature}",
            f"first_place={others[0] is pm}",
            f"comma_pair={before_comma_place}|{after_comma_place}",
            f"comma_pair_feature={before_comma_place}|{after_comma_place}|{feature}",
            f"ent={ent}",
            f"ent_label={ent}|{pm.label}",
            f"head_noun={head_noun}",
            f"prev_word={prv.lower_ if prv is not None else '^'}",
            f"path={path}",
            f"sent_pos={_bucket(int(pos_in_sent * 10), (0, 2, 5, 8))}",
            f"known={pm.place is not None}|{pm.label}",
            f"root_pos={root.tag_}",
            f"ntoks={min(len(toks), 3)}",
            f"opener={_opener(root)}",
            f"same_name={sum(1 for o in others if o.text == pm.text) > 1}",
            # values the trigger's features combine with
            feature, ent, path, e_dep,
        )
    return cands


class _Trigger:
    """The trigger's side of its candidates' features, read once per trigger."""

    __slots__ = ("anc", "clause", "dep", "i", "left", "pos", "right", "strings", "tag", "tok",
                 "word")

    def __init__(self, trigger: Any) -> None:
        self.tok, self.i = trigger, trigger.i
        self.word = trigger.lower_
        self.dep, self.pos, self.tag = trigger.dep_, trigger.pos_, trigger.tag_
        self.left, self.right = trigger.left_edge.i, trigger.right_edge.i
        self.anc = ancestor_ids(trigger)
        self.clause = _clause(trigger)
        self.strings = (f"trigger_dep={self.dep}", f"trigger_pos={self.pos}",
                        f"trigger_tag={self.tag}", f"word={self.word}")


def candidate_features(trigger: Any, pm: PlaceMention, others: list[PlaceMention],
                       rank_by_distance: int, n_attached: int | None = None
                       ) -> dict[str, float] | None:
    """Sparse features of one candidate place (one of `others`, the trigger's candidates)
    for one trigger token; None if unusable."""
    cands = _candidates_of(trigger.doc, others)
    if any(c.pm is pm and c.root is not None and c.fixed is None for c in cands):
        cands = _describe(trigger.doc, others, full=True)  # the memo's skipped this one
    c = next(c for c in cands if c.pm is pm)
    if c.root is None:
        return None
    if n_attached is None:
        n_attached = sum(1 for o in cands if o.root is not None
                         and attachment(trigger, o.root) is not None)
    return _features(_Trigger(trigger), c, rank_by_distance, n_attached)


def _features(trig: _Trigger, c: _Candidate, rank: int, n_att: int) -> dict[str, float]:
    """The feature row of one candidate for one trigger (every value 1.0)."""
    return dict.fromkeys(_feature_keys(trig, c, rank, n_att), 1.0)


def _feature_keys(trig: _Trigger, c: _Candidate, rank: int, n_att: int) -> list[str]:
    """The names of the features of one candidate for one trigger, in the row's order (all
    distinct: each opens with its own prefix and "=")."""
    trigger, t, r = trig.tok, trig.i, c.r
    (dep, headdep, headpos, label, feat, pop, n_places, actor_dep, under_other, has_under,
     spec_rank, spec_rank_feature, first_place, comma_pair, comma_pair_feature, ent_s,
     ent_label, head_noun, prev_word, path_s, sent_pos, known, root_pos, ntoks, opener,
     same_name, feature, ent, path, e_dep) = c.fixed
    trigger_dep, trigger_pos, trigger_tag, word_s = trig.strings
    att = attachment(trigger, c.root)
    a = att is not None
    dist = tree_distance(trigger, c.root)
    prep = att[1] if att else c.first_prep
    word, t_pos = trig.word, trig.pos
    side = "before" if r < t else "after"
    gap = abs(r - t)
    ph = c.ph
    if ph is not None:
        prep_on = "trigger" if ph == t else c.ph_kind
    else:
        prep_on = "none"
    same_clause = c.clause == trig.clause
    return [
        "bias",
        f"attached={a}",
        f"prep={prep}",
        f"attached_prep={a}|{prep}",
        dep,
        headdep,
        headpos,
        label,
        feat,
        pop,
        f"dist={_bucket(dist, (1, 2, 3, 4, 6, 9))}",
        f"hops={_bucket(att[0], (1, 2, 3, 4, 6)) if att else 'none'}",
        f"side={side}",
        f"gap={_bucket(gap, (2, 4, 8, 15, 25))}",
        n_places,
        f"n_attached={min(n_att, 3)}",
        f"rank={min(rank, 3)}",
        trigger_dep,
        trigger_pos,
        trigger_tag,
        actor_dep,
        f"of_place={_of_place(c.root) if prep == 'of' else 'na'}",
        f"in_subtree={trig.left <= r <= trig.right}",
        under_other,
        has_under,
        spec_rank,
        spec_rank_feature,
        first_place,
        f"attached_dep={a}|{e_dep}",
        f"prep_feature={prep}|{feature}",
        f"prep_label={prep}|{c.pm.label}",
        f"trigger_prep={t_pos}|{prep}",
        word_s,
        f"word_prep={word}|{prep}",
        f"word_attached={word}|{a}",
        f"side_gap={side}|{_bucket(gap, (2, 5, 10))}",
        f"prep_on={prep_on}",
        f"prep_on_prep={prep_on}|{prep}",
        f"same_clause={same_clause}",
        f"same_clause_prep={same_clause}|{prep}",
        f"trig_anc={t in c.ancestors}",
        f"place_anc={r in trig.anc}",
        comma_pair,
        comma_pair_feature,
        ent_s,
        ent_label,
        head_noun,
        prev_word,
        path_s,
        f"path_att={path}|{a}",
        sent_pos,
        known,
        root_pos,
        ntoks,
        f"trig_side_dep={trig.dep}|{side}|{a}",
        f"prep_head={c.ph_lower if prep_on not in ('none', 'trigger') else '-'}",
        opener,
        f"ent_prep={ent}|{prep}",
        f"ent_att={ent}|{a}",
        f"word_dist={word}|{_bucket(dist, (1, 2, 3, 5))}",
        f"feature_att={feature}|{a}|{prep}",
        same_name,
    ]


def _opener(tok: Any) -> str:
    """Whether a place sits in a sentence-opening phrase before the subject ("In Mosul on
    Saturday, ...") and what heads that phrase."""
    tree = _tree(tok.doc)
    heads, deps = tree.head, tree.dep
    i = tok.i
    for _ in range(6):
        h = heads[i]
        if deps[i] == "prep" and deps[h] == "ROOT" and i < h:
            subj = [c for c in tok.doc[h].children if c.dep_ in _ACTOR_DEPS]
            if not subj or subj[0].i > i:
                return tok.doc[i].lower_
            return "-"
        if h == i:
            break
        i = h
    return "-"


_SAY = {"said", "says", "say", "told", "tells", "reported", "reports", "added", "stated",
        "claimed", "claims", "announced", "confirmed", "according"}
_MODALS = {"will", "would", "could", "may", "might", "should", "can", "must", "to"}


def null_features(trigger: Any, rows: list[tuple[PlaceMention, dict[str, float]]]
                  ) -> dict[str, float]:
    """Features of the "no place" option for one trigger: how the event's clause and the
    sentence look, and how good its candidates are."""
    out, words = _null_clause(trigger, rows)
    # The sentence's words: how a source writes predicts whether its annotators gave a
    # place at all (war-report boilerplate vs wire stories).
    for w in words:
        out["null:w=" + w] = 1.0
    return out


def _sentence_words(trigger: Any) -> tuple[str, ...]:
    """The distinct words of the trigger's sentence, sorted (one tuple per sentence and
    document). Sorted, not a set's order: a set of strings iterates in an order that
    depends on the process's hash seed, and the no-place score sums these words' weights
    in this order, so its last bits, and a tie, would differ between runs and workers."""
    lo, hi = sentence_bounds(trigger)
    memo = _SENT_WORDS.of(trigger.doc)
    words = memo.get(lo)
    if words is None:
        # Span.text of the sentence only (Doc.text would join the whole story).
        words = memo[lo] = tuple(sorted(set(
            _WORD_RE.findall(_region_text(trigger.doc, lo, hi)[0].lower()))))
    return words


_KID_HASHES: tuple[frozenset[int], frozenset[int]] | None = None


def _clause_flags(trigger: Any) -> tuple[bool, bool, bool]:
    """Whether the trigger has a strong locative preposition, a modal auxiliary, a negation
    among its children: read from the parse table (Token.children builds a Token a child)."""
    global _KID_HASHES
    if _KID_HASHES is None:
        from spacy.strings import hash_string

        _KID_HASHES = (frozenset(hash_string(w) for w in _STRONG_LOCATIVE_PREPS),
                       frozenset(hash_string(w) for w in _MODALS))
    preps, modals = _KID_HASHES
    t = trigger.i
    lo, hi = sentence_bounds(trigger)
    tree = _tree(trigger.doc)
    heads, deps, lower = tree.head, tree.dep, tree.lower
    loc_prep = modal = neg = False
    for k in range(lo, hi):
        if heads[k] != t or k == t:
            continue
        dep = deps[k]
        if dep == "prep":
            loc_prep = loc_prep or lower[k] in preps
        elif dep == "aux" or dep == "auxpass":
            modal = modal or lower[k] in modals
        elif dep == "neg":
            neg = True
    return loc_prep, modal, neg


def _null_clause(trigger: Any, rows: list[tuple[PlaceMention, dict[str, float]]]
                 ) -> tuple[dict[str, float], tuple[str, ...]]:
    """The no-place features but the sentence's words, and those words."""
    n_att = sum(1 for _, f in rows if f.get("attached=True"))
    strong_att = any(f.get("attached=True") and any(
        f.get(f"prep={p}") for p in _STRONG_LOCATIVE_PREPS) for _, f in rows)
    return _null_head(trigger, len(rows), n_att, strong_att), _sentence_words(trigger)


def _null_head(trigger: Any, n_rows: int, n_att: int, strong_att: bool) -> dict[str, float]:
    """The no-place features but the sentence's words, from the trigger's clause and its
    rows: how many, how many attached to it, whether one by a strong locative preposition."""
    lo, hi = sentence_bounds(trigger)
    loc_prep, modal, neg = _clause_flags(trigger)
    say, lower = _say_hashes(), _tree(trigger.doc).lower
    reported = any(lower[a] in say for a in ancestor_ids(trigger))
    word = trigger.lower_
    tag = trigger.tag_
    return {
        "null:bias": 1.0,
        f"null:word={word}": 1.0,
        f"null:tag={tag}": 1.0,
        f"null:dep={trigger.dep_}": 1.0,
        f"null:n_cands={min(n_rows, 4)}": 1.0,
        f"null:n_att={min(n_att, 2)}": 1.0,
        f"null:strong_att={strong_att}": 1.0,
        f"null:loc_prep={loc_prep}": 1.0,
        f"null:reported={reported}": 1.0,
        f"null:modal={modal}": 1.0,
        f"null:neg={neg}": 1.0,
        f"null:len={_bucket(hi - lo, (10, 20, 30, 45))}": 1.0,
        f"null:word_att={word}|{n_att > 0}": 1.0,
        f"null:tag_att={tag}|{strong_att}": 1.0,
    }


_WORD_RE = re.compile(r"[a-z][a-z'-]+")


_STRONG_LOCATIVE_PREPS = ("in", "at", "near", "outside", "inside", "across", "throughout",
                          "around", "within", "into", "off", "along", "nearby")


# Entity types whose proper-noun runs are never places (numbers, dates). spaCy's small model
# often calls small towns PERSON or NORP ("Palmyra", "Silopi"): those runs still compete,
# with their entity type as a feature.
_NOT_PLACE_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"}


# Lower-case article particles of Arabic names ("al-Bab", "Tal al-Abyad").
_ARTICLES = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "es"}


def sentence_candidates(sdoc: Any, sent: Any, places: list[PlaceMention]
                        ) -> list[PlaceMention]:
    """The sentence's toponyms plus every other run of proper nouns in it (label PROPN):
    NER misses many small places ("stormed Najarah", "attacks on Aleppo"). A hyphen joins a
    run ("Al-Fijah" is three tokens)."""
    memo = _CANDIDATES.of(sdoc)
    key = (sent.start, sent.end, id(places), len(places))
    hit = memo.get(key)
    if hit is not None and hit[0] is places:
        return hit[1]
    found = _sentence_candidates(sdoc, sent, places)
    memo[key] = (places, found)  # the list is held, so its id cannot be reused meanwhile
    return found


_TAGS = DocMemo()
_RESOLVED: dict[str, Any] = {}
# Names whose resolution is kept (the first met): a bound on what a long run holds.
RESOLVED_NAMES = 20_000


def _resolve_name(name: str) -> Any:
    """`resolve_place(name)` with no story context: the same for every story, so kept."""
    if name in _RESOLVED:
        return _RESOLVED[name]
    from dateline.context.places import resolve_place

    got = resolve_place(name)
    if len(_RESOLVED) < RESOLVED_NAMES:  # a bound on memory over a long run
        _RESOLVED[name] = got
    return got


_NAME_ATTRS = ["TAG", "IDX", "SPACY", "ORTH", "LOWER", "ENT_TYPE", "LENGTH"]


def _name_table(sdoc: Any) -> tuple[Any, tuple[frozenset[int], ...]]:
    """The document's tokens as rows of _NAME_ATTRS (numpy, once per document), and the
    hashes the proper-noun runs test against: proper-noun tags, article particles,
    hyphens, words and entity types that are never places."""
    global _NAME_HASHES
    memo = _TAGS.of(sdoc)
    got = memo.get("names")
    if got is None:
        strings = sdoc.vocab.strings  # a few of these words and labels are spaCy symbols
        if _NAME_HASHES is None or _NAME_HASHES[0] is not strings:
            # the same for every story of a vocabulary: made once (one entry, ~4 KB)
            _NAME_HASHES = (strings, tuple(frozenset(strings[w] for w in words) for words in (
                ("NNP", "NNPS"), _ARTICLES, ("-", "\u2011"), _NOT_PLACE_WORDS,
                _NOT_PLACE_ENTS)))
        got = memo["names"] = (sdoc.to_array(_NAME_ATTRS).reshape(len(sdoc), 7),
                               _NAME_HASHES[1])
    return got


_NAME_HASHES: tuple[Any, tuple[frozenset[int], ...]] | None = None


def _run_text(sdoc: Any, text: str | None, start: int, end: int, lo: int, hi: int) -> str:
    """The text of tokens lo..hi (chars start..end): a slice of the noted story text where it
    holds no whitespace but single plain spaces (the parse's text differs from the story's
    in odd spaces only), else Span.text (which joins the tokens again)."""
    if text is not None:
        name = text[start:end]
        if " ".join(name.split()) == name:
            return name
    return sdoc[lo:hi].text


_STARTS = DocMemo()  # a place list -> its starts, when in text order


def _places_between(sdoc: Any, places: list[PlaceMention], lo: int, hi: int
                   ) -> list[PlaceMention]:
    """The places whose start lies in chars lo..hi, in list order: two binary searches where
    the list is in text order (as find_places gives it), else a scan. A story's every
    sentence asks (a long story's hundreds of sentences each scanning its hundreds of places
    cost ~7 ms)."""
    memo = _STARTS.of(sdoc)
    got = memo.get(id(places))
    if got is None or got[0] is not places or got[1] != len(places):
        # the list is held, so its id is not reused meanwhile; its length guards a change
        starts = [p.start for p in places]
        got = memo[id(places)] = (places, len(places),
                                  starts if all(a <= b for a, b in pairwise(starts)) else None)
    starts = got[2]
    if starts is None:
        return [p for p in places if lo <= p.start < hi]
    return places[bisect_left(starts, lo):bisect_left(starts, hi)]


def _sentence_candidates(sdoc: Any, sent: Any, places: list[PlaceMention]
                         ) -> list[PlaceMention]:
    in_sent = _places_between(sdoc, places, sent.start_char, sent.end_char)
    taken = [(p.start, p.end) for p in in_sent]
    extra: list[PlaceMention] = []
    run: list[int] = []  # token indices
    lo = sent.start
    table, (proper, articles, hyphens, not_place, not_place_ents) = _name_table(sdoc)
    rows = table[lo:sent.end].tolist()  # per token: tag, idx, space after, orth, lower, ...
    text = parsed_text(sdoc)

    def capital(k: int) -> bool:
        """Whether token k's text opens with a capital (read off the story text when noted:
        it differs from the parse's in odd spaces only, never a token's first letter)."""
        if text is not None:
            return text[rows[k - lo][1]].isupper()
        return sdoc[k].text[:1].isupper()

    def flush() -> None:
        while run and not capital(run[-1]):
            run.pop()  # a run ends on a capitalised name, not a hyphen nor a particle
        if not run:
            return
        first, last = rows[run[0] - lo], rows[run[-1] - lo]
        start, end = first[1], last[1] + last[6]
        if not any(rows[k - lo][5] in not_place_ents for k in run) and not any(
                rows[k - lo][4] in not_place for k in run) and not any(
                s < end and start < e for s, e in taken):
            name = _run_text(sdoc, text, start, end, run[0], run[-1] + 1)
            extra.append(PlaceMention(start, end, name, _resolve_name(name), "PROPN"))
        run.clear()

    for k, (tag, _, space, orth, lower, _, _) in enumerate(rows, lo):
        tagged = tag in proper
        if not (tagged or run):
            continue  # no run open and no NNP/NNPS tag: nothing to do
        propn = tagged and (lower in articles or capital(k))
        if propn and (not run or run[-1] == k - 1):
            run.append(k)
        elif run and orth in hyphens and not space and not rows[run[-1] - lo][2]:
            run.append(k)  # "Al" "-" "Fijah"
        else:
            flush()
            if propn:
                run.append(k)
    flush()
    if not extra:
        return in_sent
    return sorted(in_sent + extra, key=lambda p: p.start)


def _ranked(trigger: Any, candidates: list[PlaceMention]
            ) -> tuple[list[tuple[int, _Candidate]], int]:
    """(rank by tree distance, candidate) of every usable candidate for one trigger, and how
    many of the candidates hang off the trigger's clause."""
    cands = _candidates_of(trigger.doc, candidates)
    n_att = sum(1 for c in {id(c.pm): c for c in cands}.values()
                if c.root is not None and attachment(trigger, c.root) is not None)
    by_dist = sorted(cands, key=lambda c: min(tree_distance(trigger, t) for t in c.toks)
                     if c.toks else 99)
    # a bare proper noun as subject or affiliation is an actor, not a place
    return [(rank, c) for rank, c in enumerate(by_dist) if c.root is not None
            and not (c.pm.label == "PROPN" and not c.admissible)], n_att


def group_rows(trigger: Any, candidates: list[PlaceMention]
               ) -> list[tuple[PlaceMention, dict[str, float]]]:
    """(place, features) of every usable candidate for one trigger."""
    ranked, n_att = _ranked(trigger, candidates)
    trig = _Trigger(trigger)
    out = []
    for rank, c in ranked:
        feats = _features(trig, c, rank, n_att)
        feats[c.admissible_s] = 1.0
        out.append((c.pm, feats))
    return out


class Locator:
    """Conditional-logit chooser among an event's candidate places and "no place", loaded
    from JSON weights (trained by ``dateline.training.locator``)."""

    def __init__(self, weights: dict[str, float], null_shift: float, meta: dict[str, Any]
                 ) -> None:
        self.weights = weights
        self.null_shift = null_shift
        self.meta = meta
        # The no-place option's sentence-word weights by bare word (the model's fixed ~7,300,
        # ~0.7 MiB): a sentence's words are looked up without making "null:w=" + word first.
        self._null_words = {k[7:]: w for k, w in weights.items() if k.startswith("null:w=")}

    def score(self, feats: dict[str, float]) -> float:
        """The linear score of one option (a candidate's or the no-place features)."""
        # the same products summed in the same order as a generator would (same float)
        return sum(map(mul, map(self.weights.get, feats, repeat(0.0)), feats.values()))

    def best(self, trigger: Any, candidates: list[PlaceMention]
             ) -> tuple[PlaceMention, float] | None:
        """The best place and its softmax probability, or None when "no place" wins."""
        ranked, n_att = _ranked(trigger, candidates)
        if not ranked:
            return None
        # Every feature's value is 1.0, so an option's score is the sum of its features'
        # weights, added in the order `score` adds them (w * 1.0 == w: the same float); the
        # rows' names are summed as `group_rows` would list them, without making the dicts.
        get = self.weights.get
        trig = _Trigger(trigger)
        scores = []
        n_attached = 0  # rows attached to the trigger, and whether by a strong preposition
        strong_att = False
        for rank, c in ranked:
            names = _feature_keys(trig, c, rank, n_att)
            names.append(c.admissible_s)
            scores.append(sum(map(get, names, repeat(0.0))))
            att = attachment(trigger, c.root)
            if att is not None:
                n_attached += 1
                strong_att = strong_att or att[1] in _STRONG_LOCATIVE_PREPS
        head = _null_head(trigger, len(ranked), n_attached, strong_att)
        null = sum(chain(map(get, head, repeat(0.0)), self._word_weights(trigger))) \
            + self.null_shift
        k = max(range(len(ranked)), key=scores.__getitem__)
        if scores[k] <= null:
            return None
        top = max(scores[k], null)
        z = sum(math.exp(s - top) for s in scores) + math.exp(null - top)
        return ranked[k][1].pm, math.exp(scores[k] - top) / z

    def _word_weights(self, trigger: Any) -> tuple[float, ...]:
        """The weights of the no-place option's sentence-word features, in the order
        `null_features` lists them (once per sentence: the events of a sentence share them)."""
        lo = sentence_bounds(trigger)[0]
        memo = _SENT_WORDS.of(trigger.doc)
        got = memo.get(("weights", lo))
        if got is None or got[0] is not self:
            got = memo[("weights", lo)] = (self, tuple(map(
                self._null_words.get, _sentence_words(trigger), repeat(0.0))))
        return got[1]


@lru_cache(maxsize=1)
def load_locator() -> Locator | None:
    """The shipped locator, or None when its weights file is absent or of an older kind."""
    path = resources.files("dateline") / "data" / "gazetteer" / MODEL_FILE
    try:
        data = json.loads(path.read_text("utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        return None
    if data.get("kind") != "clogit":
        return None
    return Locator(data["weights"], float(data["null_shift"]), data.get("meta", {}))


if __name__ == "__main__":
    import sys

    from dateline.training.locator import main

    main(sys.argv[1:])
