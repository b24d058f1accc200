"""The shipped event classifier: sentence + marked source/target/trigger -> PLOVER type and mode.

A linear model over sparse word, character and span-relation features, stored as numpy
arrays in ``events/model/`` and scored with numpy alone (no torch, no scikit-learn at run
time). ``dateline train`` rebuilds it (see ``dateline.training``); MODEL_CARD.md has its data,
licences and dev scores.
"""

from __future__ import annotations

import json
import re
import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import chain, pairwise
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from dateline.ontology import cameo_for

NONE = "NONE"
MODEL_DIR = Path(str(resources.files("dateline.events") / "model"))

# Phoenix pentaclass of each PLOVER type (the ConfliBERT cameo_class labels: 0 = statement or
# appeal, CAMEO 01-02; 1 verbal cooperation 03-05; 2 material cooperation 06-08; 3 verbal
# conflict 09-13 and 16; 4 material conflict 14-15, 17-20).
PENTA_OF_TYPE = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1,
    "COOPERATE": 2, "AID": 2, "CONCEDE": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}


@dataclass
class ClassifierInput:
    """One candidate event: a sentence and character spans of its participants and trigger."""

    sentence: str
    source: tuple[int, int] | None = None  # char span of the actor in `sentence`
    target: tuple[int, int] | None = None  # char span of the recipient
    trigger: tuple[int, int] | None = None  # char span of the trigger words, if known
    # Dependency features from the sentence's parse (`parse_features`); None: no parse given,
    # and the model scores the surface features alone.
    syntax: tuple[str, ...] | None = None


@dataclass
class Prediction:
    """The classifier's answer for one input; ``type`` is a PLOVER type or "NONE"."""

    type: str
    mode: str | None
    cameo: str | None
    confidence: float
    probs: dict[str, float] = field(default_factory=dict)
    penta: int | None = None  # Phoenix pentaclass (0 statement/appeal .. 4), from its own head


# ---------------------------------------------------------------- features

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+(?:[.,]\d+)*|[^\w\s]")
_SUFFIXES = ("ings", "ing", "ied", "ies", "ed", "es", "s")
_NEG = frozenset({"not", "no", "never", "n't", "without", "denied", "deny", "denies",
                  "refused", "refuse", "refuses", "nor"})
_BE = frozenset({"was", "were", "been", "being", "is", "are", "be", "got"})
_MODAL = frozenset({"will", "would", "could", "may", "might", "should", "must", "can",
                    "plans", "planned", "threatened", "threatens", "if", "expected"})
# Words whose feature indices one cache keeps: the first ones seen (common words come
# early; ~80 % of lookups hit). Small on purpose: the cache is full within ~30 stories, so a
# long run holds no more than a short one (memory grows with the batch, not the corpus).
_WORD_CACHE = 2_000


# The caches below hold a word each and fill with the corpus's vocabulary: bounded so that a
# long run of new stories holds at most a few MiB more than a short one (~150 B a stem).
@lru_cache(maxsize=16_384)
def _stem(word: str) -> str:
    """A crude suffix stripper: 'arrested' and 'arrests' share 'arrest' (cheap, no lemmatizer)."""
    for suf in _SUFFIXES:
        if len(word) > len(suf) + 3 and word.endswith(suf):
            word = word[: -len(suf)]
            break
    # 'agree'/'agreed' and 'release'/'released' meet at 'agre', 'releas'.
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def _tokens(sentence: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower().replace("’", "'"), m.start(), m.end())
            for m in _TOKEN.finditer(sentence)]


@lru_cache(maxsize=64)
def _sentence_tokens(sentence: str) -> tuple[list[str], list[int], list[int]]:
    """`_tokens` of a sentence as three lists (forms, starts, ends), kept for its other
    candidates: the spans find their tokens by binary search."""
    low = sentence.lower().replace("’", "'")
    if len(low) != len(sentence):  # a letter whose lower case is longer ("İ"): one by one
        toks = _tokens(sentence)
        return [t[0] for t in toks], [t[1] for t in toks], [t[2] for t in toks]
    # Lower-cased once for the sentence and cut at the tokens' offsets: the same forms as
    # `_tokens` (a token's characters lower-case alone, only a Greek sigma, never in a
    # token, looks at its neighbours), one call per token instead of five
    spans = [m.span() for m in _TOKEN.finditer(sentence)]
    return [low[a:b] for a, b in spans], [a for a, _ in spans], [b for _, b in spans]


def features(item: ClassifierInput, lexicon: dict[str, Any] | None = None) -> list[str]:
    """The sparse feature names of one input (training; the model scores the same features
    through their vocabulary indices, see `EventClassifier._indices`)."""
    sink = _Names()
    _emit(item, lexicon, sink)
    return sink.out


class _Names:
    """Where `_emit` writes feature names (training, cross-validation)."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.one = self.out.append
        self.many = self.put = self.out.extend
        self.own = _word_names

    def words(self, prefix: str, words: list[str]) -> None:
        """The own features (`_word_names`) of each word in turn."""
        for w in words:
            self.out.extend(_word_names(prefix, w))

    def lexicon(self, words: list[str], lexicon: dict[str, Any]) -> None:
        self.many(_lexicon_features(words, lexicon))

    def between(self, words: list[str]) -> None:
        """The features of each word between source and target (`_between_names`)."""
        for w in words:
            self.out.extend(_between_names(w))


def _between_names(w: str) -> list[str]:
    """The features of one word between source and target, in order: its form, stem and
    character n-grams, whether it negates, whether it is a modal."""
    out = _word_names("m", w)
    if w[0].isalpha():
        out.append("ms:" + _stem(w))
        out += _word_names("mc", w)
    if w in _NEG:
        out.append("neg:between")
    if w in _MODAL:
        out.append("modal:between")
    return out


def _word_names(prefix: str, w: str) -> list[str]:
    """A word's own feature names: "w" its form and stem, "mc"/"gc" its character n-grams,
    any other prefix the prefixed form."""
    if prefix == "w":
        return ["w:" + w, "st:" + _stem(w)] if w[0].isalpha() else ["w:" + w]
    if prefix in ("mc", "gc"):
        return [f"{prefix}:{g}" for g in _char_ngrams(w)]
    return [f"{prefix}:{w}"]


def _emit(item: ClassifierInput, lexicon: dict[str, Any] | None, sink: Any) -> None:
    """Every feature of one input, in a fixed order, to `sink` (`_Names` or the model's
    index sink): `one(name)`, `many(names)`, `put(own(prefix, w))` for a word's own features
    (`_word_names`, which the index sink caches per word), `between(words)` for the words
    between source and target (`_between_names`, cached per word too) and
    `lexicon(words, lexicon)` for the verb-dictionary hints. The order fixes the order of the float sums when the model
    scores, so scores do not depend on the sink."""
    one, many = sink.one, sink.many
    words, src_words, tgt_words, s_pos, t_pos, trig = _collapse(item)
    sink.words("w", words)
    many([f"b:{a} {b}" for a, b in pairwise(words)]
         + [f"t:{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:])])
    _emit_spans(words, src_words, tgt_words, s_pos, t_pos, trig, lexicon, sink)
    for w in words:
        if w in _NEG:
            one("neg:any")
    if lexicon:
        sink.lexicon(words, lexicon)
    if item.syntax:
        many(item.syntax)


def _collapse(item: ClassifierInput) -> tuple[list[str], list[str], list[str], int, int,
                                               list[str]]:
    """The sentence's words with the marked spans collapsed into role tokens, so that what
    lies between them is visible: a run of source tokens becomes one "<s>", of target tokens
    (outside the source) one "<t>"; trigger tokens (outside both) stay words. Returns
    (words, source words, target words, where the first "<s>" and "<t>" stand (-1: none),
    trigger words)."""
    every, starts, ends = _sentence_tokens(item.sentence)
    ranges = []  # per span, the tokens that overlap it (tokens are sorted and disjoint)
    for span in (item.source, item.target, item.trigger):
        if span is None:
            ranges.append((0, 0))
        else:
            lo = bisect_right(ends, span[0])
            ranges.append((lo, max(lo, bisect_left(starts, span[1]))))
    (s0, s1), (t0, t1), (g0, g1) = ranges
    marks: list[tuple[int, int, str]] = []  # (first token, end token, role token)
    if s1 > s0:
        marks.append((s0, s1, "<s>"))
        if t0 < min(t1, s0):
            marks.append((t0, min(t1, s0), "<t>"))
        if max(t0, s1) < t1:
            marks.append((max(t0, s1), t1, "<t>"))
        marks.sort()
    elif t1 > t0:
        marks.append((t0, t1, "<t>"))
    words: list[str] = []
    s_pos = t_pos = -1  # where the first "<s>" and "<t>" stand in `words`
    pos = 0
    for lo, hi, mark in marks:
        words += every[pos:lo]
        if mark == "<s>":
            s_pos = len(words)
        elif t_pos < 0:
            t_pos = len(words)
        words.append(mark)
        pos = hi
    words += every[pos:]
    src_words = every[s0:s1]
    tgt_words = [w for lo, hi, mark in marks if mark == "<t>" for w in every[lo:hi]]
    trig = [every[k] for k in range(g0, g1) if not (s0 <= k < s1 or t0 <= k < t1)]
    return words, src_words, tgt_words, s_pos, t_pos, trig


def _emit_spans(words: list[str], src_words: list[str], tgt_words: list[str], s_pos: int,
                t_pos: int, trig: list[str], lexicon: dict[str, Any] | None, sink: Any) -> None:
    """The features of `_emit` that read the marked spans: `words` is the sentence with each
    span collapsed to its role token, `s_pos`/`t_pos` where the first of each stands (-1:
    none), `trig` the words marked as the trigger."""
    one, put, own = sink.one, sink.put, sink.own
    for w in src_words[-2:]:
        put(own("sw", w))
    for w in tgt_words[-2:]:
        put(own("tw", w))
    one(f"has:{'S' if s_pos >= 0 else '-'}{'T' if t_pos >= 0 else '-'}")
    if s_pos >= 0 and t_pos >= 0:
        lo, hi = sorted((s_pos, t_pos))
        one("order:" + ("ST" if s_pos < t_pos else "TS"))
        between = words[lo + 1: hi]
        one(f"gap:{min(len(between), 12) // 3}")
        sink.between(between)
        for a, b in pairwise(between):
            one(f"mb:{a} {b}")
    if s_pos >= 0:
        for k, w in enumerate(words[s_pos + 1: s_pos + 4]):
            one(f"as{k}:{w}")
            one("as:" + _stem(w))
    if t_pos >= 0:
        for k, w in enumerate(reversed(words[max(0, t_pos - 3): t_pos])):
            one(f"bt{k}:{w}")
            one("bt:" + _stem(w))
        for w in words[t_pos + 1: t_pos + 3]:
            one("at:" + _stem(w))
    if not trig and lexicon:
        trig = _key_verb(words, s_pos, t_pos, lexicon)
    for w in trig:
        one("g:" + _stem(w))
        put(own("gc", w))
    if lexicon and trig:
        # The trigger's own verb-dictionary types speak louder than any verb in the sentence.
        stem = _stem(trig[0])
        for t in lexicon.get("verbs", {}).get(stem, ()):
            one("gt:" + t)
        g_pos = next((i for i, w in enumerate(words) if w == trig[0]), -1)
        if g_pos >= 0:
            nxt = words[g_pos + 1] if g_pos + 1 < len(words) else "</>"
            one(f"gb:{stem} {nxt}")  # "called for", "pulled out", "sided with"
            if g_pos > 0 and words[g_pos - 1] in _BE:
                one("gpass")
            if "by" in words[g_pos + 1: g_pos + 4]:
                one("gby")
        phrases = lexicon.get("phrases", {})
        for obj in words[g_pos + 1: g_pos + 5] if g_pos >= 0 else ():
            hit = phrases.get(stem + " " + _stem(obj))
            if hit:
                one("gp:" + hit)


def _key_verb(words: list[str], s_pos: int, t_pos: int,
              lexicon: dict[str, Any]) -> list[str]:
    """Without a given trigger: the first dictionary verb after the source (or before the
    target), a cheap stand-in for the parse's trigger."""
    verbs = lexicon.get("verbs", {})
    starts = [p + 1 for p in (s_pos,) if p >= 0] or [0]
    for start in starts:
        for w in words[start: start + 8]:
            if w[0].isalpha() and _stem(w) in verbs:
                return [w]
    if t_pos > 0:
        for w in reversed(words[max(0, t_pos - 6): t_pos]):
            if w[0].isalpha() and _stem(w) in verbs:
                return [w]
    return []


def _char_ngrams(word: str) -> tuple[str, ...]:
    # Not cached: ~13 calls a story (the model's word cache answers the rest), and the
    # n-grams of a word took ~1.3 KB, so a cache of them grew with the corpus by MiBs.
    w = f"<{word}>"
    return tuple(w[i: i + n] for n in (3, 4, 5) for i in range(len(w) - n + 1))


def _lexicon_features(words: list[str], lexicon: dict[str, Any]) -> list[str]:
    """Phoenix verb-dictionary hints: the PLOVER types a verb form (and its object) code to."""
    out: list[str] = []
    verbs = lexicon.get("verbs", {})
    phrases = lexicon.get("phrases", {})
    stems = [_stem(w) for w in words]
    for i, w in enumerate(stems):
        types = verbs.get(w)
        if not types:
            continue
        for t in types:
            out.append("pv:" + t)
        for obj in stems[i + 1: i + 5]:
            hit = phrases.get(w + " " + obj)
            if hit:
                out.append("pp:" + hit)
    return out


# ---------------------------------------------------------------- parse features

_VERBAL = frozenset({"VERB", "AUX"})
_MODAL_AUX = frozenset({"will", "would", "could", "may", "might", "should", "must", "can",
                        "shall"})
_PREPS = frozenset({"prep", "agent", "dative"})


# label / part-of-speech hash -> string (a parser has a few dozen of each): a StringStore
# lookup decodes a new string every time
_LABELS: dict[int, str] = {}


class DocParse:
    """A parsed Doc's tokens read once (one `Doc.to_array`, one list per column): char
    offsets, whitespace flags, heads, labels, lemmas and parts of speech by position, so the
    parse features walk lists instead of building a spaCy Token per step (or reading a
    numpy element, ~10x a list's)."""

    ATTRS = ("IDX", "LENGTH", "IS_SPACE", "HEAD", "DEP", "LEMMA", "POS")
    __slots__ = ("_by_head", "_offsets", "columns", "doc", "heads")

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        table = doc.to_array(self.ATTRS)
        # head offsets are stored as uint64: as int64 they are the signed offsets
        self.heads: list[int] = (np.arange(len(table), dtype=np.int64)
                                 + table[:, 3].astype(np.int64)).tolist()
        self.columns: list[list[int]] = table.T.tolist()  # by ATTRS
        self._by_head: list[int] | None = None
        self._offsets: list[int] | None = None

    def label(self, p: int, column: int) -> str:
        """The string of position p's label (column 4), lemma (5) or part of speech (6); ""
        for none."""
        h = self.columns[column][p]
        got = _LABELS.get(h)
        if got is None:
            got = self.doc.vocab.strings[h]
            if column != 5 and len(_LABELS) < 1_000:  # (labels only: lemmas are many)
                _LABELS[h] = got
        return got

    def lemma_of(self, p: int) -> str:
        """Token.lemma_.lower() of position p."""
        return self.label(p, 5).lower()

    def kids(self, p: int) -> list[int]:
        """Token.children of position p (positions, in order)."""
        if self._by_head is None:
            heads = np.asarray(self.heads, dtype=np.int64)
            # every position sorted by its head (stable: in order within one head)
            self._by_head = np.argsort(heads, kind="stable").tolist()
            self._offsets = [0, *np.cumsum(np.bincount(heads, minlength=len(heads))).tolist()]
        return [k for k in self._by_head[self._offsets[p]:self._offsets[p + 1]] if k != p]


class SentenceTokens:
    """A parsed sentence's non-space tokens (positions, char spans, heads, root) on its
    Doc's `DocParse`, for all its candidates: reading them through Tokens would build a new
    Token per word for every candidate."""

    __slots__ = ("_root", "ends", "heads", "parse", "parsed", "positions", "starts")

    def __init__(self, parse: DocParse, start: int, end: int) -> None:
        """Tokens start..end of the Doc of `parse`."""
        idx, length, space = parse.columns[0], parse.columns[1], parse.columns[2]
        self.parse = parse
        self.positions = [p for p in range(start, end) if not space[p]]
        self.starts = [idx[p] for p in self.positions]
        self.ends = [idx[p] + length[p] for p in self.positions]
        self.heads = [parse.heads[p] for p in self.positions]
        self.parsed = bool(self.positions) and parse.columns[4][self.positions[0]] != 0
        self._root: int | None = None

    @property
    def root(self) -> int | None:
        """The first token that is its own head (else the first token); None when empty."""
        if self._root is None and self.positions:
            self._root = next((p for p, h in zip(self.positions, self.heads) if p == h),
                              self.positions[0])
        return self._root

    @classmethod
    def of(cls, tokens: Any) -> SentenceTokens:
        """The tokens of a parsed Span or Doc."""
        if hasattr(tokens, "doc") and tokens.doc is not tokens:  # a Span
            return cls(DocParse(tokens.doc), tokens.start, tokens.end)
        return cls(DocParse(tokens), 0, len(tokens))

    def head_of(self, a: int, b: int) -> int | None:
        """The syntactic head of the tokens inside char span [a, b) (a position): the last
        one whose head lies outside the span (the noun of "the Mexican police")."""
        # the tokens overlapping [a, b) are a run (spans are sorted and disjoint)
        lo = bisect_right(self.ends, a)
        inside = range(lo, max(lo, bisect_left(self.starts, b)))
        if not inside:
            return None
        pos, heads = self.positions, self.heads
        ids = {pos[k] for k in inside}
        tops = [k for k in inside if heads[k] not in ids or heads[k] == pos[k]]
        return pos[(tops or inside)[-1]]


def _ancestors(parse: DocParse, p: int) -> list[int]:
    heads = parse.heads
    out = []
    while heads[p] != p and len(out) < 40:
        p = heads[p]
        out.append(p)
    return out


def _step(parse: DocParse, p: int) -> str:
    """One edge of a path: its label, with the preposition's word ("prep_on")."""
    dep = parse.label(p, 4)
    return f"{dep}_{parse.lemma_of(p)}" if dep in _PREPS else dep


def _path_up(parse: DocParse, p: int | None, anchor: int) -> str:
    """The labels from `p` up to `anchor` ("nsubj", "pobj<prep_on"), or a fallback."""
    if p is None:
        return "none"
    if p == anchor:
        return "self"
    heads = parse.heads
    steps = []
    while p != anchor:
        if heads[p] == p or len(steps) >= 4:
            return "far"
        steps.append(_step(parse, p))
        p = heads[p]
    return "<".join(steps)


def _derived_trigger(tokens: SentenceTokens, sh: int | None, th: int | None) -> int:
    """The word that relates the marked pair: the lowest common ancestor of source and
    target heads, else the nearest verb above the one head there is (the same rule at
    training time, where PLV gives no trigger, and at run time)."""
    parse = tokens.parse
    if sh is not None and th is not None:
        t_up = {th, *_ancestors(parse, th)}
        lca = next((t for t in [sh, *_ancestors(parse, sh)] if t in t_up), None)
        if lca is not None and lca not in (sh, th):
            return lca
        if lca is not None:
            sh = lca  # one dominates the other: the verb above the pair
        th = None
    h = sh if sh is not None else th
    if h is None:
        return tokens.root
    ups = _ancestors(parse, h)
    return next((t for t in ups if parse.label(t, 6) in _VERBAL), ups[0] if ups else h)


def _pair_heads(tokens: SentenceTokens, source: tuple[int, int] | None,
                target: tuple[int, int] | None,
                base: int) -> tuple[int | None, int | None, int] | None:
    """(source head, target head, derived trigger) positions; None when not parsed."""
    if not tokens.parsed:
        return None
    sh = tokens.head_of(base + source[0], base + source[1]) if source else None
    th = tokens.head_of(base + target[0], base + target[1]) if target else None
    return sh, th, _derived_trigger(tokens, sh, th)


def derived_trigger(tokens: Any, source: tuple[int, int] | None,
                    target: tuple[int, int] | None, base: int = 0) -> tuple[int, int] | None:
    """Char span (relative to `base`) of the word parse_features reads as the trigger."""
    if not isinstance(tokens, SentenceTokens):
        tokens = SentenceTokens.of(tokens)
    found = _pair_heads(tokens, source, target, base)
    if found is None:
        return None
    g = found[2]
    start = tokens.parse.columns[0][g] - base
    return start, start + tokens.parse.columns[1][g]


def parse_features(tokens: Any, source: tuple[int, int] | None,
                   target: tuple[int, int] | None, base: int = 0) -> tuple[str, ...]:
    """Dependency features of a marked pair from its sentence's parse (a parsed Span or
    Doc, or its `SentenceTokens`); `source`/`target` are char spans relative to char `base`
    of the Doc.

    The one place these features are made, for training and for the coder alike: the
    derived trigger, the paths from source and target heads to it, its governing verb, its
    object, particle, prepositions and negation/modal children. () when not parsed. (Read on
    the Doc's table by position; the Token reading it equals is the definition in
    tests/events/test_events_sentence_tokens.py.)
    """
    if not isinstance(tokens, SentenceTokens):
        tokens = SentenceTokens.of(tokens)
    found = _pair_heads(tokens, source, target, base)
    if found is None:
        return ()
    sh, th, g = found
    parse = tokens.parse
    label, kids = parse.label, parse.kids
    lem = parse.lemma_of(g)
    sp, tp = _path_up(parse, sh, g), _path_up(parse, th, g)
    out = [f"sx:a:{lem}", f"sx:ap:{label(g, 6)}", f"sx:sp:{sp}", f"sx:tp:{tp}",
           f"sx:asp:{lem}|{sp}", f"sx:atp:{lem}|{tp}",
           f"sx:sr:{_step(parse, sh) if sh is not None else 'none'}",
           f"sx:tr:{_step(parse, th) if th is not None else 'none'}"]
    # The governing verb: "vowed to attack", "urged X to withdraw", "threatened sanctions".
    gov = next((t for t in _ancestors(parse, g) if label(t, 6) in _VERBAL), None)
    if gov is not None:
        glem = parse.lemma_of(gov)
        out += [f"sx:gv:{glem}", f"sx:gva:{glem}|{label(g, 4)}|{lem}"]
    else:
        out.append(f"sx:gd:{label(g, 4)}")
    for c in kids(g):
        dep = label(c, 4)
        clem = parse.lemma_of(c)
        if dep == "neg":
            out.append("sx:neg")
        elif dep == "auxpass":
            out.append("sx:pass")
        elif dep == "aux" and clem in _MODAL_AUX:
            out.append(f"sx:aux:{clem}")
        elif dep in ("dobj", "attr", "oprd"):
            # a marked party as the object is its role, not a word ("accused <t>")
            if c == th:
                clem = "<t>"
            elif c == sh:
                clem = "<s>"
            out += [f"sx:obj:{clem}", f"sx:ao:{lem}|{clem}"]
        elif dep == "prt":
            out.append(f"sx:prt:{lem}|{clem}")
        elif dep == "xcomp":
            out.append(f"sx:xc:{lem}|{clem}")
        elif dep in _PREPS:
            out.append(f"sx:pr:{lem}|{clem}")
    if gov is not None and any(label(c, 4) == "neg" for c in kids(gov)):
        out.append("sx:gneg")
    return tuple(out)


def with_parse(items: list[ClassifierInput],
               docs: list[Any] | None = None) -> list[ClassifierInput]:
    """Copies of `items` carrying `syntax`, from `docs` (one parsed Doc per item, e.g. a
    cache) or else from a dateline.nlp parse of each sentence (used where no coder parse
    exists: training, cross-validation, `evaluate --format plv`)."""
    from dataclasses import replace

    if docs is None:
        from dateline import nlp

        unique = list(dict.fromkeys(it.sentence for it in items))
        parsed = dict(zip(unique, nlp.parse_many(unique, ner="none")))
        docs = [parsed[it.sentence] for it in items]
    return [replace(it, syntax=parse_features(doc, it.source, it.target))
            for it, doc in zip(items, docs)]


_CAPS = re.compile(r"\b[A-Z][\w.'’-]*(?:\s+(?:of\s+)?[A-Z][\w.'’-]*)*")


def mark_capitalised(sentence: str) -> ClassifierInput:
    """An input for unmarked text: the first and last capitalised runs as source and target.

    Used where no participant spans are known (cameo_class sentences, headlines); the model
    learned these inputs the same way.
    """
    runs = [m.span() for m in _CAPS.finditer(sentence) if m.end() - m.start() > 1]
    # A short capitalised word at the start ("The", "In") is not a participant.
    runs = [r for r in runs
            if not (r[0] == 0 and r[1] - r[0] < 5 and " " not in sentence[r[0]:r[1]])]
    src = runs[0] if runs else None
    tgt = runs[-1] if len(runs) > 1 else None
    return ClassifierInput(sentence, source=src, target=tgt)


# ---------------------------------------------------------------- model

class _Indices:
    """Where `_emit` writes the vocabulary indices of the features the model knows."""

    def __init__(self, model: EventClassifier) -> None:
        self.out: list[int] = []
        self.put = self.out.extend
        self.own = model._word_ids
        self._get = model.vocab.get
        self._lexicon_ids = model._lexicon_ids
        self._cache = model._word_cache

    def one(self, name: str) -> None:
        i = self._get(name)
        if i is not None:
            self.out.append(i)

    def many(self, names: list[str]) -> None:
        # one pass of map: no Python call per name
        self.out.extend([i for i in map(self._get, names) if i is not None])

    def lexicon(self, words: list[str], _lexicon: dict[str, Any]) -> None:
        self.out.extend(self._lexicon_ids(words))

    def between(self, words: list[str]) -> None:
        """The indices of `_between_names` of each word in turn, cached per word."""
        cache = self._cache.get("between")
        if cache is None:
            self._cache["between"] = cache = {}
        get, put = cache.get, self.put
        for w in words:
            hit = get(w)
            if hit is None:
                hit = tuple([i for i in map(self._get, _between_names(w)) if i is not None])
                if len(cache) < _WORD_CACHE:
                    cache[w] = hit
            put(hit)

    def words(self, prefix: str, words: list[str]) -> None:
        """`put(own(prefix, w))` for each word in turn, with one call for all the words the
        cache holds."""
        cache = self._cache.get(prefix)
        if cache is None:
            self._cache[prefix] = cache = {}
        hits = [cache.get(w) for w in words]
        if None in hits:
            hits = [hit if hit is not None else self.own(prefix, w)
                    for w, hit in zip(words, hits)]
        self.put(chain.from_iterable(hits))  # one extend for all the words, in order


class EventClassifier:
    """A linear model over hashed-free named features, scored with numpy; load() caches it."""

    _cache: ClassVar[dict[str, EventClassifier]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, vocab: dict[str, int], heads: dict[str, dict[str, Any]],
                 meta: dict[str, Any], lexicon: dict[str, Any] | None = None) -> None:
        self.vocab = vocab
        self.heads = heads  # name -> {"classes": [...], "W": (n_feat, n_cls), "b": (n_cls,)}
        self.meta = meta
        self.lexicon = lexicon or {}
        self.classes: list[str] = list(heads["type"]["classes"])
        self._word_cache: dict[str, dict[str, tuple[int, ...]]] = {}  # see _word_ids
        # The dictionary's verb phrases ("impose sanction" -> SANCTION) by verb stem, each
        # object stem to the index of its "pp:" feature: `_lexicon_ids` then builds no
        # string per word pair (a phrase whose feature the model lacks is left out)
        self._phrases: dict[str, dict[str, int]] = {}
        for phrase, etype in self.lexicon.get("phrases", {}).items():
            parts = phrase.split(" ")
            i = self.vocab.get("pp:" + etype) if etype else None
            if len(parts) == 2 and i is not None:  # stems hold no spaces: no other matches
                self._phrases.setdefault(parts[0], {})[parts[1]] = i
        self.mode_heads = {name.split(":", 1)[1]: head for name, head in heads.items()
                           if name.startswith("mode:")}
        # All heads side by side: one gather of the feature rows scores every head at once.
        # The type and penta heads come first: `predict` reads only their columns for every
        # candidate (fewer memory lines per row) and a mode head only for its own type.
        order = [n for n in ("type", "penta") if n in heads]
        order += [n for n in heads if n not in order]
        self._cols: dict[str, slice] = {}
        start = 0
        for name in order:
            width = len(heads[name]["classes"])
            self._cols[name] = slice(start, start + width)
            start += width
        self._main = slice(0, self._cols[order[1] if "penta" in heads else "type"].stop)
        # Stored as two arrays: the rows `predict` gathers for every candidate are then
        # short and contiguous (the mode heads are read for a few candidates each)
        self._W_main = np.hstack([np.asarray(heads[n]["W"], np.float32) for n in order
                                  if self._cols[n].stop <= self._main.stop])
        self._W_rest = np.hstack([np.asarray(heads[n]["W"], np.float32) for n in order
                                  if self._cols[n].stop > self._main.stop]
                                 or [np.zeros((len(vocab), 0), np.float32)])
        self._b = np.concatenate([np.asarray(heads[n]["b"], np.float32) for n in order])
        # A head may use its own part of the vocabulary and weigh feature groups ("sq": the
        # squared value of each feature in that head, 0 outside it; W rows already carry the
        # value): its l2 normalisation then counts its own active features only.
        # Heads that share one vocabulary (the penta and mode heads) share one normalisation.
        self._masked: list[tuple[list[slice], np.ndarray]] = []
        for name, h in heads.items():
            if h.get("sq") is None:
                continue
            sq = np.asarray(h["sq"], np.float32)
            same = next((m for m in self._masked if np.array_equal(m[1], sq)), None)
            if same is None:
                self._masked.append(([self._cols[name]], sq))
            else:
                same[0].append(self._cols[name])
        # Whether the type head reads parse features: callers then pass `syntax`.
        self.uses_syntax = bool(meta.get("training", {}).get("syntax"))

    # -- persistence
    @classmethod
    def load(cls, path: str | Path | None = None) -> EventClassifier:
        """Load a model folder (default: the shipped one), once per process."""
        folder = Path(path) if path is not None else MODEL_DIR
        key = str(folder.resolve())
        with cls._lock:
            if key not in cls._cache:
                cls._cache[key] = cls._read(folder)
            return cls._cache[key]

    @classmethod
    def _read(cls, folder: Path) -> EventClassifier:
        """The model in ``folder``, from the start-up cache while its files and this module
        are unchanged: unpickling the built model costs ~1/3 of building it (~0.6 CPU s
        from the files, every worker of every run)."""
        from dateline.context.cache import cached, key_of

        meta_path = folder / "model.json"
        if not meta_path.is_file():
            raise FileNotFoundError(f"no event model at {folder} (run `dateline train`)")
        files = ("model.json", "weights.npz", "vocab.txt", "lexicon.json")
        key = key_of([Path(__file__).read_bytes(), np.__version__]
                     + [name.encode() + ((folder / name).read_bytes()
                                         if (folder / name).is_file() else b"-")
                        for name in files])

        def build() -> EventClassifier:
            meta = json.loads(meta_path.read_text("utf-8"))
            arrays = np.load(folder / "weights.npz", allow_pickle=False)
            vocab_list = (folder / "vocab.txt").read_text("utf-8").split("\n")
            vocab = {name: i for i, name in enumerate(vocab_list) if name}
            heads = {}
            for name, classes in meta["heads"].items():
                safe = name.replace(":", "__")
                # W stays float16 as stored (half the memory): scoring reads the float32
                # copy that __init__ stacks, the same values.
                heads[name] = {"classes": classes, "W": arrays[f"{safe}_W"],
                               "b": arrays[f"{safe}_b"].astype(np.float32)}
                if f"{safe}_sq" in arrays:
                    heads[name]["sq"] = arrays[f"{safe}_sq"].astype(np.float32)
            lexicon = None
            lex_path = folder / "lexicon.json"
            if lex_path.is_file():
                lexicon = json.loads(lex_path.read_text("utf-8"))
            return cls(vocab, heads, meta, lexicon)

        # One cache file per model folder: a user's model does not evict the shipped one's;
        # the four most recently used folders' files are kept.
        return cached("classifier-" + key_of([str(folder.resolve())])[:8], key, build,
                      family="classifier-", keep=4)

    def save(self, folder: str | Path) -> None:
        """Write the model as model.json + weights.npz + vocab.txt (+ lexicon.json)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for name, head in self.heads.items():
            safe = name.replace(":", "__")
            # float16 halves the size; the scores change by well under 1e-3.
            arrays[f"{safe}_W"] = head["W"].astype(np.float16)
            arrays[f"{safe}_b"] = head["b"].astype(np.float32)
            if head.get("sq") is not None:
                # Squared group scales (0, 0.25, 1, 4 ...) are exact in float16.
                arrays[f"{safe}_sq"] = np.asarray(head["sq"]).astype(np.float16)
        np.savez_compressed(folder / "weights.npz", **arrays)
        names = [""] * len(self.vocab)
        for name, i in self.vocab.items():
            names[i] = name
        (folder / "vocab.txt").write_text("\n".join(names), "utf-8")
        meta = dict(self.meta)
        meta["heads"] = {name: list(head["classes"]) for name, head in self.heads.items()}
        (folder / "model.json").write_text(json.dumps(meta, indent=1, sort_keys=True), "utf-8")
        if self.lexicon:
            (folder / "lexicon.json").write_text(json.dumps(self.lexicon, sort_keys=True),
                                                 "utf-8")

    # -- scoring
    def _raw_scores(self, items: list[ClassifierInput]) -> np.ndarray:
        """Linear scores of every head: (n_items, all columns)."""
        idx, lengths = self._active(items)
        return self._linear(idx, lengths, slice(0, len(self._b)))

    def _active(self, items: list[ClassifierInput]) -> tuple[np.ndarray, np.ndarray]:
        """Every item's active feature indices, back to back, and how many each has."""
        # A set filled in the order `features` names them: its order fixes the order of the
        # float sums in `_linear`, so scores stay bit-identical to the string path's
        rows = [set(self._indices(item)) for item in items]
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        flat: list[int] = []
        for r in rows:
            flat.extend(r)
        return np.array(flat, dtype=np.int64), lengths

    def _linear(self, idx: np.ndarray, lengths: np.ndarray, cols: slice) -> np.ndarray:
        """Linear scores of the columns `cols` (a slice of the heads side by side) for items
        whose active indices lie back to back in `idx`: (len(lengths), width)."""
        out = np.tile(self._b[cols], (len(lengths), 1))
        nonempty = np.flatnonzero(lengths)
        if len(nonempty):
            starts = np.concatenate([[0], np.cumsum(lengths[nonempty])[:-1]])
            sums = np.add.reduceat(self._rows(idx, cols), starts, axis=0)
            # l2-normalised binary features, as in training: each active feature = 1/sqrt(k).
            norm = np.sqrt(lengths[nonempty])
            out[nonempty] += sums / norm[:, None]
            for group, sq in self._masked:
                parts: list[slice] = []  # the group's columns here, adjacent heads merged
                for c in sorted(group, key=lambda c: c.start):
                    if c.start < cols.start or c.stop > cols.stop:
                        continue
                    if parts and parts[-1].stop == c.start:
                        parts[-1] = slice(parts[-1].start, c.stop)
                    else:
                        parts.append(c)
                if not parts:
                    continue
                # The norm of a head with its own vocabulary: its active features only.
                own = np.add.reduceat(sq[idx], starts)
                scale = np.where(own > 0, norm / np.sqrt(np.maximum(own, 1.0)), 0.0)
                for c in parts:
                    here = slice(c.start - cols.start, c.stop - cols.start)
                    out[nonempty, here] = (out[nonempty, here] - self._b[c]) \
                        * scale[:, None] + self._b[c]
        return out

    def _rows(self, idx: np.ndarray, cols: slice) -> np.ndarray:
        """Rows `idx` of the weights, columns `cols` (of all heads side by side)."""
        m = self._main.stop
        if cols.stop <= m:
            rows = np.take(self._W_main, idx, axis=0)
            return rows if cols == slice(0, m) else rows[:, cols]
        if cols.start >= m:
            rows = np.take(self._W_rest, idx, axis=0)
            return rows if cols == slice(m, len(self._b)) else rows[:, cols.start - m:cols.stop - m]
        return np.hstack([self._rows(idx, slice(cols.start, m)),
                          self._rows(idx, slice(m, cols.stop))])

    def _word_ids(self, prefix: str, word: str) -> tuple[int, ...]:
        """Indices of one word's own features (`_word_names`), cached per word."""
        cache = self._word_cache.get(prefix)
        if cache is None:
            cache = self._word_cache[prefix] = {}
        hit = cache.get(word)
        if hit is None:
            hit = tuple([i for i in map(self.vocab.get, _word_names(prefix, word))
                         if i is not None])
            if len(cache) < _WORD_CACHE:
                cache[word] = hit
        return hit

    def _indices(self, item: ClassifierInput) -> list[int]:
        """The vocabulary indices of `features(item, self.lexicon)`, in the same order,
        without building most of their names (a word's own features are cached per word).
        Order matters: it fixes the order of the float sums (tests/events check it)."""
        sink = _Indices(self)
        _emit(item, self.lexicon, sink)
        return sink.out

    def _lexicon_ids(self, words: list[str]) -> list[int]:
        """Indices of `_lexicon_features(words, self.lexicon)`, in order; a word's stem and
        its "pv:" indices are cached per word."""
        cache = self._word_cache.get("pv")
        if cache is None:
            cache = self._word_cache["pv"] = {}
        verbs = self.lexicon.get("verbs", {})
        get = self.vocab.get
        phrases = self._phrases
        per_word = [cache.get(w) for w in words]  # the cached words in one pass
        if None in per_word:
            for k, w in enumerate(words):
                if per_word[k] is None:
                    stem = _stem(w)
                    types = verbs.get(stem)
                    pv = [get("pv:" + t) for t in types] if types else []
                    hit = per_word[k] = (stem, bool(types), tuple(i for i in pv if i is not None))
                    if len(cache) < _WORD_CACHE:
                        cache[w] = hit
        out: list[int] = []
        # the few dictionary verbs (a sentence has ~2 in ~30 words), found in one pass
        for k in [k for k, hit in enumerate(per_word) if hit[1]]:
            stem, _, pv = per_word[k]
            out.extend(pv)
            objects = phrases.get(stem)
            if objects:
                for obj, _, _ in per_word[k + 1: k + 5]:
                    i = objects.get(obj)
                    if i is not None:
                        out.append(i)
        return out

    @staticmethod
    def _softmax(z: np.ndarray) -> np.ndarray:
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def probabilities(self, items: list[ClassifierInput], head: str = "type") -> np.ndarray:
        """Class probabilities of one head (rows follow ``self.heads[head]['classes']``)."""
        if not items:
            return np.zeros((0, len(self.heads[head]["classes"])), np.float32)
        return self._softmax(self._raw_scores(items)[:, self._cols[head]])

    def predict(self, items: list[ClassifierInput]) -> list[Prediction]:
        """Classify a batch of candidates; one Prediction per input, in order."""
        if not items:
            return []
        idx, lengths = self._active(items)
        main = self._linear(idx, lengths, self._main)  # the type and penta heads
        probs = self._softmax(main[:, self._cols["type"]])
        penta = None
        if "penta" in self.heads:
            penta_classes = self.heads["penta"]["classes"]
            penta = [int(penta_classes[j])
                     for j in main[:, self._cols["penta"]].argmax(axis=1).tolist()]
        best = probs.argmax(axis=1).tolist()
        types = [self.classes[j] for j in best]
        # the mode heads score only the candidates of a type that has one (each reads its own)
        modes: list[str | None] = [None] * len(items)
        which = [i for i, t in enumerate(types) if t in self.mode_heads]
        if which:
            chosen = np.zeros(len(items), dtype=bool)
            chosen[which] = True
            sub = idx[np.repeat(chosen, lengths)]  # their indices, back to back, in order
            m = self._main.stop
            scores = self._linear(sub, lengths[which], slice(m, len(self._b)))
            # one argmax per mode head over its own candidates' rows (numpy's, as before)
            rows_of: dict[str, list[int]] = {}
            for k, i in enumerate(which):
                rows_of.setdefault(types[i], []).append(k)
            for etype, rows in rows_of.items():
                cols = self._cols["mode:" + etype]
                classes = self.mode_heads[etype]["classes"]
                picks = scores[rows, cols.start - m:cols.stop - m].argmax(axis=1).tolist()
                for k, j in zip(rows, picks):
                    modes[which[k]] = classes[j] or None
        out = []
        # float32 to Python floats in one call per batch (the same values float() gives)
        for i, (etype, row) in enumerate(zip(types, probs.tolist())):
            mode = modes[i]
            cameo = None if etype == NONE else cameo_for(etype, mode)
            out.append(Prediction(
                type=etype, mode=mode, cameo=cameo, confidence=row[best[i]],
                probs=dict(zip(self.classes, row)),
                penta=penta[i] if penta is not None else None))
        return out


def quad_class_of(prediction: Prediction) -> int | None:
    """POLECAT quad class of a prediction (None for NONE)."""
    from dateline.ontology import quad_class

    return None if prediction.type == NONE else quad_class(prediction.type)


def penta_class_of(prediction: Prediction) -> int | None:
    """Phoenix pentaclass (cameo_class label) of a prediction: its own head, else by type."""
    if prediction.penta is not None:
        return prediction.penta
    return PENTA_OF_TYPE.get(prediction.type)
