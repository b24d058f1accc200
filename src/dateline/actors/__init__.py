"""Actor mentions in a story, resolved to country + sector with roles valid on the story date.

``find_mentions(doc, sdoc)`` matches the dictionaries (dictionary.py) over the spaCy tokens
(matching.py), builds compounds and titles (mentions.py), then resolves surnames, pronouns
and descriptions within the story (coref.py). ``resolve_actor`` looks up a single phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import count
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
_SPEECH = frozenset(["said", "says", "say", "has", "have", "had", "will", "would", "wants", "wanted", "warned", "accused", "denied", "urged", "called", "announced", "rejected", "agreed", "insisted", "responded", "retaliated", "imposed", "threatened", "is", "was"])


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
    words = [t for t in toks if t.text[:1].isalpha()]
    if len(words) < 20:
        return False
    return sum(1 for t in words if t.cap) < 0.02 * len(words)


def _head(sdoc, ts: int, te: int) -> int:
    span_tokens = sdoc[ts:te]
    if all(t.dep_ for t in span_tokens):
        return span_tokens.root.i
    # English noun phrases end in their head, before any "of ..." complement
    for t in span_tokens:
        if t.i > ts and t.lower_ in ("of", "for", "in", ","):
            return t.i - 1
    return te - 1


def _sentence_index(sdoc) -> list[int]:
    out = [0] * len(sdoc)
    try:
        sents = list(sdoc.sents)
    except ValueError:  # no sentence boundaries set: one sentence
        return out
    for k, sent in enumerate(sents):
        for i in range(sent.start, sent.end):
            out[i] = k
    return out


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
    orig = [t.i for t in sdoc if not t.is_space]
    if not orig:
        return []
    toks = make_tokens([sdoc[i].text for i in orig])
    lowercase = _lowercase_doc(toks)
    matches = match_tokens(toks, dictionary, lowercase)
    matches = _add_ner_people(sdoc, matches, orig)
    has_tags = sdoc.has_annotation("TAG")
    has_deps = sdoc.has_annotation("DEP")
    n = len(orig)

    def is_metonym(ts: int, te: int) -> bool:
        last = sdoc[orig[te - 1]]
        nxt = sdoc[orig[te]] if te < n else None
        if nxt is not None and nxt.is_punct and nxt.lower_ not in ("'s", "\u2019s"):
            return False  # "Mexico City, Mexico —" is a dateline, not the government
        if has_deps and last.dep_ in _SUBJECT_DEPS:
            return True
        if nxt is not None:
            if nxt.lower_ in ("'s", "\u2019s"):
                return True
            if has_tags and nxt.tag_ in _VERB_TAGS and nxt.tag_ not in ("VBN", "VBG"):
                return True
            if nxt.lower_ in _SPEECH:
                return True
        return False

    def is_attributive(ts: int, te: int) -> bool:
        if te >= n:
            return False
        nxt = sdoc[orig[te]]
        if not nxt.text[:1].isalpha() or not nxt.text[:1].islower() or lowercase:
            return False
        if has_tags and nxt.tag_:
            return nxt.tag_ in ("NN", "NNS", "JJ", "CD", "VBG")
        return nxt.lower_ not in _SPEECH and not nxt.is_stop

    def is_plural(i: int) -> bool:
        t = sdoc[orig[i]]
        if has_tags and t.tag_:
            return t.tag_ in ("NNS", "NNPS")
        return t.lower_.endswith("s") and not t.lower_.endswith("ss")

    mentions = compose(toks, matches, day, is_metonym, is_attributive, is_plural)
    used = {m.group for m in mentions if m.group}
    group_ids = count(max(used) + 1 if used else 1)
    mentions = coref.surnames(toks, mentions)
    sent_full = _sentence_index(sdoc)
    sent_of = [sent_full[i] for i in orig]
    for m in mentions:
        m.extra["dep"] = sdoc[_head(sdoc, orig[m.ts], orig[m.te - 1] + 1)].dep_
    coref.descriptions(toks, mentions, sent_of)
    mentions = coref.pronouns(toks, mentions, sent_of, group_ids)
    return _finish(doc, sdoc, mentions, orig)


def _add_ner_people(sdoc, matches: list, orig: list[int]) -> list:
    """PERSON entities no dictionary knows become candidate people (NER is a candidate only)."""
    from dateline.actors.dictionary import Entry
    from dateline.actors.matching import Match

    if not sdoc.has_annotation("ENT_IOB"):
        return matches
    taken = set()
    for m in matches:
        taken.update(range(m.start, m.end))
    pos = {i: k for k, i in enumerate(orig)}
    extra = []
    for ent in sdoc.ents:
        if ent.label_ != "PERSON":
            continue
        ts, te = ent.start, ent.end
        while ts < te and sdoc[ts].lower_ in ("the", "then", "-", "former"):
            ts += 1
        while te > ts and sdoc[te - 1].lower_ in ("'s", "\u2019s", "-"):
            te -= 1
        # the small model often stops a long name early ("Marta Quintela | Alves")
        while te < len(sdoc) and sdoc[te].text[:1].isupper() and not sdoc[te].is_sent_start \
                and (sdoc[te].tag_ in ("NNP", "") and sdoc[te].ent_type_ in ("", "PERSON")):
            te += 1
        if te <= ts or ts not in pos or te - 1 not in pos or not sdoc[ts].text[:1].isupper():
            continue
        cts, cte = pos[ts], pos[te - 1] + 1
        if any(i in taken for i in range(cts, cte)):
            continue
        name = " ".join(t.text for t in sdoc[ts:te] if not t.is_space)
        entry = Entry(kind="person", name=name, keys=[phrase_tokens(name)], priority=-1)
        extra.append(Match(cts, cte, entry, [entry]))
    if not extra:
        return matches
    return sorted(matches + extra, key=lambda m: m.start)


def _actor(m: Mention, text: str, start: int, end: int) -> Actor:
    return Actor(text=text, name=m.name, country=m.country, sector=m.sector, title=m.title,
                 start=start, end=end)


def _finish(doc: Document, sdoc, mentions: list[Mention], orig: list[int]) -> list[ActorMention]:
    mentions = [m for m in mentions if m.te > m.ts]
    mentions.sort(key=lambda m: (m.ts, m.te, m.kind == "pronoun"))
    index = {id(m): k for k, m in enumerate(mentions)}
    out = []
    for m in mentions:
        ts, te = orig[m.ts], orig[m.te - 1] + 1
        start = sdoc[ts].idx
        last = sdoc[te - 1]
        end = last.idx + len(last.text)
        text = doc.text[start:end]
        ref = m.ref
        while ref is not None and id(ref) not in index and ref.ref is not None:
            ref = ref.ref
        out.append(ActorMention(
            start=start, end=end, text=text, actor=_actor(m, text, start, end), kind=m.kind,
            token_start=ts, token_end=te, head=_head(sdoc, ts, te), group=m.group,
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
