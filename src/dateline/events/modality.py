"""Is the event asserted as fact? Negation, hypothesis/condition, future intent, reported speech.

Works on the dependency parse around the trigger; `historical` is left to the date stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dateline.records import Modality

_NEG_WORDS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
# Governing verbs that negate what they govern: "denied meeting", "refused to sign".
_NEG_GOVERNORS = frozenset({"deny", "refuse", "decline", "fail", "reject", "avoid", "rule"})
_HYPO_MODALS = frozenset({"would", "could", "might", "may", "should", "can", "must", "ought"})
_FUTURE_MODALS = frozenset({"will", "shall", "'ll", "wo"})
# Governing verbs whose complement has not (yet) happened.
_HYPO_GOVERNORS = frozenset({"threaten", "warn", "consider", "propose", "want", "wish", "seek",
                             "hope", "try", "attempt", "urge", "call", "ask", "demand",
                             "offer", "suggest", "could", "need", "vow", "pledge"})
_FUTURE_GOVERNORS = frozenset({"plan", "intend", "expect", "schedule", "prepare", "aim",
                               "promise", "agree", "set", "go", "decide", "due"})
_CONDITION_MARKS = frozenset({"if", "unless", "whether", "lest"})
SPEECH_VERBS = frozenset({"say", "tell", "claim", "allege", "report", "insist", "state",
                          "announce", "add", "assert", "argue", "accuse", "charge",
                          "suggest", "believe", "think", "write", "warn", "told", "said",
                          "indicate", "explain", "emphasize", "emphasise", "stress",
                          "highlight", "note", "acknowledge", "confirm", "deny"})


@dataclass
class Reading:
    modality: Modality
    reported_by: object | None = None  # the speech verb token whose complement holds the event
    quoted: bool = False


def _lemma(tok) -> str:
    return (tok.lemma_ or tok.lower_).lower()


def _governors(tok, limit: int = 4):
    """The chain of verbs that govern a trigger through complements (xcomp, ccomp, dobj...)."""
    t = tok
    for _ in range(limit):
        if t.head.i == t.i:  # spaCy makes a new Token object on every access: compare .i
            return
        dep = t.dep_
        t = t.head
        yield dep, t
        if dep not in _CHAIN:
            return


_CHAIN = frozenset({"xcomp", "dobj", "pobj", "prep", "pcomp", "conj", "ccomp", "nsubjpass",
                    "attr", "acomp", "advcl", "oprd"})  # complements `_governors` climbs


def read(trigger, quote_spans: list[tuple[int, int]] | None = None,
         words: Any = None) -> Reading:
    """Modality of the event whose trigger is `trigger` (a spaCy token). `words`: its
    sentence's word table (events.extract._Words), read instead of Tokens where given."""
    if words is not None:
        words._tree()
        if words.closed:
            return _read_words(trigger, quote_spans, words)
    mod = Modality()
    reading = Reading(mod)
    clause = [trigger]
    # a noun trigger's clause is its governing verb's ("did not hold talks")
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "nsubjpass", "attr"):
        clause.append(trigger.head)
    if trigger.dep_ == "conj" and trigger.head.pos_ in ("VERB", "AUX"):
        clause.append(trigger.head)  # "will meet and sign": the aux hangs off the first verb
    for t in clause:
        for c in t.children:
            low, dep = c.lower_, c.dep_  # read once: each read looks the string up again
            if dep == "neg" or (dep == "det" and low == "no") or \
                    (dep == "advmod" and low in ("never", "not")):
                mod.negated = True
            if dep == "aux" or c.tag_ == "MD":
                if low in _FUTURE_MODALS:
                    mod.future = True
                elif low in _HYPO_MODALS:
                    mod.hypothetical = True
            if dep == "mark" and low in _CONDITION_MARKS:
                mod.hypothetical = True
            if dep == "advcl" and any(g.dep_ == "mark" and g.lower_ in _CONDITION_MARKS
                                      for g in c.children):
                mod.hypothetical = True  # "X could impose tariffs if ..."
    for dep, gov in _governors(clause[-1]):
        lemma = _lemma(gov)
        if gov.pos_ not in ("VERB", "AUX", "ADJ"):
            continue
        if dep == "ccomp" and lemma in SPEECH_VERBS:
            reading.reported_by = gov
            break
        if lemma in _NEG_GOVERNORS or any(c.dep_ == "neg" for c in gov.children):
            # "refused to meet", "did not agree to meet"
            mod.negated = mod.negated or lemma in _NEG_GOVERNORS or dep in ("xcomp", "dobj")
        if lemma in _HYPO_GOVERNORS and dep in ("xcomp", "dobj", "ccomp"):
            mod.hypothetical = True
        if lemma in _FUTURE_GOVERNORS and dep in ("xcomp", "ccomp"):
            mod.future = True
        if lemma == "be" and dep == "xcomp":  # "is to meet"
            mod.future = True
        for c in gov.children:
            if c.dep_ in ("aux", "auxpass") or c.tag_ == "MD":
                low = c.lower_
                if low in _FUTURE_MODALS:
                    mod.future = True
                elif low in _HYPO_MODALS:
                    mod.hypothetical = True
        if dep not in ("xcomp", "conj"):
            break
    if quote_spans:
        pos = trigger.idx
        reading.quoted = any(s <= pos < e for s, e in quote_spans)
    return reading


def _read_words(trigger, quote_spans: list[tuple[int, int]] | None, words: Any) -> Reading:
    """`read` from the sentence's word table: the same steps over sentence positions (a Token
    built per child and per label read made most of its cost)."""
    mod = Modality()
    reading = Reading(mod)
    kids, dep, heads, low, lemmas = words.kids, words.dep, words.heads, words.lower, words.lemma
    k = trigger.i - words.start
    clause = [k]
    if words.pos(k) in ("NOUN", "PROPN") and dep[k] in ("dobj", "nsubjpass", "attr"):
        clause.append(heads[k])
    if dep[k] == "conj" and words.pos(heads[k]) in ("VERB", "AUX"):
        clause.append(heads[k])
    for t in clause:
        for c in kids[t]:
            lc, dc = low[c], dep[c]
            if dc == "neg" or (dc == "det" and lc == "no") or \
                    (dc == "advmod" and lc in ("never", "not")):
                mod.negated = True
            if dc == "aux" or words.tag(c) == "MD":
                if lc in _FUTURE_MODALS:
                    mod.future = True
                elif lc in _HYPO_MODALS:
                    mod.hypothetical = True
            if dc == "mark" and lc in _CONDITION_MARKS:
                mod.hypothetical = True
            if dc == "advcl" and any(dep[g] == "mark" and low[g] in _CONDITION_MARKS
                                     for g in kids[c]):
                mod.hypothetical = True
    t = clause[-1]
    for _ in range(4):  # `_governors`
        if heads[t] == t:
            break
        d = dep[t]
        gov = t = heads[t]
        lemma = lemmas[gov] or low[gov].lower()
        if words.pos(gov) in ("VERB", "AUX", "ADJ"):
            if d == "ccomp" and lemma in SPEECH_VERBS:
                reading.reported_by = words.doc[words.start + gov]
                break
            if lemma in _NEG_GOVERNORS or any(dep[c] == "neg" for c in kids[gov]):
                mod.negated = mod.negated or lemma in _NEG_GOVERNORS or d in ("xcomp", "dobj")
            if lemma in _HYPO_GOVERNORS and d in ("xcomp", "dobj", "ccomp"):
                mod.hypothetical = True
            if lemma in _FUTURE_GOVERNORS and d in ("xcomp", "ccomp"):
                mod.future = True
            if lemma == "be" and d == "xcomp":
                mod.future = True
            for c in kids[gov]:
                if dep[c] in ("aux", "auxpass") or words.tag(c) == "MD":
                    lc = low[c]
                    if lc in _FUTURE_MODALS:
                        mod.future = True
                    elif lc in _HYPO_MODALS:
                        mod.hypothetical = True
            if d not in ("xcomp", "conj"):
                break
        if d not in _CHAIN:
            break
    if quote_spans:
        pos = trigger.idx
        reading.quoted = any(s <= pos < e for s, e in quote_spans)
    return reading
