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


# The complements the reading climbs from a trigger to the verbs that govern it.
_CHAIN = frozenset({"xcomp", "dobj", "pobj", "prep", "pcomp", "conj", "ccomp", "nsubjpass",
                    "attr", "acomp", "advcl", "oprd"})


def read(trigger, quote_spans: list[tuple[int, int]] | None = None,
         words: Any = None) -> Reading:
    """Modality of the event whose trigger is `trigger` (a spaCy token). `words`: its
    sentence's word table (events.extract._Words), as the events stage has it; without one,
    the trigger's own sentence's is read, or the whole story's where that tree leaves it."""
    from dateline.events.extract import _words_for  # extract imports this module

    return _read_words(trigger, quote_spans, _words_for(trigger, words))


def _read_words(trigger, quote_spans: list[tuple[int, int]] | None, words: Any) -> Reading:
    """`read` over a word table, in table positions (reading spaCy Tokens instead, a Token
    built per child and per label read made most of its cost; the Token reading it equals is
    kept in tests/events/test_events_sentence_words.py)."""
    mod = Modality()
    reading = Reading(mod)
    kids, dep, heads, low, lemmas = words.kids, words.dep, words.heads, words.lower, words.lemma
    k = trigger.i - words.start
    clause = [k]
    # a noun trigger's clause is its governing verb's ("did not hold talks")
    if words.pos(k) in ("NOUN", "PROPN") and dep[k] in ("dobj", "nsubjpass", "attr"):
        clause.append(heads[k])
    if dep[k] == "conj" and words.pos(heads[k]) in ("VERB", "AUX"):
        clause.append(heads[k])  # "will meet and sign": the aux hangs off the first verb
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
                mod.hypothetical = True  # "X could impose tariffs if ..."
    t = clause[-1]
    for _ in range(4):  # up to four governing verbs
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
                # "refused to meet", "did not agree to meet"
                mod.negated = mod.negated or lemma in _NEG_GOVERNORS or d in ("xcomp", "dobj")
            if lemma in _HYPO_GOVERNORS and d in ("xcomp", "dobj", "ccomp"):
                mod.hypothetical = True
            if lemma in _FUTURE_GOVERNORS and d in ("xcomp", "ccomp"):
                mod.future = True
            if lemma == "be" and d == "xcomp":  # "is to meet"
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
