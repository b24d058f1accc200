"""From a parsed story and its actor mentions to coded events with evidence and confidence.

Per analysed sentence: triggers from the lexicon (checked against the parse), roles from
the dependency tree, modality, CAMEO from the verb patterns, then the trained classifier's
opinion on type and mode; both are combined and the sentence keeps its best events.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import compress
from typing import Any

from dateline import ontology
from dateline.events import lexicon as lexmod
from dateline.events import modality as modmod
from dateline.events.roles import (
    MentionIndex,
    Roles,
    has_explicit_subject,
    mentions_under,
    noun_roles,
    occasion_roles,
    verb_roles,
)
from dateline.records import Actor, Document, Event, Evidence, Modality, shallow_copy

log = logging.getLogger(__name__)

MAX_EVENTS_PER_SENTENCE = 2
# CONSULT codes where every party meets every other: all are actors ("A met with B").
_RECIPROCAL = frozenset({"040", "041", "044", "045", "046", "036", "057", "0871", "060"})
_ACTOR_WORDS = frozenset({"police", "troops", "soldiers", "army", "government", "officials",
                          "rebels", "militants", "protesters", "forces", "authorities",
                          "he", "she", "they", "we", "i", "it", "minister", "president"})
_QUOTE = re.compile(r"[\"“”]")


@dataclass
class Candidate:
    """One trigger in one sentence, before classification."""

    sent: Any
    trigger: Any  # head token of the trigger
    tokens: list  # all trigger tokens (multi-word triggers, merged triggers)
    entry: lexmod.TriggerEntry
    coding: lexmod.Coding
    pattern: str | None
    roles: Roles
    reading: modmod.Reading
    prior: float  # strength of the dictionary evidence, 0..1
    extra: dict = field(default_factory=dict)


_SELECT_KEY = "dateline_select"


@lru_cache(maxsize=4)
def _hashes(vocab_id: int, words: frozenset[str]):
    import numpy
    from spacy.strings import hash_string

    return numpy.array(sorted(hash_string(w) for w in words), dtype="uint64")


def _member(values, keys):
    """Per value: whether it is in `keys` (sorted hashes); a binary search, not numpy.isin,
    which sorts both arrays again on every call."""
    import numpy

    if not len(keys) or not len(values):
        return numpy.zeros(len(values), dtype=bool)
    pos = numpy.searchsorted(keys, values)
    pos[pos == len(keys)] = 0
    return keys[pos] == values


@lru_cache(maxsize=4)
def _selection_keys(vocab_id: int) -> tuple[Any, Any]:
    """Sorted hashes of the forms that select a sentence (trigger and pattern forms) and of
    the actor cue words."""
    return (_hashes(vocab_id, lexmod.trigger_forms() | lexmod.pattern_forms()),
            _hashes(vocab_id, _ACTOR_WORDS))


# lower-case hash -> form, for the first forms seen (the common ones): a StringStore lookup
# decodes a new string every time; full within ~30 stories, so a long run holds no more
_FORMS: dict[int, str] = {}


def _form(strings: Any, h: int) -> str:
    form = strings[h]
    if len(_FORMS) < 4_000:
        _FORMS[h] = form
    return form


def _select_arrays(doc) -> tuple[list[int], list[int], list[str], list[bool]]:
    """Per-doc token data for sentence selection, computed once, as lists (no Token objects,
    no numpy call per sentence): the positions of selecting forms, running counts of actor
    cues (cues in tokens i..j-1: ``cues[j] - cues[i]``), each token's lower-cased text and
    title flag."""
    cached = doc.user_data.get(_SELECT_KEY)
    if cached is not None:
        return cached
    import numpy

    arr = doc.to_array(["LOWER", "IS_TITLE", "IS_UPPER", "LENGTH"])
    lowers = arr[:, 0]
    selecting, cue_words = _selection_keys(id(doc.vocab))
    title = arr[:, 1].astype(bool)
    cue = _member(lowers, cue_words)
    cue |= title | (arr[:, 2].astype(bool) & (arr[:, 3] > 1))
    cues = [0] + numpy.cumsum(cue).tolist()
    strings = doc.vocab.strings
    known = _FORMS.get
    words = [known(h) or _form(strings, h) for h in lowers.tolist()]
    hits = numpy.flatnonzero(_member(lowers, selecting)).tolist()
    doc.user_data[_SELECT_KEY] = cached = (hits, cues, words, title.tolist())
    return cached


def may_hold_event(sent) -> bool:
    """Cheap test on a tokenized (not parsed) sentence: a trigger word and an actor-like word."""
    if len(sent) < 3:
        return False
    start, end = sent.start, sent.end
    hits, cues, words, title = _select_arrays(sent.doc)
    lo = bisect_left(hits, start)
    hi = bisect_left(hits, end, lo)
    if lo == hi:
        return False
    opener = words[start]
    if not (cues[end] > cues[start + 1] or opener in _ACTOR_WORDS
            or (title[start] and opener not in _OPENERS)):
        return False
    lex = lexmod.load()
    for i in hits[lo:hi]:
        word = words[i]
        following = tuple(words[i + 1:min(end, i + 4)])
        # a nominal trigger stands after "a"/"the" ("announced a suspension of aid")
        entry = lex.lookup(word, following, "NOUN")
        if entry is not None and (lexmod.plover_coding(entry.code)
                                  or lexmod.plover_coding(entry.code2)):
            return True
        if i > start and words[i - 1] in _NOUN_CONTEXT and not (
                word.endswith("ed") and words[i - 1] in _MODIFIER_CONTEXT):
            continue  # "the forces", "in support of": a noun, not the verb (but "the
            # government refused": a past tense after a noun modifier is the verb)
        entry = lex.lookup(word, following, "VERB")
        if entry is None:
            continue
        if lexmod.plover_coding(entry.code) or lexmod.plover_coding(entry.code2):
            return True
        if _pattern_codes(lex, entry, words, i, start, end):
            return True
        if word in transfer_forms() and "to" in words[i + 2:min(end, i + _TRANSFER_SPAN)]:
            return True  # "returned the artifacts to X": checked on the parse later
        if entry.lemma == "order" and "to" in words[i + 2:min(end, i + _TRANSFER_SPAN)]:
            return True  # "ordered X to leave": checked on the parse later
        if entry.lemma == "call" and i + 1 < end and (title[i + 1] or any(
                title[i + 2:min(end, i + 4)]) and words[i + 1] not in ("for", "on", "upon",
                                                                      "off", "in")):
            return True  # "called President X on Friday" (a telephone call)
    return False


# Generic verbs that code an event only as a transfer of a thing to a named party:
# "returned six artifacts to the government of Iraq" (CAMEO 0842, return property),
# "gives medical equipment to Nicaragua", "provided $2 million in assistance to Fiji" (070),
# "lent $1 billion to Indonesia" (071, economic aid). Their PETRARCH defaults are too broad
# ("give" 060, "return" none) and their patterns need the party within a few words.
_TRANSFERS = {"return": "0842", "give": "070", "provide": "070", "donate": "070",
              "deliver": "070", "lend": "071"}
_TRANSFER_SPAN = 16  # tokens from the verb to its "to" phrase, objects included


@lru_cache(maxsize=1)
def transfer_forms() -> frozenset[str]:
    """Inflected forms of the transfer verbs (for sentence selection)."""
    lex = lexmod.load()
    return frozenset(form for form, entries in lex.forms.items()
                     if any(e.pos == "VERB" and e.lemma in _TRANSFERS and not e.rest
                            for e in entries))


def _transfer_code(tok, entry: lexmod.TriggerEntry, index: MentionIndex):
    """(CAMEO code, pattern text) of a transfer verb that hands a thing (its object, not a party) to a named
    party; None otherwise ("returned home", "gave Canada a deadline", "provided that ...")."""
    code = _TRANSFERS.get(entry.lemma)
    if code is None or entry.rest or tok.pos_ != "VERB":
        return None
    kids = list(tok.children)
    if any(k.dep_ == "dative" and k.lower_ not in ("to", "for") for k in kids):
        return None  # "gave X a mandate": the dative names what is granted, not a transfer
    objs = [k for k in kids if k.dep_ in ("dobj", "obj")]
    if len(objs) != 1 or mentions_under(objs[0], index) or \
            objs[0].ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return None  # the thing transferred must be a thing, not a party
    preps = [k for k in kids if k.dep_ in ("prep", "dative") and k.lower_ == "to"]
    preps += [g for c in objs[0].subtree for g in c.children
              if g.dep_ == "prep" and g.lower_ == "to" and c.i - objs[0].i <= 6]
    for prep in preps:
        for pobj in prep.children:
            if pobj.dep_ == "pobj" and (mentions_under(pobj, index) or pobj.ent_type_ in
                                        ("PERSON", "ORG", "GPE", "NORP")):
                return code, "* {thing} (to PARTY)"
    return None


_DAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                   "sunday", "weekend", "morning", "evening", "night", "afternoon"})


def _when(prep) -> bool:
    """Whether a preposition's object is a time ('on Friday', 'on Monday evening')."""
    return any(o.ent_type_ in ("DATE", "TIME") or o.lower_ in _DAYS
               for o in prep.children if o.dep_ == "pobj")


def _party(tok, index: MentionIndex, kinds: tuple[str, ...] | None = None) -> bool:
    """Whether the phrase headed by `tok` names a party (of one of `kinds`, if given)."""
    found = mentions_under(tok, index)
    if kinds is None:
        return bool(found) or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
    return any(getattr(index.mentions[k], "kind", None) in kinds for k in found) or (
        "person" in kinds and tok.ent_type_ == "PERSON")


def _order_or_call_code(tok, entry: lexmod.TriggerEntry, index: MentionIndex):
    """'ordered X to leave' (CAMEO 100, demand) and 'called President X on Friday' (041,
    discuss by telephone): generic verbs whose object and complement make the event."""
    if entry.lemma not in ("order", "call") or entry.rest or tok.pos_ != "VERB":
        return None  # (half the triggers that code nothing come here: no Token read first)
    kids = list(tok.children)
    objs = [k for k in kids if k.dep_ in ("dobj", "obj")]
    if entry.lemma == "order":
        # the party ordered is the object, or the subject of the infinitive ("ordered X to")
        comps = [k for k in kids if k.dep_ in ("xcomp", "ccomp") and k.pos_ == "VERB"
                 and any(a.dep_ == "aux" and a.lower_ == "to" for a in k.children)]
        parties = objs + [s for c in comps for s in c.children if s.dep_ == "nsubj"]
        if comps and any(_party(p, index) for p in parties):
            return "100", "* PARTY (to VERB)"
        return None
    if entry.lemma == "call":
        oprd = [k for k in kids if k.dep_ == "oprd"]
        if not objs and len(oprd) == 1:
            objs = oprd  # the small parser reads "called Putin on Monday" as "called X Y"
        elif oprd:
            return None  # "called X a liar"
        if len(objs) != 1 or any(k.dep_ in ("ccomp", "attr", "prt") for k in kids):
            return None  # "called off", "called X to say that"
        if any(k.dep_ == "prep" and k.lower_ in ("for", "on", "upon") and not _when(k)
               for k in kids):
            return None  # appeals: "called on X", "called for X" (not "on Friday")
        if _party(objs[0], index, ("person", "title")):
            return "041", "* PERSON"
    return None


def _pattern_codes(lex, entry: lexmod.TriggerEntry, words: list[str], i: int, start: int,
                   end: int) -> bool:
    """Whether one of the verb's patterns codes this context from the raw words alone:
    "closed ... borders", "lift the ban" (verbs with no default code). `words`: the story's
    lower-cased tokens; the sentence is words[start:end]."""
    if not lex.patterns.get(entry.block):
        return False

    # no lemmas before parsing: a crude plural strip stands in for them (written out in
    # both comprehensions: a function call per word cost more than the rest)
    after = [(w, w[:-1]) if len(w) > 3 and w.endswith("s") else (w,)
             for w in words[i + 1:min(end, i + 12)]]
    before = []
    for w in words[max(start, i - 8):i]:
        before.append(w)
        if len(w) > 3 and w.endswith("s"):
            before.append(w[:-1])
    code, code2, pattern = lex.code_for(entry, after, before)
    return pattern is not None and bool(lexmod.plover_coding(code) or
                                        lexmod.plover_coding(code2))


# Capitalised only because they open the sentence.
_OPENERS = frozenset({"the", "a", "an", "in", "on", "at", "but", "and", "or", "it", "this",
                      "that", "there", "when", "while", "after", "before", "as", "if", "for",
                      "with", "by", "from", "to", "of", "some", "many", "most", "all", "one",
                      "last", "earlier", "later", "since", "during", "according", "what"})
# Nouns among them that also head a subject: "government forces", but "government eased".
_MODIFIER_CONTEXT = frozenset({"military", "security", "government", "air", "ground"})
# Words before a form that make it a noun, for forms the lexicon knows only as verbs.
_NOUN_CONTEXT = frozenset({"the", "a", "an", "their", "its", "his", "her", "our", "my", "your",
                           "this", "that", "these", "those", "of", "in", "under", "for",
                           "with", "without", "by", "from", "into", "military", "security",
                           "government", "air", "ground", "special", "armed", "more", "some",
                           "any", "no", "such"})


@lru_cache(maxsize=1)
def _classifier():
    """The shipped event classifier, or None when it is not available (dictionary only)."""
    try:
        from dateline.events.classifier import EventClassifier

        return EventClassifier.load()
    except Exception as exc:  # noqa: BLE001 - a missing/broken model must not stop coding
        log.warning("event classifier unavailable (%s); coding with the verb dictionary only",
                    exc)
        return None


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (straight or curly), per paragraph."""
    spans = []
    offset = 0
    for para in text.split("\n"):
        marks = [m.start() for m in _QUOTE.finditer(para)]
        for a, b in zip(marks[::2], marks[1::2]):
            spans.append((offset + a, offset + b + 1))
        if len(marks) % 2:  # an opening mark with no close: quote runs to the paragraph end
            spans.append((offset + marks[-1], offset + len(para)))
        offset += len(para) + 1
    return spans


def _following(tok, n: int = 3) -> tuple[str, ...]:
    doc = tok.doc
    return tuple(doc[j].lower_ for j in range(tok.i + 1, min(len(doc), tok.i + 1 + n)))


_NOT_ARGUMENTS = frozenset({"ccomp", "advcl", "relcl", "parataxis", "conj", "cc", "punct",
                            "nsubj", "nsubjpass", "csubj", "mark", "aux", "auxpass"})


# lemma hash -> lower-case lemma, for the first lemmas seen (the common ones); full within
# ~60 stories, so a long run holds no more than a short one
_LEMMAS: dict[int, str] = {}


def _lemma(strings: Any, h: int) -> str:
    lemma = strings[h].lower()
    if len(_LEMMAS) < 4_000:
        _LEMMAS[h] = lemma
    return lemma


# label id -> label, for dependency labels, parts of speech and tags (a few hundred at
# most): a StringStore lookup decodes a new string every time
_LABELS: dict[int, str] = {}


def _label(strings: Any, h: int) -> str:
    label = strings[h]
    if len(_LABELS) < 1_000:
        _LABELS[h] = label
    return label


class _Words:
    """One sentence's tokens read once: lower-case forms, lemmas, heads and labels.

    The candidate loop and the pattern context of every trigger read these; spaCy builds a
    new Token object on every ``doc[i]``, so re-reading them per trigger was most of the cost.
    """

    __slots__ = ("_flat", "_forms", "closed", "dep", "doc", "end", "heads", "kids", "lemma",
                 "lower", "start", "story", "table")

    def __init__(self, sent, table: Any, story: bool = False) -> None:
        """`table`: the document's `_doc_table`; `story`: `sent` is the whole story (many
        sentences), not one sentence."""
        self.start, self.end = sent.start, sent.end
        self.story = story
        self.doc = sent.doc
        self.table = table
        # the strings behind the hashes, as Token.lower_ / .lemma_ read them, without a
        # Token per word (~8x cheaper)
        strings = self.doc.vocab.strings
        block = table[self.start:self.end]
        chosen = self.doc.user_data.get(_SELECT_KEY)
        if chosen is not None:  # sentence selection read the story's lower-case forms
            self.lower = chosen[2][self.start:self.end]
        else:
            self.lower = [strings[h] for h in block[:, 1].tolist()]
        lemmas = _LEMMAS
        self.lemma = [lemmas.get(h) or _lemma(strings, h) for h in block[:, 2].tolist()]
        self.dep: list[str] | None = None
        self.kids: list[list[int]] | None = None
        self.heads: list[int] | None = None  # sentence positions (see _tree)
        self.closed = False  # whether every head lies inside the sentence (see _tree)
        self._flat: list[str] | None = None
        self._forms: frozenset[str] | None = None

    def forms(self) -> frozenset[str]:
        """Every lower-case form and lemma of the sentence."""
        if self._forms is None:
            self._forms = frozenset(self.lower + self.lemma)
        return self._forms

    def _tree(self) -> list[list[int]]:
        """Children (sentence positions, in order) of every token of the sentence."""
        if self.kids is None:
            start, n = self.start, len(self.lower)
            kids: list[list[int]] = [[] for _ in range(n)]
            strings = self.doc.vocab.strings
            block = self.table[start:self.end]
            labels = _LABELS
            self.dep = [labels.get(h) or _label(strings, h) for h in block[:, 3].tolist()]
            rel = block[:, 0].astype("int64").tolist()  # head offsets, stored as uint64
            heads = [k + r for k, r in enumerate(rel)]  # sentence positions
            closed = True
            for k, h in enumerate(heads):
                if h != k and 0 <= h < n:
                    kids[h].append(k)
                elif h != k:
                    closed = False
            self.heads, self.closed = heads, closed
            self.kids = kids
        return self.kids

    def opens(self, k: int) -> bool:
        """Whether position k starts a sentence (Token.is_sent_start)."""
        return k == 0 or self.story and bool(self.doc[self.start + k].is_sent_start)

    def _label_at(self, k: int, column: int) -> str:
        """The label of sentence position k in a `_doc_table` column ("" where none)."""
        h = int(self.table[self.start + k, column])
        return (_LABELS.get(h) or _label(self.doc.vocab.strings, h)) if h else ""

    def pos(self, k: int) -> str:
        """Token.pos_ of sentence position k."""
        return self._label_at(k, 4)

    def tag(self, k: int) -> str:
        """Token.tag_ of sentence position k."""
        return self._label_at(k, 5)

    def ent(self, k: int) -> str:
        """Token.ent_type_ of sentence position k ("" outside entities)."""
        return self._label_at(k, 6)

    def following(self, tok, n: int = 3) -> tuple[str, ...]:
        """The lower-case forms of the n tokens after `tok` (past the sentence's end too)."""
        k = tok.i - self.start
        got = self.lower[k + 1:k + 1 + n]
        if len(got) < n and self.end < len(tok.doc):
            return _following(tok, n)
        return tuple(got)

    def before(self, tok) -> list[str]:
        """Forms and lemmas (interleaved) of the sentence's tokens before `tok`."""
        if self._flat is None:
            self._flat = [w for pair in zip(self.lower, self.lemma) for w in pair]
        return self._flat[:2 * (tok.i - self.start)]

    def subtree(self, k: int, out: list[tuple[str, str]]) -> None:
        """Append (form, lemma) of the subtree of sentence position k, in spaCy's order
        (Token.subtree: the left children's subtrees, the token, the right children's)."""
        tree, lower, lemma = self._tree(), self.lower, self.lemma

        def walk(k: int) -> None:
            kids = tree[k]
            for c in kids:
                if c < k:
                    walk(c)
            out.append((lower[k], lemma[k]))
            for c in kids:
                if c > k:
                    walk(c)

        walk(k)


def _doc_table(sdoc) -> Any:
    """Per token: head offset, lower-case hash, lemma hash, label, part of speech, tag and
    entity type (one numpy call)."""
    return sdoc.to_array(["HEAD", "LOWER", "LEMMA", "DEP", "POS", "TAG", "ENT_TYPE"])


def _words_for(tok, words: _Words | None) -> _Words:
    """A word table that holds `tok`'s whole tree: `words` where it holds `tok` and its
    sentence's tree stays inside it, else `tok`'s own sentence's, else the whole story's
    (whose tree never leaves it)."""
    if words is not None and words.start <= tok.i < words.end:
        words._tree()
        if words.closed:
            return words
    table = words.table if words is not None else _doc_table(tok.doc)
    own = _Words(tok.sent, table)
    own._tree()
    if own.closed:
        return own
    story = _Words(tok.doc[:], table, story=True)
    story._tree()
    return story


def _context_words(trigger, words: _Words) -> tuple[list[tuple[str, str]], list[str]]:
    """The trigger's own arguments after it (in order, as (word, lemma)), and the words and
    lemmas of its clause before it.

    Embedded clauses are left out: in "X said Y attacked Z" the patterns of "say" must not
    see "attacked".
    """
    after: list[tuple[str, str]] = []
    k = trigger.i - words.start
    kids = words._tree()[k]
    dep = words.dep
    for c in kids:
        if c > k and dep[c] not in _NOT_ARGUMENTS:
            words.subtree(c, after)
    # children come in order, but subtrees of later children follow earlier ones: fine
    return after, words.before(trigger)


# "rejected accusations by the US", "denied charges by clergymen": CAMEO files a denial under
# statements (016, deny responsibility), which PLOVER does not code; PLOVER's REJECT holds
# "all rejections and refusals", with the rejected party (the accuser) as recipient.
_DENY_RESPONSIBILITY = "016"
_DENIALS = frozenset({"reject", "deny", "dismiss", "refute", "rebuff"})


def _pos_ok(tok, entry: lexmod.TriggerEntry) -> bool:
    if entry.pos == "NOUN":
        return tok.pos_ == "NOUN"
    if tok.pos_ == "VERB":
        return True
    # "were arrested" / "are committed to" tagged as adjectives by small models
    return tok.pos_ == "ADJ" and (tok.tag_ == "VBN" or (bool(entry.rest) and tok.dep_ == "acomp"))


def _candidates(sent, index: MentionIndex, quotes: list[tuple[int, int]],
                table: Any) -> list[Candidate]:
    lex = lexmod.load()
    out = []
    used: set[int] = set()
    forms = lex.forms
    words = index.words = _Words(sent, table)  # the roles read it too (mentions_under)
    at = index.by_token.get
    start = words.start
    for k, (low, lemma) in enumerate(zip(words.lower, words.lemma)):
        if (low not in forms and lemma not in forms) or start + k in used \
                or at(start + k) is not None:
            continue
        tok = sent.doc[start + k]
        following = words.following(tok)
        pos = "NOUN" if tok.pos_ == "NOUN" else "VERB"
        entry = lex.lookup(low, following, pos)
        if entry is None and lemma:
            entry = lex.lookup(lemma, following, pos)
        if entry is None or not _pos_ok(tok, entry):
            continue
        if lex.reads_after(entry.block, words.forms()):
            after, before = _context_words(tok, words)
        else:  # no pattern of the verb's can read what follows it: no need to walk the tree
            after, before = [], words.before(tok)
        code, code2, pattern = lex.code_for(entry, after, before)
        if code == _DENY_RESPONSIBILITY and entry.lemma in _DENIALS:
            code = "120"  # see _DENIALS
        if entry.lemma == "call" and pattern in ("* (on)", "* (upon)") and not any(
                k.dep_ == "prep" and k.lower_ in ("on", "upon") and not _when(k)
                for k in tok.children):
            code, code2, pattern = "", "", None  # "called Putin on Monday": no appeal
        coding = lexmod.plover_coding(code)
        if coding is None and not code and code2:
            coding = lexmod.plover_coding(code2)
        if coding is None and not code and not code2:
            parsed = _transfer_code(tok, entry, index) or _order_or_call_code(tok, entry, index)
            if parsed is not None:
                coding, pattern = lexmod.plover_coding(parsed[0]), parsed[1]
        if coding is None:
            continue
        tokens = [tok]
        j = tok.i + 1
        for word in entry.rest:
            if j < len(tok.doc) and tok.doc[j].lower_ == word:
                tokens.append(tok.doc[j])
                used.add(j)
                j += 1
        roles = noun_roles(tok, index) if entry.pos == "NOUN" else verb_roles(tok, index)
        if coding.type == "CONSULT" and entry.pos == "NOUN" and not roles.actors:
            # "At the talks in Lima, Chile and Peru signed ...": those who act there met
            occasion = occasion_roles(tok, index)
            if occasion is not None and occasion.actors:
                _take_actors(roles, occasion)
        if not roles.actors and not roles.recipients:
            continue  # precision: no participant in the clause, no event
        if entry.pos == "VERB" and not roles.actors and has_explicit_subject(tok, index):
            continue  # "firearms cross the border into Mexico": the doer is no actor
        if tok.tag_ == "VBG" and not roles.actors and tok.dep_ not in ("ROOT", "ccomp", "xcomp") \
                and not any(c.dep_ in ("aux", "auxpass") for c in tok.children):
            continue  # a bare gerund naming a topic: "issues such as fighting organized crime"
        reading = modmod.read(tok, quotes, words)
        prior = 0.62 if (pattern or entry.source == "dateline") else 0.48
        if entry.pos == "NOUN":
            prior -= 0.08
        out.append(Candidate(sent, tok, tokens, entry, coding, pattern, roles, reading, prior))
    if any(c.reading.reported_by is not None for c in out):
        # the reporting verb's roles are read after the loop (`_speaker_is_party`): on this
        # table, kept for it (only then: tables kept alive cost the garbage collector)
        insort(index.tables, words, key=lambda w: w.start)
    _lend_recipients(out)
    return _merge_chains(out)


# THREATEN's mode follows what is threatened ("threatened to impose sanctions" -> restrict).
_THREAT_MODES = {"ASSAULT": "violence", "SANCTION": "relations", "COERCE": "restrict",
                 "MOBILIZE": "violence"}


def _lend_recipients(cands: list[Candidate]) -> None:
    """A governing trigger without a recipient takes its complement's ('threatened to attack X')."""
    by_head: dict[int, list[Candidate]] = {}
    for c in cands:
        if c.trigger.dep_ in ("xcomp", "ccomp", "dobj"):
            by_head.setdefault(c.trigger.head.i, []).append(c)
    for c in cands:
        for d in by_head.get(c.trigger.i, ()):
            if d is c:
                continue
            if not c.roles.recipients:
                c.roles.recipients.extend(d.roles.recipients)
                c.roles.recipient_spans.extend(d.roles.recipient_spans)
            if c.coding.type == "THREATEN" and c.coding.mode is None:
                mode = "arrest" if d.coding.mode == "arrest" else _THREAT_MODES.get(d.coding.type)
                cameo = ontology.cameo_for("THREATEN", mode) if mode else None
                if cameo:
                    c.coding = lexmod.Coding("THREATEN", mode, cameo)


_FUNCTION_WORDS = frozenset({"and", "or", "the", "a", "an", "to", "of", "with", "in", "on"})


def _merge_chains(cands: list[Candidate]) -> list[Candidate]:
    """'sat down to discuss': a trigger whose governor is a nearby trigger of the same type
    is one event."""
    by_i = {c.trigger.i: c for c in cands}
    out = []
    for c in cands:
        head = c.trigger.head
        parent = by_i.get(head.i) if head.i != c.trigger.i else None
        # purpose/control chains at any distance; noun objects only right next to the verb
        near = parent is not None and (c.trigger.dep_ in ("xcomp", "advcl") or abs(
            c.trigger.i - max(t.i for t in parent.tokens)) <= 3)
        if near and parent.coding.type == c.coding.type and \
                c.trigger.dep_ in ("xcomp", "advcl", "dobj", "pobj"):
            parent.tokens.extend(c.tokens)
            parent.prior = max(parent.prior, c.prior) + 0.05
            _absorb(parent.roles, c.roles)
            continue
        if parent is not None and c.entry.pos == "NOUN" and c.trigger.dep_ == "dobj" \
                and parent.pattern and _in_pattern(c.trigger, parent.pattern):
            # "reduced humanitarian aid to X": the verb's pattern (162, reduce aid) already
            # reads its object; the noun is no second event (AID)
            parent.tokens.extend(c.tokens)
            _absorb(parent.roles, c.roles)
            continue
        if parent is not None and c.trigger.dep_ in ("nsubj", "nsubjpass") \
                and c.entry.pos == "NOUN" and c.roles.actors and c.roles.named \
                and parent.coding.type == c.coding.type:
            # "A car bombing by the Islamic State group killed 75 people": one attack, and
            # its doer is the bombing's, not the phrase "a car bombing"
            _take_actors(parent.roles, c.roles)
            parent.tokens.extend(c.tokens)
            parent.prior = max(parent.prior, c.prior)
            continue
        out.append(c)
    return out


def _in_pattern(tok, pattern: str) -> bool:
    """Whether a verb pattern's text names this word ('* aid', '* {food supplies}')."""
    words = set(pattern.replace("{", " ").replace("}", " ").replace("(", " ")
                .replace(")", " ").lower().split())
    return tok.lower_ in words or (tok.lemma_ or "").lower() in words


def _take_actors(into: Roles, other: Roles) -> None:
    """Replace plain-phrase actors (the nominal trigger itself) by the nominal's actors."""
    keep = [(a, sp) for a, sp in zip(into.actors, into.actor_spans) if a.code or a.name]
    keys = {(a.name or a.text, a.country, a.sector) for a, _ in keep}
    keep += [(a, sp) for a, sp in zip(other.actors, other.actor_spans)
             if (a.name or a.text, a.country, a.sector) not in keys]
    into.actors = [a for a, _ in keep]
    into.actor_spans = [sp for _, sp in keep]
    into.named = True
    into.unresolved |= other.unresolved
    into.via_pronoun |= other.via_pronoun


def _absorb(into: Roles, other: Roles) -> None:
    if not into.actors and other.actors:
        # "23 civilians were killed as government forces launched air strikes": the doer of
        # the merged trigger is the doer of the event
        into.actors = list(other.actors)
        into.actor_spans = list(other.actor_spans)
        into.named |= other.named
    have = {(a.name or a.text, a.country, a.sector) for a in into.actors + into.recipients}
    for a, span in zip(other.recipients, other.recipient_spans):
        key = (a.name or a.text, a.country, a.sector)
        if key not in have:
            into.recipients.append(a)
            into.recipient_spans.append(span)
            have.add(key)
    into.recipient_preps |= other.recipient_preps


def _trigger_text(text: str, tokens: list) -> tuple[str, int, int]:
    # a multi-word entry may end in a conjunction ("shot and"): not part of the trigger
    core = [t for t in tokens if t.lower_ not in _FUNCTION_WORDS] or tokens
    tokens = sorted(core, key=lambda t: t.i)
    if tokens[-1].i - tokens[0].i > 5:
        tokens = [tokens[0]]  # a merged chain far apart: the evidence names the main trigger
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t) for t in tokens)
    return text[start:end], start, end


def _sentence_bounds(sent) -> tuple[int, int]:
    """Char offsets of a sentence without its leading and trailing whitespace tokens."""
    doc, lo, hi = sent.doc, sent.start, sent.end
    while lo < hi and doc[lo].is_space:  # read the ends only: doc[i] builds a Token
        lo += 1
    if lo == hi:
        return sent.start_char, sent.end_char
    while doc[hi - 1].is_space:
        hi -= 1
    last = doc[hi - 1]
    return doc[lo].idx, last.idx + len(last)


def _rel(span: tuple[int, int] | None, base: int) -> tuple[int, int] | None:
    return None if span is None else (span[0] - base, span[1] - base)


def _classify(cands: list[Candidate], text: str) -> list[Any | None]:
    clf = _classifier()
    if clf is None or not cands:
        return [None] * len(cands)
    from dateline.events.classifier import (
        ClassifierInput,
        DocParse,
        SentenceTokens,
        parse_features,
    )

    items = []
    sentences: dict[int, tuple[tuple[int, int], SentenceTokens | None]] = {}
    sdoc = cands[0].sent.doc
    parse = DocParse(sdoc) if clf.uses_syntax else None  # the story's parse, read once
    for c in cands:
        known = sentences.get(c.sent.start)
        if known is None:  # a sentence's bounds and tokens once for all its candidates
            known = sentences[c.sent.start] = (
                _sentence_bounds(c.sent), None if parse is None else
                SentenceTokens(parse, c.sent.start, c.sent.end))
        (s, e), sent_tokens = known
        _, ts, te = _trigger_text(text, c.tokens)
        src = c.roles.actor_spans[0] if c.roles.actor_spans else None
        tgt = c.roles.recipient_spans[0] if c.roles.recipient_spans else None
        if src is None and len(c.roles.actor_spans) > 1:
            src = c.roles.actor_spans[1]
        src, tgt = _rel(src, s), _rel(tgt, s)
        # the model's dependency features, from the parse we already have
        syntax = parse_features(sent_tokens, src, tgt, base=s) if clf.uses_syntax else None
        items.append(ClassifierInput(sentence=text[s:e], source=src, target=tgt,
                                     trigger=(ts - s, te - s), syntax=syntax))
    try:
        return list(clf.predict(items))
    except Exception as exc:  # noqa: BLE001 - a model failure degrades to the dictionary
        log.warning("event classifier failed (%s); using the verb dictionary", exc)
        return [None] * len(cands)


_SIBLINGS = {"CONCEDE": "RETREAT", "RETREAT": "CONCEDE"}


def _decide(c: Candidate, pred: Any | None) -> tuple[str, str | None, str, float] | None:
    """Combine the dictionary coding with the classifier: (type, mode, cameo, confidence)."""
    d = c.coding
    if pred is None:
        return d.type, d.mode, d.cameo, c.prior
    probs = getattr(pred, "probs", {}) or {}
    p_dict = float(probs.get(d.type, 1.0 if pred.type == d.type else 0.0))
    sibling = _SIBLINGS.get(d.type)
    if sibling is not None:
        # CONCEDE and RETREAT are the two halves of PLV's YIELD: a model that reads
        # "pardoned" as RETREAT supports the dictionary's CONCEDE
        p_dict += float(probs.get(sibling, 1.0 if pred.type == sibling else 0.0))
        if pred.type == sibling:
            pred = replace(pred, type=d.type)
    if not c.reading.modality.factual:
        # the model codes an intended act as its intent: "will meet" AGREE, "would attack"
        # THREATEN; the trigger's own type plus the modality say the same thing
        intent = "AGREE" if ontology.quad_class(d.type) in (1, 2) else "THREATEN"
        p_dict += float(probs.get(intent, 0.0))
    p_none = float(probs.get("NONE", 1.0 if pred.type == "NONE" else 0.0))
    if pred.type == d.type:
        conf = 1 - (1 - c.prior) * (1 - pred.confidence)  # agreement raises it
        # the model's mode only where it agrees with the trigger's CAMEO code
        mode = d.mode or (pred.mode if pred.mode and ontology.cameo_for(d.type, pred.mode)
                          == d.cameo else None)
        return d.type, mode, d.cameo, conf
    # A bare PETRARCH default code on a common verb is the classic source of over-production:
    # it stands only if the model sees some of that event too.
    weak = not c.pattern and c.entry.source != "dateline"
    if pred.type == "NONE":
        if weak and p_none > 0.5 and p_dict < 0.15:
            return None
        # a pattern or one of our own triggers stands, with the doubt in its confidence
        return d.type, d.mode, d.cameo, c.prior * (1 - 0.5 * p_none)
    if weak and p_dict < 0.15:
        return None
    # Disagreement. The model reads the whole sentence, so on a sentence with several
    # triggers it tends to name the main one; and it codes "will meet" as AGREE (intent).
    # It overrides the trigger's own meaning only for a factual main verb it is sure about.
    score_dict = 0.5 * c.prior + 0.5 * p_dict
    sure = pred.confidence >= 0.8 and p_dict < 0.1 and bool(pred.cameo)
    if sure and c.trigger.dep_ == "ROOT" and c.reading.modality.factual \
            and c.reading.reported_by is None:
        return pred.type, pred.mode, pred.cameo, 0.5 * (pred.confidence + (1 - c.prior) * 0.5)
    return d.type, d.mode, d.cameo, 0.8 * score_dict


def _may_stand(c: Candidate) -> bool:
    """Whether a candidate can give an event: a named party, or a chance to be `_strong`."""
    return c.roles.named or bool(c.pattern) or c.entry.source == "dateline"


def _strong(c: Candidate, pred: Any | None, decided: tuple) -> bool:
    """Whether a trigger stands on its own when its participants are only plain noun phrases
    ("a car bombing ... killed at least 75 people"): a verb pattern or one of our own
    triggers, and the classifier sure of the same type."""
    if pred is None or not (c.pattern or c.entry.source == "dateline"):
        return False
    return pred.type == decided[0] and pred.confidence >= _STRONG_CONFIDENCE


_STRONG_CONFIDENCE = 0.7


# A refused concession or meeting is a REJECT in CAMEO/PLOVER ("will not lift the ban",
# "refused to meet with X"): CAMEO 12x by what is refused.
_REFUSAL_CODES = {"CONCEDE": "124", "RETREAT": "124", "CONSULT": "125", "AGREE": "127",
                  "AID": "122"}
_REFUSING = frozenset({"refuse", "decline", "reject"})


def _refusal(c: Candidate) -> bool:
    """Whether the trigger is announced as refused: governed by 'refuse/decline' or under
    'will not' / 'would not' (not a plain denial that something happened)."""
    t = c.trigger
    if t.dep_ == "xcomp" and (t.head.lemma_ or "").lower() in _REFUSING:
        return True
    kids = list(t.children)
    return any(k.dep_ == "neg" for k in kids) and any(
        k.dep_ == "aux" and k.lower_ in ("will", "would", "wo") for k in kids)


def _as_refusal(c: Candidate, decided: tuple) -> tuple:
    etype, conf = decided[0], decided[3]
    code = _REFUSAL_CODES.get(etype)
    if code is None or not _refusal(c):
        return decided
    c.reading = replace(c.reading, modality=replace(c.reading.modality, negated=False))
    entry = ontology.plover_for(code)
    return "REJECT", entry.mode if entry else None, code, conf


# CAMEO codes an announced material cooperation as an intent (03x, PLOVER AGREE): "will
# release the prisoners", "offered to send troops", "said it would allow access".
_INTENT_CODES = {"AID": "033", "COOPERATE": "031", "CONCEDE": "035", "RETREAT": "035"}
_INTENT_GOVERNORS = frozenset({"offer", "pledge", "vow", "promise", "agree", "commit",
                               "willing", "ready", "prepared", "prepare", "decide"})
_CONDITIONS = frozenset({"if", "unless", "provided", "once"})


def _intent(c: Candidate) -> bool:
    """Whether a material-cooperation trigger is announced, not done: future tense, an intent
    governor ('offered to', 'is willing to') or reported 'would' ('said it would allow')."""
    mod = c.reading.modality
    t = c.trigger
    if mod.negated:
        return False
    if t.dep_ == "xcomp" and (t.head.lemma_ or t.head.lower_).lower() in _INTENT_GOVERNORS:
        return True  # an offer is an offer, conditions or not
    for k in t.children:
        if k.dep_ == "mark" and k.lower_ in _CONDITIONS or k.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in _CONDITIONS for m in k.children):
            return False  # "will release them if ...": a conditional, not an announcement
    would = any(k.dep_ == "aux" and k.lower_ == "would" for k in t.children)
    if would and c.reading.reported_by is not None:
        return True
    return mod.future and not mod.hypothetical


def _as_intent(c: Candidate, decided: tuple) -> tuple:
    etype, conf = decided[0], decided[3]
    code = _INTENT_CODES.get(etype)
    if code is None or not _intent(c):
        return decided
    # the announcement is the event, and it happened: no longer future or hypothetical
    c.reading = replace(c.reading, modality=replace(c.reading.modality, future=False,
                                                    hypothetical=False))
    return "AGREE", None, code, conf


# "strike" is a labour protest (CAMEO 143) unless its context is military: "air strikes",
# "carried out strikes against X", a strike by the army (CAMEO 195, aerial weapons; 190).
_MILITARY_MODIFIERS = frozenset({"air", "aerial", "missile", "drone", "military", "naval",
                                 "artillery", "rocket", "retaliatory", "precision", "targeted",
                                 "israeli", "russian", "american", "u.s.", "us", "nato"})
_STRIKE_VERBS = frozenset({"carry", "conduct", "launch", "order", "intensify", "step"})


def _as_military_strike(c: Candidate, decided: tuple) -> tuple:
    t = c.trigger
    if decided[0] != "PROTEST" or c.entry.pos != "NOUN" or t.lower_ not in ("strike", "strikes"):
        return decided
    mods = {k.lower_ for k in t.children if k.dep_ in ("amod", "compound", "nmod")}
    military = bool(mods & _MILITARY_MODIFIERS) or any(
        k.dep_ == "prep" and k.lower_ in ("on", "against") for k in t.children) and (
        (t.head.lemma_ or "").lower() in _STRIKE_VERBS) or any(
        a.sector == "MIL" for a in c.roles.actors)
    if not military:
        return decided
    code = "195" if mods & {"air", "aerial", "missile", "drone", "rocket"} else "190"
    entry = ontology.plover_for(code)
    return "ASSAULT", entry.mode if entry else None, code, decided[3]


def _event(c: Candidate, decided: tuple[str, str | None, str, float], text: str,
           index: MentionIndex) -> Event:
    decided = _as_intent(c, _as_refusal(c, _as_military_strike(c, decided)))
    etype, mode, cameo, conf = decided
    roles = c.roles
    actors = list(roles.actors)
    # the trigger is not its own party: "launched an attack on the convoy" is against the
    # convoy, and "an attack" (the merged nominal trigger) names no recipient; what a
    # reaction is about stays ("condemned the attack": the attack is what is condemned)
    phrase = c.tokens[:1 + len(c.entry.rest)]  # a multi-word trigger's own words
    trig_spans = [(t.idx, t.idx + len(t)) for t in c.tokens
                  if t in phrase and c.entry.pos == "NOUN" or _own_type_noun(t, etype)]
    recipients = [r for r in roles.recipients if r.code or r.start is None or not any(
        r.start < hi and lo < r.end for lo, hi in trig_spans)]
    if etype == "CONSULT" and roles.located:
        recipients = []  # where they met is a place, not a party ("met in Berlin")
    code = cameo or ""
    if etype == "CONSULT" and mode != "visit" and (code[:3] in _RECIPROCAL or code in _RECIPROCAL
                                                   or c.entry.code2 == c.entry.code) or code in _RECIPROCAL and c.entry.code2 == c.entry.code and "with" in roles.recipient_preps:
        actors, recipients = actors + recipients, []
    if etype == "CONSULT" and mode == "multilateral" and _bilateral(actors + recipients):
        mode = None  # PLOVER: "a meeting in a multilateral context, typically an alliance or IGO"
    mod = shallow_copy(c.reading.modality)  # Modality has no __post_init__
    if c.reading.quoted and ontology.quad_class(etype) in (3, 4):
        mod.hypothetical = True  # a conflict inside a quote is the speaker's claim, not fact
    if c.reading.reported_by is not None and not _speaker_is_party(c, index):
        if ontology.quad_class(etype) in (3, 4):
            mod.hypothetical = True
        conf *= 0.75
    if c.reading.quoted:
        conf *= 0.8
    if not mod.factual:
        conf *= 0.85
    if roles.via_pronoun:
        conf *= 0.9
    if roles.unresolved:
        conf *= 0.85
    if etype == "CONSULT" and len(actors) < 2 and not recipients:
        conf *= 0.7  # a meeting with one known party is half a meeting
    if actors and (recipients or len(actors) > 1):
        conf = conf + (1 - conf) * 0.2
    s, e = _sentence_bounds(c.sent)
    trig, ts, te = _trigger_text(text, c.tokens)
    entry = ontology.plover_for(code) if code else None
    return Event(
        type=etype, mode=mode if mode else (entry.mode if entry and entry.plover == etype
                                             else None),
        cameo=cameo, quad_class=ontology.quad_class(etype), goldstein=ontology.goldstein(cameo),
        actors=actors, recipients=recipients,
        modality=mod,
        evidence=Evidence(sentence=text[s:e], start=s, end=e, trigger=trig,
                          trigger_start=ts, trigger_end=te),
        confidence=round(max(0.01, min(0.99, conf)), 3),
    )


_MULTILATERAL_BODIES = frozenset({"IGO", "UNO", "EUR"})  # IGO country slots (actors.codes)


def _bilateral(parties: list[Actor]) -> bool:
    """Two named states and no international body: no multilateral setting."""
    countries = {a.country for a in parties if a.country}
    return len(parties) == 2 and len(countries) == 2 and not countries & _MULTILATERAL_BODIES


def _own_type_noun(tok, etype: str) -> bool:
    """Whether `tok` is a nominal trigger of the event's own type ('attack' in an ASSAULT)."""
    entry = lexmod.load().lookup(tok.lower_, (), "NOUN")
    coding = lexmod.plover_coding(entry.code) if entry is not None else None
    return coding is not None and coding.type == etype


def _speaker_is_party(c: Candidate, index: MentionIndex) -> bool:
    """Whether whoever reports the event is one of its parties ('she said they discussed')."""
    speakers = verb_roles(c.reading.reported_by, index).actors
    names = {a.name for a in speakers if a.name}
    codes = {(a.country, a.sector) for a in speakers if a.country and a.sector}
    # a state's organs speak for its other organs ("police detained 12, state officials
    # said"), and an organ of no stated country for a party of its own kind ("Israeli
    # aircraft struck ..., the army said"); a witness, a rights group or another state
    # reporting a conflict makes it their claim ("Russia said Ukraine shelled X")
    state = {a.country for a in speakers if a.country and a.sector in _STATE}
    stateless = {a.sector for a in speakers if not a.country and a.sector in _STATE}
    # the same person, or the same government/agency speaking for its own event
    return any(a.name in names or (a.country, a.sector) in codes
               or a.sector in _STATE and (a.country in state or a.sector in stateless)
               for a in c.roles.actors + c.roles.recipients)


_STATE = frozenset({"GOV", "COP", "MIL", "JUD", "LEG", "SPY"})
_PRESS = frozenset({"JRN"})  # journalists and news outlets (MED is health here)
_PRESS_WORDS = frozenset({"news", "agency", "media", "newspaper", "reporter", "reporters",
                          "correspondent", "source", "sources", "witness", "witnesses",
                          "monitor", "observatory", "footage", "report", "reports", "tv",
                          "television", "radio"})


def _accusation(c: Candidate, event: Event, index: MentionIndex, text: str) -> Event | None:
    """'X said Y attacked Z' -> X ACCUSE Y, when X is not a party to the reported conflict."""
    speech = c.reading.reported_by
    if speech is None or event.quad_class not in (3, 4) or not event.actors:
        return None
    if (speech.lemma_ or speech.lower_).lower() in _DENIALS:
        return None  # "X denied that police beat protesters" accuses nobody
    roles = verb_roles(speech, index)
    # News attributions cite, they do not accuse: "..., a monitor said", "two sources said",
    # "the state news agency reported" (an accuser must be identifiable and not the press)
    speakers = [a for a in roles.actors if (a.code or a.name) and a.sector not in _PRESS
                and not _PRESS_WORDS & set(a.text.lower().split())]
    if not speakers or len(speakers) < len(roles.actors):
        return None
    # a speaker reporting its own act accuses nobody ("X said it will not end the strike"),
    # nor do officials speaking of their own government
    spans = [(a.start, a.end) for a in roles.actors]
    own = {(a.country, a.sector) for a in roles.actors if a.country and a.sector}
    # ... nor a state speaking of its own forces ("police detained 12, state officials said")
    # (a speaker of no known country counts as the accused's own: "..., the army said")
    state = {a.country for a in roles.actors if a.country and a.sector in _STATE}
    stateless = {a.sector for a in roles.actors if not a.country and a.sector in _STATE}
    accused = [replace(a) for a in event.actors if (a.start, a.end) not in spans
               and (a.country, a.sector) not in own
               and not (a.country in state and a.sector in _STATE)
               and not (stateless and a.sector in _STATE and a.country is None)
               and a.sector not in stateless]
    if not accused:
        return None
    s, e = _sentence_bounds(c.sent)
    ev = Event(type="ACCUSE", mode="allege", cameo="112", quad_class=ontology.quad_class("ACCUSE"),
               goldstein=ontology.goldstein("112"), actors=roles.actors,
               recipients=accused,
               evidence=Evidence(sentence=text[s:e], start=s, end=e, trigger=speech.text,
                                 trigger_start=speech.idx, trigger_end=speech.idx + len(speech)),
               modality=Modality(), confidence=round(min(0.9, event.confidence + 0.1), 3))
    return ev


def _key(ev: Event) -> tuple:
    return (ev.type, tuple(sorted(a.code or a.text for a in ev.actors)),
            tuple(sorted(r.code or r.text for r in ev.recipients)), ev.modality.factual)


def extract_events(doc: Document, sdoc, mentions: list[Any]) -> list[Event]:
    """Events of one story: analysed sentences only, participants from the same clause."""
    from dateline.nlp import is_analysed

    if sdoc is None or not len(sdoc):
        return []
    # Evidence quotes the story's own text (the parser saw no-break spaces as plain ones).
    # (sdoc comes from nlp.parse(doc.text): same length; Doc.text would re-join every token)
    text = doc.text if doc is not None else sdoc.text
    quotes = _quote_spans(text)
    index = MentionIndex(list(mentions or []), quotes)
    per_sentence: list[list[Candidate]] = []
    table = _doc_table(sdoc)
    for sent in sdoc.sents:
        if not is_analysed(sent):
            continue
        cands = _candidates(sent, index, quotes, table)
        if cands:
            per_sentence.append(cands)
    flat = [c for cands in per_sentence for c in cands]
    # A candidate with no named party can stand only as a strong trigger (see _strong);
    # the others' classifier opinion would not be read: they are not scored
    stand = [_may_stand(c) for c in flat]
    scored = iter(_classify(list(compress(flat, stand)), text))
    preds = [next(scored) if s else None for s in stand]
    events: list[Event] = []
    k = 0
    for cands in per_sentence:
        sentence_events: list[Event] = []
        derived: list[tuple[Event, Event]] = []  # (accusation, the reported event)
        for c in cands:
            pred = preds[k]
            k += 1
            decided = _decide(c, pred)
            if decided is None or not (c.roles.named or _strong(c, pred, decided)):
                continue
            ev = _event(c, decided, text, index)
            if not ev.actors and not ev.recipients:
                continue
            sentence_events.append(ev)
            acc = _accusation(c, ev, index, text)
            if acc is not None:
                derived.append((acc, ev))
        events.extend(_best(sentence_events, derived))
    return events


def _best(events: list[Event], derived: list[tuple[Event, Event]] = ()) -> list[Event]:
    """Keep a sentence's strongest distinct events (precision before volume).

    At most MAX_EVENTS_PER_SENTENCE from its triggers, plus the strongest accusation read
    from reported speech ("a monitor said X attacked Y"): that one reads a kept trigger
    and must not push the reported event itself out.
    """
    seen: dict[tuple, Event] = {}
    for ev in sorted(events, key=lambda e: -e.confidence):
        key = _key(ev)
        if key not in seen:
            seen[key] = ev
    kept = sorted(seen.values(), key=lambda e: -e.confidence)[:MAX_EVENTS_PER_SENTENCE]
    kept_triggers = {(e.evidence.trigger_start, e.evidence.trigger_end) for e in kept}
    keys = {_key(e) for e in kept}
    for acc, source in sorted(derived, key=lambda p: -p[0].confidence):
        if (source.evidence.trigger_start, source.evidence.trigger_end) in kept_triggers \
                and _key(acc) not in keys:
            kept.append(acc)
            break
    return sorted(kept, key=lambda e: e.evidence.trigger_start or 0)


__all__ = ["Actor", "extract_events", "may_hold_event"]
