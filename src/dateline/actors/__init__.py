"""Actor mentions in a story, resolved to country + sector with roles valid on the story date.

``find_mentions(doc, sdoc)`` matches the dictionaries (dictionary.py) over the spaCy tokens
(matching.py), builds compounds and titles (mentions.py), then resolves surnames, pronouns
and descriptions within the story (coref.py). ``resolve_actor`` looks up a single phrase.

What the mentions promise (the event and context stages rely on it):

* sorted by ``start``; ``doc.text[start:end] == text == actor.text``; ``actor.start/end``
  are the same offsets; spans never include a leading "the";
* ``kind``: ``person`` (a named person, from the dictionaries, a surname of one named
  earlier, or a PERSON entity), ``country`` (a country name, or a capital used for its
  government: "Washington said" -> USA GOV), ``org``, ``role`` (a role noun, with its
  country when written: "Mexican police", "police in Tijuana"), ``title`` (an office
  written next to a name: "the Secretary of the Interior, Alfonso Navarrete Prida"; it
  carries that person's actor), ``pronoun`` (he/she/him/her/his/they/them/their, with the
  antecedent's actor);
* ``antecedent`` is the index, in the same list, of the mention this one refers to:
  the earlier full name for surnames, pronouns and descriptions ("the US official"), and
  the name that follows for a title;
* ``group`` is shared by the members of a compound ("Mexico and the United States",
  "Secretaries of Mexico and the US"); "they" resolved to several people yields one
  pronoun mention per person, on the same span, sharing a new group;
* a pronoun that cannot be resolved yields no mention; an unknown name yields a person
  with ``country``/``sector`` None; unknown values are None, never guessed;
* ``head`` is the syntactic head where the sentence was parsed, else the last noun
  before any "of ..." complement. Works on partially parsed Docs (``dateline.nlp``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress, count, islice
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from dateline.actors import coref
from dateline.actors.dictionary import ActorDictionary, load_dictionary, phrase_tokens
from dateline.actors.matching import Token, make_tokens, match_tokens
from dateline.actors.mentions import Mention, compose
from dateline.records import Actor, Document

if TYPE_CHECKING:  # spaCy is only needed by callers that parse
    import spacy

__all__ = ["ActorMention", "find_mentions", "load_dictionary", "resolve_actor"]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_VERB_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD", "VB", "VBN", "VBG"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "agent", "csubj"})
# Verbs that follow a capital used for its government ("Washington said", "Beijing warned").
_SPEECH = frozenset({
    "said", "says", "say", "has", "have", "had", "will", "would", "wants", "wanted", "warned",
    "accused", "denied", "urged", "called", "announced", "rejected", "agreed", "insisted",
    "responded", "retaliated", "imposed", "threatened", "is", "was"})
_GROUP_SLOTS = frozenset({"IGO", "UNO", "EUR", "NGO", "IMG", "MNC", "ISM", "INT"})
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "as", "that", "which", "who", "is", "are", "was", "were", "be", "been", "has",
    "have", "had", "will", "would", "can", "could", "may", "might", "must", "should"})


@dataclass
class ActorMention:
    """One mention of an actor in doc.text with its resolved Actor and links."""

    start: int  # char offsets in doc.text
    end: int
    text: str
    actor: Actor
    kind: str  # "person" | "country" | "org" | "role" | "pronoun" | "title"
    token_start: int
    token_end: int  # exclusive
    head: int  # token index of the syntactic head
    group: int | None = None  # members of one compound ("Mexico and the US") share it
    antecedent: int | None = None  # index (in the returned list) of the mention referred to


def story_day(published: str | None) -> str | None:
    """The YYYY-MM-DD story date from Document.published, or None when it is not one."""
    if not published:
        return None
    m = _ISO_DAY.match(published.strip())
    return m.group(0) if m else None


def _lowercase_doc(toks: list[Token]) -> bool:
    """A story written all in lower case (some corpora are): names cannot need capitals."""
    if len(toks) < 40:
        return False
    caps = 0
    for t in toks[:400]:
        caps += t.cap
        if caps > 8:  # most stories: decided within the first sentences
            return False
    return caps < 0.02 * min(len(toks), 400)


# spaCy string hash -> our token (text, folded form, capitalised), shared across stories
# because the vocabulary repeats: the first _STRINGS_BOUND words met (~1.3 MiB; a Guardian
# story meets ~30 words new to the sample's first 250 stories, a long run many more), the
# rest made per story. A Token is a function of its string: what is kept changes no result.
_STRINGS: dict[int, Token] = {}
_STRINGS_BOUND = 8_000
_TEXT_OF = attrgetter("text")
_NORM_OF = attrgetter("norm")


class _LabelTable:
    """Label hashes (tags, dependency labels, entity types: a parser's few hundred at most)
    sorted, with their names: a story's label columns are named by one binary search and one
    gather in numpy instead of a Python int and a dict look-up per token and column."""

    def __init__(self) -> None:
        import numpy as np

        # (sorted hashes, their names), swapped whole: a thread never pairs two tables
        self.table = (np.zeros(1, dtype=np.uint64), np.array([""], dtype=object))  # 0: none

    def names(self, columns, strings) -> list[list[str]]:
        """The names of each column (of an (n, k) array of label hashes), as k lists."""
        import numpy as np

        for _ in range(2):
            keys, values = self.table
            at = np.searchsorted(keys, columns)
            at[at == len(keys)] = 0
            if (keys[at] == columns).all():
                return values[at].T.tolist()
            keys = np.union1d(keys, columns)
            if len(keys) > 100_000:  # a bound, though a parser has a few hundred labels
                keys = np.union1d(np.zeros(1, dtype=np.uint64), columns)
            self.table = (keys, np.array([strings[h] for h in keys.tolist()], dtype=object))
        raise AssertionError("unreachable: the table holds every hash of the columns")


_LABEL_TABLE = _LabelTable()


class _View:
    """The parsed story as flat lists over its non-space tokens (cheap to index repeatedly)."""

    def __init__(self, sdoc) -> None:
        import numpy as np
        from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, IS_SPACE, ORTH, SENT_START, TAG

        arr = sdoc.to_array([ORTH, TAG, DEP, HEAD, IS_SPACE, SENT_START, IDX, ENT_TYPE, ENT_IOB])
        n = len(arr)
        starts = arr[:, 5] == 1  # SENT_START is 1, 0 or -1 (as uint64)
        if n:
            starts[0] = True
        sent = np.cumsum(starts) - 1
        head = np.arange(n, dtype=np.int64) + arr[:, 3].astype(np.int64)  # HEAD is relative
        kept = np.flatnonzero(arr[:, 4] == 0)
        sub = arr[kept]  # one gather of the non-space rows
        orths = sub[:, 0].tolist()
        strings = sdoc.vocab.strings
        missing = set(orths).difference(_STRINGS)
        made = dict(zip(missing, make_tokens([strings[h] for h in missing])))
        room = _STRINGS_BOUND - len(_STRINGS)
        if made and room > 0:  # the first words met stay: most are a language's common ones
            _STRINGS.update(made if len(made) <= room else islice(made.items(), room))
        # tags, labels and entity types named in numpy: no Python int per 64-bit hash
        tags, deps, ents = _LABEL_TABLE.names(sub[:, (1, 2, 7)], strings)
        self.orig: list[int] = kept.tolist()
        # map() over a bound getter: the per-token lists without a Python frame per token
        # the words the cache had no room for are read from this story's own tokens
        self.toks: list[Token] = list(map(made.get, orths, map(_STRINGS.get, orths))) \
            if len(made) > room else list(map(_STRINGS.__getitem__, orths))
        self.text: list[str] = list(map(_TEXT_OF, self.toks))
        self.norm: list[str] = list(map(_NORM_OF, self.toks))
        self.idx: list[int] = sub[:, 6].tolist()
        self.tag: list[str] = tags
        self.dep: list[str] = deps
        self.ent: list[str] = ents
        self.ent_begins: list[bool] = (sub[:, 8] == 3).tolist()  # IOB "B"
        self.head: list[int] = head[kept].tolist()  # absolute token index of the head
        self.sent: list[int] = sent[kept].tolist()
        self.has_tags = any(self.tag)
        self.has_deps = any(self.dep)

    def head_of(self, ts: int, te: int) -> int:
        """Compressed index of the head of tokens ts..te (a parse where there is one)."""
        if te - ts == 1:
            return ts  # one token heads itself, parsed or not (the rules below agree)
        orig = self.orig
        lo, hi = orig[ts], orig[te - 1]
        if all(self.dep[k] for k in range(ts, te)):
            outside = [k for k in range(ts, te) if not lo <= self.head[k] <= hi
                       or self.head[k] == orig[k]]
            if outside:
                return outside[-1] if len(outside) > 1 else outside[0]
        # English noun phrases end in their head, before any "of ..." complement
        for k in range(ts + 1, te):
            if self.text[k].lower() in ("of", "for", "in", ","):
                return k - 1
        return te - 1


# Dependencies of a name that heads its own phrase (never a modifier of the next word).
_ARGUMENT_DEPS = frozenset({"pobj", "dobj", "nsubj", "nsubjpass", "appos", "attr", "dative",
                            "ROOT"})


def find_mentions(doc: Document, sdoc: spacy.tokens.Doc,
                  dictionaries: Iterable[str | Path] | str | None = None) -> list[ActorMention]:
    """Actor mentions of `sdoc` (a spaCy Doc of doc.text), sorted by start, dated by doc.published.

    `dictionaries` adds user dictionary files (default: the DATELINE_ACTORS env var).
    """
    if sdoc is None or len(sdoc) == 0:
        return []
    dictionary = load_dictionary(dictionaries)
    day = story_day(doc.published)
    # whitespace tokens ("\n\n", a no-break space) never split a name: match without them
    view = _View(sdoc)
    if not view.orig:
        return []
    toks = view.toks
    lowercase = _lowercase_doc(toks)
    matches = match_tokens(toks, dictionary, lowercase, norms=view.norm)
    for m in matches:
        # a dictionary "organisation" that the tagger reads as a name is a person ("Assad")
        if m.kind == "org" and all(view.ent[k] == "PERSON" for k in range(m.start, m.end)) \
                and _looks_like_a_name(m.entry.name):
            m.as_kind = "person"
    matches = _add_ner_people(doc.text, matches, view)
    n = len(toks)
    tags, deps, has_tags = view.tag, view.dep, view.has_tags

    def is_metonym(ts: int, te: int) -> bool:
        nxt = toks[te] if te < n else None
        if nxt is not None and not nxt.text[:1].isalnum() and nxt.norm != "'s":
            return False  # "Mexico City, Mexico —" is a dateline, not the government
        if deps[te - 1] in _SUBJECT_DEPS:
            return True
        if nxt is not None:
            if nxt.norm == "'s" or nxt.norm in _SPEECH:
                return True
            if tags[te] in _VERB_TAGS and tags[te] not in ("VBN", "VBG"):
                return True
        return False

    def is_attributive(ts: int, te: int) -> bool:
        if te >= n or lowercase:
            return False
        nxt = toks[te]
        if not nxt.text[:1].isalpha() or not nxt.text[:1].islower():
            return False
        if deps[te - 1] in _ARGUMENT_DEPS:
            return False  # "returned to Syria last year": the name heads its own phrase
        if tags[te]:
            return tags[te] in ("NN", "NNS", "JJ", "CD", "VBG")
        return nxt.norm not in _SPEECH and nxt.norm not in _FUNCTION_WORDS

    def is_plural(i: int) -> bool:
        if has_tags and tags[i]:
            return tags[i] in ("NNS", "NNPS")
        word = toks[i].norm
        return word.endswith("s") and not word.endswith("ss")

    mentions = compose(toks, matches, day, is_metonym, is_attributive, is_plural)
    used = {m.group for m in mentions if m.group}
    group_ids = count(max(used) + 1 if used else 1)
    mentions = coref.surnames(toks, mentions, view.norm)
    for m in mentions:
        m.extra["head"] = head = view.head_of(m.ts, m.te)
        m.extra["dep"] = deps[head]
    _one_country_story(mentions)
    coref.descriptions(toks, mentions, view.sent)
    mentions = coref.pronouns(toks, mentions, view.sent, group_ids, view.norm)
    return _finish(doc, view, mentions)


# Sectors of domestic actors: in a story about one country they belong to it.
_DOMESTIC = frozenset({"COP", "GOV", "JUD", "LEG", "MIL", "SPY", "PTY", "OPP", "CVL", "CRM",
                       "REB", "EDU", "MED", "JRN", "LAB", "BUS", "AGR", "REL", "REF", "ELI"})


def _one_country_story(mentions: list[Mention]) -> None:
    """'police' in a story that names only one country are that country's police."""
    countries = {m.country for m in mentions if m.country and len(m.country) == 3
                 and m.country not in _GROUP_SLOTS}
    if len(countries) != 1:
        return  # none, or several: the context is ambiguous
    (country,) = countries
    for m in mentions:
        if m.kind == "role" and m.country is None and m.sector in _DOMESTIC:
            m.country = country


_ORG_WORDS = frozenset({
    "headquarters", "agency", "ministry", "department", "council", "committee", "party",
    "organization", "organisation", "front", "army", "service", "office", "bureau", "union",
    "commission", "association", "group", "company", "bank", "court", "university", "observatory",
    "institute", "foundation", "movement", "force", "forces", "brigade", "network", "news"})


def _looks_like_a_name(name: str) -> bool:
    """'Bashar Al-Assad' yes; 'Syrian Observatory for Human Rights', 'MI6' no."""
    words = name.replace("-", " ").split()
    return 2 <= len(words) <= 5 and not any(
        w.lower() in _ORG_WORDS or w.islower() or any(c.isdigit() for c in w) for w in words)


def _add_ner_people(text_of_doc: str, matches: list, view: _View) -> list:
    """PERSON entities no dictionary knows become candidate people (NER is a candidate only)."""
    from dateline.actors.dictionary import Entry
    from dateline.actors.matching import Match

    text, tag, n = view.text, view.tag, len(view.text)
    ents = []  # PERSON entities as (start, end) over the non-space tokens
    for k in compress(count(), map("PERSON".__eq__, view.ent)):  # one pass, no frame a token
        if view.ent_begins[k] or not ents or ents[-1][1] != k:
            ents.append([k, k + 1])
        else:
            ents[-1][1] = k + 1
    if not ents:
        return matches
    taken = set()
    for m in matches:
        taken.update(range(m.start, m.end))
    extra = []
    for ts, te in ents:
        while ts < te and text[ts].lower() in ("the", "then", "-", "former"):
            ts += 1
        while te > ts and text[te - 1].lower() in ("'s", "\u2019s", "-"):
            te -= 1
        # the small model often stops a long name early ("Marta Quintela | Alves")
        while te < n and text[te][:1].isupper() and view.sent[te] == view.sent[te - 1] \
                and tag[te] in ("NNP", "") and te not in taken:
            te += 1
        if te <= ts or not text[ts][:1].isupper() or any(i in taken for i in range(ts, te)):
            continue
        # the name as written ("Lloyd Russell-Moyle"), whitespace collapsed
        name = " ".join(text_of_doc[view.idx[ts]:view.idx[te - 1] + len(text[te - 1])].split())
        entry = Entry(kind="person", name=name, keys=[phrase_tokens(name)], priority=-1)
        extra.append(Match(ts, te, entry, [entry]))
    if not extra:
        return matches
    return sorted(matches + extra, key=lambda m: m.start)


def _actor(m: Mention, text: str, start: int, end: int) -> Actor:
    return Actor(text=text, name=m.name, country=m.country, sector=m.sector, title=m.title,
                 start=start, end=end)


def _finish(doc: Document, view: _View, mentions: list[Mention]) -> list[ActorMention]:
    mentions = [m for m in mentions if m.te > m.ts]
    mentions.sort(key=lambda m: (m.ts, m.te, m.kind == "pronoun"))
    index = {id(m): k for k, m in enumerate(mentions)}
    out = []
    idx, words, orig, story = view.idx, view.text, view.orig, doc.text
    for m in mentions:
        ts, te = m.ts, m.te
        start = idx[ts]
        end = idx[te - 1] + len(words[te - 1])
        text = story[start:end]
        ref = m.ref
        while ref is not None and id(ref) not in index and ref.ref is not None:
            ref = ref.ref
        head = m.extra.get("head")
        out.append(ActorMention(
            start=start, end=end, text=text, actor=_actor(m, text, start, end), kind=m.kind,
            token_start=orig[ts], token_end=orig[te - 1] + 1,
            head=orig[head if head is not None else view.head_of(ts, te)],
            group=m.group,
            antecedent=index.get(id(ref)) if ref is not None else None))
    return out


def resolve_actor(text: str, story_date: str | None = None,
                  dictionaries: Iterable[str | Path] | str | None = None) -> Actor | None:
    """Dictionary lookup of one phrase ("Mexican police", "Kirstjen Nielsen") on a date."""
    if not text or not text.strip():
        return None
    dictionary: ActorDictionary = load_dictionary(dictionaries)
    raw = _raw_tokens(text)
    if raw and raw[0].lower() == "the":
        raw = raw[1:]
    toks = make_tokens(raw)
    matches = match_tokens(toks, dictionary, lowercase_doc=text.islower())
    if not matches:
        return None
    day = story_day(story_date)
    mentions = compose(toks, matches, day, lambda ts, te: True, lambda ts, te: False,
                       lambda i: toks[i].norm.endswith("s"))
    if not mentions:
        return None
    best = max(mentions, key=lambda m: (m.te - m.ts, m.kind != "title"))
    if best.ref is not None and best.kind == "title":
        best = best.ref
    return Actor(text=text.strip(), name=best.name, country=best.country, sector=best.sector,
                 title=best.title)


def _raw_tokens(text: str) -> list[str]:
    """Surface tokens of a phrase, split as the dictionaries split them."""
    from dateline.actors.dictionary import split_phrase

    return split_phrase(text)
