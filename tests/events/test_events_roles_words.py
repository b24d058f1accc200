"""The roles stage reads the parse on word tables (events.extract._Words); each of its walks
(and verb_roles, noun_roles whole) equals its definition over spaCy Tokens, kept here, on
every token of real news stories and on every table a token can be read on: the candidate
loop's sentence, the token's own sentence (a token outside the loop's sentence, e.g. a
reporting verb read after the loop), and the whole story."""

from __future__ import annotations

import gzip
import json

from dateline import actors, nlp
from dateline.events import roles as r
from dateline.events.extract import _doc_table, _quote_spans, _Words, _words_for
from dateline.records import Document

TEXT = ("Russia will withdraw its troops from Ukraine, the Kremlin said. The UN launched "
        "an investigation into the Syrian army. An appeal filed by Amnesty International "
        "was rejected. Ministers discussed issues such as organized crime and met in "
        "Berlin with officials from Mexico. At the talks in Lima, Chile and Peru signed "
        "a pact. Police stopped military aid to the rebels and arrested Ivan Petrov. "
        "Mexico's Interior Secretary and officials from the United States met police "
        "chiefs of Tijuana. Assad's backers in Russia sent military aid to the Syrian "
        "army, and the rebels attacked a convoy of the Turkish forces near Idlib. In "
        "Geneva, the envoy called for sanctions against Iran and sat down with the "
        "Taliban, who were supported by Pakistan.")


# --- the definitions, over Tokens -------------------------------------------------------

def _role_at(tok, index) -> bool:
    k = index.at(tok.i)
    return k is not None and getattr(index.mentions[k], "kind", None) == "role"


def _mentions_under(tok, index) -> list[int]:
    """Mentions inside the noun phrase headed by `tok`."""
    found: list[int] = []
    stack, seen = [tok], set()
    while stack:
        t = stack.pop()
        if t.i in seen:
            continue
        seen.add(t.i)
        k = index.at(t.i)
        if k is not None and k not in found:
            found.append(k)
        for c in t.children:
            dep = c.dep_
            if dep == "poss" and index.at(t.i) is None and index.at(c.i) is not None:
                continue
            if dep == "amod" and index.at(t.i) is None and c.is_lower and _role_at(c, index):
                continue
            if dep == "conj" and r._stranded_verb(c) is not None:
                continue
            if dep == "prep" and c.lower_ in r._NP_PREPS or dep not in r._STOP_DEPS:
                stack.append(c)
    return found


def _subjects(verb) -> tuple[list, list]:
    """(active, passive) subjects, inherited through control, coordination, purpose and
    participle clauses."""
    v = verb
    for _ in range(4):
        subj = [c for c in v.children if c.dep_ in ("nsubj", "csubj")]
        psubj = [c for c in v.children if c.dep_ in ("nsubjpass", "csubjpass")]
        if subj or psubj:
            return subj, psubj
        head = v.head
        if head.i == v.i:
            break
        if v.dep_ in ("xcomp", "acomp") or (v.dep_ == "conj" and head.pos_ in ("VERB", "AUX")):
            v = head  # control and coordination
        elif v.dep_ == "advcl" and v.tag_ == "VB" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
            v = head  # purpose clause
        elif v.dep_ == "advcl" and v.tag_ == "VBG" and v.i > head.i \
                and head.pos_ in ("VERB", "AUX"):
            v = head  # participle clause
        elif v.dep_ == "acl" and v.tag_ == "VBG" and head.dep_ == "dobj" \
                and head.head.pos_ == "VERB":
            v = head.head
        else:
            break
    return r._stranded_subjects(v), []


def _pobjs(prep) -> list:
    out = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    for c in list(out):
        out.extend(cc for cc in c.children if cc.dep_ == "conj" and r._stranded_verb(cc) is None)
        for cc in c.children:
            if cc.dep_ == "prep" and cc.lower_ in ("with", "between", "against"):
                out.extend(g for g in cc.children if g.dep_ == "pobj")
    return out


def _own_asset(obj) -> bool:
    return obj.lower_ in r._OWN_ASSETS and any(
        c.dep_ == "poss" and c.lower_ in r._OWN for c in obj.children)


def _verb_slots(verb, lemma: str, actor_toks: list, recip_toks: list) -> tuple[set, list]:
    """The object and prepositional slots of a verb."""
    preps: set[str] = set()
    kids = list(verb.children)
    if not any(c.dep_ in ("dobj", "obj") for c in kids):
        for c in kids:
            if c.dep_ == "conj" and c.pos_ == "VERB":
                recip_toks.extend(g for g in c.children if g.dep_ == "dobj")
    for c in kids:
        dep = c.dep_
        if dep == "agent":
            actor_toks.extend(_pobjs(c))
        elif dep in ("dobj", "dative", "obj"):
            if lemma not in r.TOPIC_OBJECT_VERBS and not _own_asset(c):
                recip_toks.append(c)
            for cc in c.children:
                if cc.dep_ == "prep" and cc.lower_ in r._OBJECT_PREPS:
                    objs = _pobjs(cc)
                    recip_toks.extend(objs)
                    if objs:
                        preps.add(cc.lower_)
        elif dep == "prep" and c.lower_ in r.RECIPIENT_PREPS and not r._fronted(c, verb):
            objs = _pobjs(c)
            recip_toks.extend(objs)
            if objs:
                preps.add(c.lower_)
        elif dep == "prep" and c.lower_ in r._CALL_PREPS:
            recip_toks.extend(g for o in _pobjs(c) for cc in o.children
                              if cc.dep_ == "prep" and cc.lower_ in ("against", "on", "to")
                              for g in _pobjs(cc))
        elif dep == "prt":
            for cc in c.children:
                if cc.dep_ == "prep" and cc.lower_ in r.RECIPIENT_PREPS:
                    recip_toks.extend(_pobjs(cc))
                    preps.add(cc.lower_)
    return preps, kids


def _deeper_recipients(roles: r.Roles, starts: list, verb, index) -> None:
    """The nearest named party further down the trigger's own phrases."""
    if any((a.start, a.end) not in roles.plain for a in roles.recipients):
        return
    taken = {(a.name or a.text, a.country, a.sector) for a in roles.actors}
    taken_spans = list(roles.actor_spans)
    frontier = list(verb.children) + starts[1:]
    seen = {verb.i}
    for _ in range(r._DEEPER_HOPS):
        found, proper, nxt = [], [], []
        for t in frontier:
            dep = t.dep_
            if t.i in seen or dep in r._NOT_DEEPER:
                continue
            if dep in ("prep", "agent") and t.lower_ in r._NOT_DEEPER_PREPS:
                continue
            if dep == "prep" and r._fronted(t, verb) or dep == "conj" and r._stranded_verb(t):
                continue
            if dep in ("dobj", "obj") and (
                    t.head.lemma_ or t.head.lower_).lower() in r.TOPIC_OBJECT_VERBS:
                continue
            if t.pos_ in ("VERB", "AUX") and (dep == "conj" or dep == "advcl" and not any(
                    c.dep_ == "aux" and c.lower_ == "to" for c in t.children)):
                continue
            if dep == "amod" and t.is_lower and _role_at(t, index) \
                    and index.at(t.head.i) is None:
                continue
            seen.add(t.i)
            if _own_asset(t):
                nxt.extend(t.children)
            elif index.at(t.i) is not None or t.ent_type_ in r._PARTY_ENTITIES:
                found.append(t)
            elif dep == "pobj" and t.pos_ == "PROPN" and not t.ent_type_:
                proper.append(t)
            else:
                nxt.extend(t.children)
        if r._take_deeper(roles, found, proper, verb, index, taken, taken_spans):
            return
        frontier = nxt


def _noun_roles(noun, index) -> r.Roles:
    """Possessor / 'by' / light-verb subject -> actor of a nominal trigger."""
    actor_toks, recip_toks, preps = [], [], set()
    for c in noun.children:
        if c.dep_ == "poss" or c.dep_ in ("compound", "amod") and index.at(c.i) is not None:
            actor_toks.append(c)
        elif c.dep_ == "prep" and c.lower_ == "by":
            actor_toks.extend(_pobjs(c))
        elif c.dep_ == "prep" and c.lower_ in r._NOUN_RECIPIENT_PREPS:
            objs = _pobjs(c)
            recip_toks.extend(objs)
            if objs:
                preps.add(c.lower_)
    head = noun.head
    if not actor_toks and noun.dep_ in ("dobj", "attr", "nsubjpass") \
            and head.pos_ in ("VERB", "AUX") \
            and (head.lemma_ or head.lower_).lower() not in r._COUNTER_VERBS:
        actor_toks.extend(_subjects(head)[0])
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in r.RECIPIENT_PREPS and not r._fronted(c, head):
                objs = _pobjs(c)
                recip_toks.extend(objs)
                if objs:
                    preps.add(c.lower_)
    roles = r._fill(actor_toks, recip_toks, index, preps)
    _deeper_recipients(roles, [noun], noun, index)
    return roles


def _verb_roles(verb, index) -> r.Roles:
    """Subject -> actor, object / with / against / to -> recipient of a verbal trigger."""
    subj, psubj = _subjects(verb)
    if subj and all(t.lower_ in r._SELF_PRONOUNS and index.at(t.i) is None for t in subj):
        subj = r._speaker(verb) or subj
    actor_toks, recip_toks = list(subj), list(psubj)
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        recip_toks.append(verb.head)
    lemma = (verb.lemma_ or verb.lower_).lower()
    if psubj and (lemma in r._STATIVE or verb.lower_ in r._STATIVE):
        actor_toks, recip_toks = list(psubj), []
    preps, kids = _verb_slots(verb, lemma, actor_toks, recip_toks)
    roles = r._fill(actor_toks, recip_toks, index, preps)
    if not roles.recipients:
        for c in kids:
            if c.dep_ == "xcomp" and c.pos_ == "VERB":
                r._take_recipients(roles, _verb_roles(c, index))
    if not roles.recipients and verb.pos_ == "VERB":
        subj_toks = [g for c in kids if c.dep_ == "ccomp"
                     and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                     for g in c.children if g.dep_ in ("nsubj", "nsubjpass")]
        if subj_toks:
            r._take_recipients(roles, r._fill([], subj_toks, index, set()))
    starts = [verb]
    if verb.dep_ in ("advcl", "xcomp") and verb.head.i != verb.i and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in kids):
        starts.extend(c for c in verb.head.children if c.dep_ in ("dobj", "dative"))
    _deeper_recipients(roles, starts, verb, index)
    return roles


# --- the comparison -----------------------------------------------------------------------

def _ids(toks: list) -> list[int]:
    return [t.i for t in toks]


def _compare(text: str, counts: dict[str, int]) -> None:
    """Every walk on every token of `text`, read on every table, against its definition."""
    sdoc = nlp.parse(text)
    index = r.MentionIndex(actors.find_mentions(Document(text=text), sdoc), _quote_spans(text))
    table = _doc_table(sdoc)
    story = _Words(sdoc[:], table, story=True)
    sents = [_Words(s, table) for s in sdoc.sents]
    for k, own in enumerate(sents):
        # the loop's sentence; another one (the token is read on its own sentence's table);
        # none (the same); the whole story
        routes = [own, sents[k - 1] if len(sents) > 1 else None, None, story]
        for tok in sdoc[own.start:own.end]:
            want_under = _mentions_under(tok, index)
            want_subj = _subjects(tok)
            lemma = (tok.lemma_ or tok.lower_).lower()
            want_slots = _verb_slots(tok, lemma, [], [])
            want_noun = _noun_roles(tok, index)
            want_verb = _verb_roles(tok, index)
            starts = [tok]
            if tok.dep_ in ("advcl", "xcomp") and tok.head.i != tok.i:
                starts.extend(c for c in tok.head.children if c.dep_ in ("dobj", "dative"))
            want_deeper = r.Roles()
            _deeper_recipients(want_deeper, starts, tok, index)
            for words in routes:
                index.words, index.tables = words, []
                read_on = r._table_for(tok, index)
                assert read_on.start <= tok.i < read_on.end and read_on.closed
                counts["other"] += read_on is not words
                assert r.mentions_under(tok, index) == want_under, tok.text
                subj, psubj = r._subjects(tok, read_on)
                assert (_ids(subj), _ids(psubj)) == tuple(map(_ids, want_subj)), tok.text
                actor_toks, recip_toks = [], []
                preps = r._verb_slots(tok, read_on, lemma, actor_toks, recip_toks)
                want_a, want_r = [], []
                want_preps, _ = _verb_slots(tok, lemma, want_a, want_r)
                assert (preps, _ids(actor_toks), _ids(recip_toks)) == (
                    want_preps, _ids(want_a), _ids(want_r)), tok.text
                assert r.noun_roles(tok, index) == want_noun, tok.text
                assert r.verb_roles(tok, index) == want_verb, tok.text
                got = r.Roles()
                r._deeper_recipients(got, starts, tok, index)
                assert got == want_deeper, tok.text
                counts["calls"] += 6
            counts["under"] += bool(want_under)
            counts["subjects"] += bool(want_subj[0] or want_subj[1])
            counts["slots"] += bool(want_slots[0])
            counts["noun"] += bool(want_noun.actors or want_noun.recipients)
            counts["verb"] += bool(want_verb.actors and want_verb.recipients)
            counts["deeper"] += bool(want_deeper.recipients)


def _counts() -> dict[str, int]:
    return dict.fromkeys(("calls", "other", "under", "subjects", "slots", "noun", "verb",
                          "deeper"), 0)


def test_role_walks_on_word_tables_equal_the_token_walks() -> None:
    counts = _counts()
    _compare(TEXT, counts)
    # the text exercises every walk
    assert min(counts.values()) > 0, counts


def test_role_walks_equal_the_token_walks_on_news(shared_dir) -> None:
    """Four Guardian stories: ~78,000 calls, ~6,500 of them on a table other than the one on
    the index."""
    path = shared_dir / "data" / "corpora" / "guardian_sample.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(10), fh)][6:]
    counts = _counts()
    for text in texts:
        _compare(text, counts)
    assert counts["calls"] > 40_000 and counts["other"] > 4_000, counts
    assert min(counts.values()) > 50, counts


def test_a_tree_that_leaves_its_sentence_is_read_on_the_story_table() -> None:
    """Where a sentence's heads reach outside it, the token's tree is read on the whole
    story's table (whose tree never leaves it)."""
    sdoc = nlp.parse("Russia attacked Ukraine. Police arrested two men.")
    table = _doc_table(sdoc).copy()
    second = list(sdoc.sents)[1]
    # the second sentence's root hangs off the first sentence's (a head offset, uint64)
    table[second.root.i, 0] = table.dtype.type(-(second.root.i - 1) % 2 ** 64)
    own = _Words(second, table)
    own._tree()
    assert not own.closed
    got = _words_for(second.root, own)
    assert got.story and (got.start, got.end) == (0, len(sdoc)) and got.closed
    assert got.opens(second.start) and not got.opens(second.start + 1)
