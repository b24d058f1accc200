"""The trigger lexicon: verb forms and eventive nouns -> CAMEO codes, with verb patterns.

Built from the PETRARCH-2 verb dictionary (data/verbs/verbs.tsv, patterns.tsv, synsets.tsv,
compiled by ``dateline.events.build_verbs``) plus our own additions (data/verbs/additions.tsv,
pattern_additions.tsv).
Loaded once per process; lookups are dict hits on lower-cased token text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from dateline import ontology

_DATA = resources.files("dateline") / "data" / "verbs"


@dataclass(frozen=True)
class TriggerEntry:
    """One lexicon entry: a verb (or eventive noun) with its default CAMEO code."""

    lemma: str
    code: str  # default CAMEO code of the verb ("" = only its patterns code)
    code2: str  # code of the reverse-direction event ("042:043" visit/host), "" if none
    block: str  # PETRARCH verb block (patterns are per block)
    pos: str  # "VERB" or "NOUN"
    rest: tuple[str, ...] = ()  # following words of a multi-word entry ("meet with" -> ("with",))
    source: str = "phoenix"  # "phoenix" or "dateline"


@dataclass(frozen=True)
class Pattern:
    before: tuple[frozenset[str], ...]
    after: tuple[frozenset[str], ...]
    code: str
    code2: str
    text: str


@dataclass
class Lexicon:
    forms: dict[str, list[TriggerEntry]] = field(default_factory=dict)
    patterns: dict[str, list[Pattern]] = field(default_factory=dict)
    # Per block, the patterns that can code (see _index): built on first use.
    _indexes: dict[str, _BlockIndex] = field(default_factory=dict, repr=False)

    def lookup(self, word: str, following: tuple[str, ...] = (),
               pos: str | None = None) -> TriggerEntry | None:
        """The best entry for a word form, preferring multi-word entries that match what follows.

        With `pos` ("VERB" or "NOUN"), only entries of that part of speech are considered.
        """
        entries = self.forms.get(word.lower())
        if not entries:
            return None
        best = None
        for entry in entries:
            if pos is not None and entry.pos != pos:
                continue
            if entry.rest:
                fits = following[: len(entry.rest)] == entry.rest
                if fits and (best is None or len(entry.rest) > len(best.rest)):
                    best = entry
            elif best is None:
                best = entry
        return best

    def code_for(self, entry: TriggerEntry, after: list[tuple[str, ...]],
                 before: list[str] | None = None) -> tuple[str, str, str | None]:
        """CAMEO code, reverse code and matched pattern text for an entry in its context.

        `after`: the words that follow the trigger in its clause, in order, each as a tuple
        of its forms (word, lemma); `before`: words and lemmas before it. A pattern matches
        when its words occur in order, the first within a few words of the verb.
        """
        best: tuple[int, Pattern] | None = None
        before_set: set[str] | None = None  # built when a pattern first asks for it
        for pat in self._candidates(entry.block, after):
            if pat.before:
                if before_set is None:
                    before_set = set(before or ())
                if not all(not slot.isdisjoint(before_set) for slot in pat.before):
                    continue
            if pat.after and not _in_order(pat.after, after):
                continue
            score = len(pat.after) + len(pat.before)
            if best is None or score > best[0]:
                best = (score, pat)
        if best is not None:
            return best[1].code, best[1].code2, best[1].text
        return entry.code, entry.code2, None

    def _candidates(self, block: str, after: list[tuple[str, ...]]) -> list[Pattern]:
        """The block's patterns that may match, in file order (ties go to the first).

        A pattern with words after the verb needs its first slot within the first few
        following words, so only those words' patterns are tried: a block holds hundreds.
        """
        index = self._index(block)
        hits: set[int] = set()
        by_first = index.by_first
        for forms in after[:_FIRST_WITHIN]:
            for f in forms:
                found = by_first.get(f)
                if found:
                    hits.update(found)  # a list at once, not an element per step
        if not hits:
            return [index.ordered[n] for n in index.before_only]
        hits.update(index.before_only)
        return [index.ordered[n] for n in sorted(hits)]

    def _index(self, block: str) -> _BlockIndex:
        index = self._indexes.get(block)
        if index is None:
            index = self._indexes[block] = _BlockIndex.build(self.patterns.get(block, ()))
        return index

    def reads_after(self, block: str, forms: frozenset[str]) -> bool:
        """Whether a pattern of the block could read the words after its verb, in a sentence
        of these forms (words and lemmas): `code_for` with no words after the verb gives
        the same answer when none of them starts one of its patterns' after-slots."""
        return not forms.isdisjoint(self._index(block).first_words)


@dataclass
class _BlockIndex:
    ordered: list[Pattern]  # the block's coding patterns, in file order
    before_only: list[int]  # positions of those with no words after the verb
    by_first: dict[str, list[int]]  # a word of the first after-slot -> positions
    first_words: frozenset[str] = frozenset()  # by_first's words

    @classmethod
    def build(cls, patterns) -> _BlockIndex:
        ordered = [p for p in patterns if (p.code or p.code2) and (p.after or p.before)]
        by_first: dict[str, list[int]] = {}
        for n, pat in enumerate(ordered):
            for word in pat.after[0] if pat.after else ():
                by_first.setdefault(word, []).append(n)
        return cls(ordered, [n for n, p in enumerate(ordered) if not p.after], by_first,
                   frozenset(by_first))


_FIRST_WITHIN = 4  # objects and particles sit next to their verb
_SPAN_WITHIN = 10


def _in_order(slots: tuple[frozenset[str], ...], words: list[tuple[str, ...]]) -> bool:
    pos = -1
    for n, slot in enumerate(slots):
        limit = _FIRST_WITHIN if n == 0 else _SPAN_WITHIN
        found = None
        for k in range(pos + 1, min(len(words), limit if n == 0 else pos + 1 + limit)):
            if not slot.isdisjoint(words[k]):  # one of the word's forms fills the slot
                found = k
                break
        if found is None:
            return False
        pos = found
    return True


_NOISE = {"a", "an", "the", "of", "+", "$", "^", "%", "_"}


def _slots(text: str, synsets: dict[str, frozenset[str]]) -> tuple[frozenset[str], ...]:
    """A pattern side -> the content-word slots that must all occur (any alternative)."""
    cleaned = text.replace("(", " ").replace(")", " ").replace("{", " ").replace("}", " ")
    out = []
    for word in cleaned.split():
        if word in _NOISE or word.startswith(("$", "^")):
            continue
        if word.startswith("&"):
            # an undefined set (the source has a few) can never match
            out.append(synsets.get(word.upper().rstrip("_"), frozenset()))
            continue
        word = word.strip("_").replace("_", " ")
        if "/" in word:
            out.append(frozenset(word.split("/")))
            continue
        for part in word.split():
            out.append(frozenset({part}))
    return tuple(out)


def _rows(name: str) -> list[list[str]]:
    path = _DATA / name
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return rows[1:]  # header row


@lru_cache(maxsize=1)
def load() -> Lexicon:
    """The trigger lexicon (cached per process)."""
    synsets: dict[str, frozenset[str]] = {}
    for name, words in _rows("synsets.tsv"):
        alts: set[str] = set()
        for w in filter(None, (x.strip() for x in words.split("|"))):
            alts.add(w)
            alts.add(w.split()[-1])  # "assault rifle" also matches on its head noun, "rifle"
        synsets[name.rstrip("_")] = frozenset(a for a in alts if a not in _NOISE)
    lex = Lexicon()
    for verb, forms, code, code2, block in _rows("verbs.tsv"):
        _first, *rest = verb.split()
        for form in filter(None, (f.strip() for f in forms.split(","))):
            head = form.split()[0]
            entry = TriggerEntry(verb, code, code2, block, "VERB", tuple(rest))
            lex.forms.setdefault(head, []).append(entry)
    for name in ("patterns.tsv", "pattern_additions.tsv"):
        for block, before, after, code, code2 in _rows(name):
            pat = Pattern(_slots(before, synsets), _slots(after, synsets), code, code2,
                          f"{before} * {after}".strip())
            lex.patterns.setdefault(block, []).append(pat)
    generic = {line.strip() for line in (_DATA / "generic.txt").read_text("utf-8").splitlines()
               if line.strip() and not line.startswith("#")}
    for form, entries in lex.forms.items():
        lex.forms[form] = [TriggerEntry(e.lemma, "", "", e.block, e.pos, e.rest)
                           if e.lemma in generic else e for e in entries]
    for row in _rows("additions.tsv"):
        lemma, pos, forms, code, code2 = row[:5]
        _first, *rest = lemma.split()
        # A verb PETRARCH knows keeps its block's patterns ("requested extradition" -> 0213);
        # our code replaces only its default.
        known = [e for e in lex.forms.get(lemma.split()[0], ()) if e.lemma == lemma]
        # An empty code silences the verb, patterns included ("addressed issues").
        block = known[0].block if known and pos == "VERB" and code else f"DATELINE:{lemma}"
        for form in filter(None, (f.strip() for f in forms.split(","))):
            head = form.split()[0]
            entry = TriggerEntry(lemma, code, code2, block, pos, tuple(rest), "dateline")
            # Our additions come first: they are written for modern news usage.
            lex.forms.setdefault(head, []).insert(0, entry)
    return lex


@dataclass(frozen=True)
class Coding:
    """What a CAMEO code means in PLOVER."""

    type: str
    mode: str | None
    cameo: str


# CAMEO 02 (appeal) has no row in the 2021 crosswalk; PLOVER folds appeals into REQUEST.
_APPEAL_MODES = {"021": "assist", "022": "assist", "023": "assist", "024": "change",
                 "025": "change", "026": "meet", "027": "meet", "028": "meet"}


@lru_cache(maxsize=2048)  # a few hundred CAMEO codes; a Coding is immutable, so shared
def plover_coding(cameo: str | None) -> Coding | None:
    """PLOVER type/mode of a CAMEO code; None for statements (01) and unmapped codes."""
    if not cameo or cameo.startswith("01"):
        return None
    entry = ontology.plover_for(cameo)
    if entry is not None:
        return Coding(entry.plover, entry.mode, cameo)
    if cameo.startswith("02"):
        return Coding("REQUEST", _APPEAL_MODES.get(cameo[:3]), cameo)
    return None


def sentence_has_trigger(words: list[str]) -> bool:
    """Whether a sentence (lower-cased words) holds a word that can trigger an event."""
    forms = trigger_forms()
    lex = load()
    for i, word in enumerate(words):
        if word in forms:
            entry = lex.lookup(word, tuple(words[i + 1:i + 4]))
            if entry is not None and (plover_coding(entry.code) or plover_coding(entry.code2)):
                return True
    return False


@lru_cache(maxsize=1)
def trigger_forms() -> frozenset[str]:
    """Lower-cased word forms that can start an event trigger (for sentence selection).

    Only entries whose default code is an event: statement verbs (say, tell: CAMEO 01)
    and pattern-only verbs are left out; what they govern is selected by its own trigger.
    """
    lex = load()
    out = set()
    for form, entries in lex.forms.items():
        for e in entries:
            if e.code.startswith("01"):
                continue
            # Pattern-only verbs (make, take, hold...) are too common to select on; the
            # eventive nouns they govern (talks, attack, protest) select the sentence.
            if plover_coding(e.code) or plover_coding(e.code2):
                out.add(form)
                break
    return frozenset(out)


@lru_cache(maxsize=1)
def pattern_forms() -> frozenset[str]:
    """Forms of verbs with no default code that some pattern of theirs codes as an event
    ("close ... border", "lift ... ban", "hold talks"): selected only when a pattern matches."""
    lex = load()
    coded_blocks = {block for block, pats in lex.patterns.items()
                    if any(plover_coding(p.code) or plover_coding(p.code2) for p in pats)}
    out = set()
    for form, entries in lex.forms.items():
        if any(e.pos == "VERB" and not e.code and not e.code2 and e.block in coded_blocks
               for e in entries):
            out.add(form)
    return frozenset(out - trigger_forms())
