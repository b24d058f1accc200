"""Who acted and to whom: participants of a trigger from the dependency parse and actor mentions.

Participants are taken only from mentions inside the trigger's own sentence and clause;
pronoun mentions already carry their antecedent's actor, which is the one sanctioned way
for a participant to come from another sentence.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from dataclasses import dataclass, field, replace
from typing import Any

from dateline.records import Actor, shallow_copy

# Walking down from a role word we stay inside its noun phrase: clauses and most
# prepositional phrases hang other participants or places off it ("police in Tijuana").
_STOP_DEPS = frozenset({"relcl", "acl", "ccomp", "advcl", "xcomp", "parataxis", "csubj",
                        "mark", "punct", "dep", "advmod", "npadvmod", "prep"})
_NP_PREPS = frozenset({"of", "from"})  # "Secretary of the Interior", "officials from Mexico"
RECIPIENT_PREPS = frozenset({"with", "against", "to", "toward", "towards", "on", "upon", "at",
                             "into", "between", "among"})
_NOUN_RECIPIENT_PREPS = RECIPIENT_PREPS | {"of"}  # "the arrest of two men"
# Prepositions on a verb's object that name the party: "impose sanctions on X", "launched an
# investigation into X", "issued an ultimatum to X", "provided aid for X".
_OBJECT_PREPS = frozenset({"on", "against", "upon", "with", "to", "for", "into"})
_SPECIFICITY = {"person": 0, "title": 1, "pronoun": 1, "org": 2, "role": 3, "country": 4}


@dataclass
class Roles:
    actors: list[Actor] = field(default_factory=list)
    recipients: list[Actor] = field(default_factory=list)
    actor_spans: list[tuple[int, int]] = field(default_factory=list)
    recipient_spans: list[tuple[int, int]] = field(default_factory=list)
    via_pronoun: bool = False
    unresolved: bool = False  # a participant is a named entity no dictionary knows
    named: bool = False  # some participant is an actor mention or a named entity
    recipient_preps: set[str] = field(default_factory=set)
    # (start, end) of recipients that are only plain noun phrases ("an investigation")
    plain: set[tuple[int, int]] = field(default_factory=set)
    located: bool = False  # the recipients were found in a place phrase ("in Lahore")


class MentionIndex:
    """Token index -> mentions covering it, for one parsed story."""

    def __init__(self, mentions: list[Any],
                 quotes: list[tuple[int, int]] | None = None) -> None:
        self.mentions = mentions
        self.by_token: dict[int, int] = {}
        # The word table (events.extract._Words) of the sentence whose triggers are being
        # read, set by the candidate loop; `tables`: every sentence table of the story read
        # so far (by start), for tokens outside it (see `_table_for`).
        self.words: Any = None
        self.tables: list[Any] = []
        for k, m in enumerate(mentions):
            if quotes and _quoted_antecedent(m, mentions, quotes):
                continue
            for i in range(m.token_start, m.token_end):
                # the more specific mention wins a token claimed twice
                old = self.by_token.get(i)
                if old is None or _rank(m) < _rank(mentions[old]):
                    self.by_token[i] = k

    def at(self, i: int) -> int | None:
        return self.by_token.get(i)

    def in_span(self, start: int, end: int) -> list[int]:
        return sorted({k for i, k in self.by_token.items() if start <= i < end})


def _quoted_antecedent(m: Any, mentions: list[Any], quotes: list[tuple[int, int]]) -> bool:
    """A pronoun outside quotes whose antecedent is inside one: 'they' after a quote naming
    criminal organisations is rarely them; such links are too weak to make a party."""
    if getattr(m, "kind", None) != "pronoun" or m.antecedent is None:
        return False
    if not 0 <= m.antecedent < len(mentions):
        return False
    ante = mentions[m.antecedent]

    def inside(pos: int) -> bool:
        return any(a <= pos < b for a, b in quotes)

    return inside(ante.start) and not inside(m.start)


def _rank(m: Any) -> int:
    return _SPECIFICITY.get(getattr(m, "kind", "role"), 5)


def _table_for(tok, index: MentionIndex | None) -> Any:
    """The word table (events.extract._Words) to read `tok`'s tree on: the one on `index`
    (the candidate loop's sentence) where it holds `tok`, else the story's table of `tok`'s
    own sentence (or of the whole story, where that tree leaves the sentence)."""
    words = index.words if index is not None else None
    if words is not None and words.start <= tok.i < words.end:
        if words.kids is None:
            words._tree()
        if words.closed:
            return words
    if index is None:
        return _words_for(tok, None)
    # a token of another sentence (the reporting verb of an event, read after the loop):
    # the table the loop built for it, or a new one kept for the calls that follow
    tables = index.tables
    k = bisect_right(tables, tok.i, key=_start) - 1
    if k >= 0 and tok.i < tables[k].end:
        words = tables[k]
        if words.kids is None:
            words._tree()
        if words.closed:
            return words
    words = _words_for(tok, index.words)
    insort(tables, words, key=_start)
    return words


def _start(words: Any) -> int:
    return words.start


def _words_for(tok, words: Any) -> Any:
    from dateline.events.extract import _words_for  # (extract imports this module)

    return _words_for(tok, words)


def mentions_under(tok, index: MentionIndex) -> list[int]:
    """Mentions inside the noun phrase headed by `tok` (compounds, appositions, 'of' phrases).

    Walks the word table's children, labels and forms by position (a Token per child, as
    Token.children builds them, was most of its cost); the Token walk it equals is the
    definition in tests/events/test_events_roles_words.py."""
    words = _table_for(tok, index)
    kids, dep, low, heads, start = words.kids, words.dep, words.lower, words.heads, words.start
    doc = words.doc
    at = index.by_token.get
    found: list[int] = []
    stack = [tok.i - start]
    seen = set()
    while stack:
        t = stack.pop()
        if t in seen:
            continue
        seen.add(t)
        k = at(start + t)
        if k is not None and k not in found:
            found.append(k)
        for c in kids[t]:
            d = dep[c]
            if d == "poss" and k is None and at(start + c) is not None:
                continue  # "Assad's backers" are not Assad; "Mexico's Navarrete Prida" is him
            if d == "amod" and k is None and _role_at_i(start + c, index) \
                    and doc[start + c].is_lower:
                continue  # "military aid", "police reform": an adjective, not a party
            if d == "conj" and heads[c] < c and _stranded_verb(doc[start + c]) is not None:
                continue  # the next clause's subject, hung here by the parser
            if d == "prep" and low[c] in _NP_PREPS or d not in _STOP_DEPS:
                stack.append(c)
    return found


def _role_at_i(i: int, index: MentionIndex) -> bool:
    k = index.by_token.get(i)
    return k is not None and getattr(index.mentions[k], "kind", None) == "role"


def actors_of(ks: list[int], index: MentionIndex, doc: Any = None) -> list[tuple[Actor, Any]]:
    """Resolve a role slot's mentions to actors: drop modifiers, compose role + country."""
    ms = [index.mentions[k] for k in ks]
    specific = [m for m in ms if m.kind in ("person", "title", "pronoun", "org")]
    roles = [m for m in ms if m.kind == "role"]
    countries = [m for m in ms if m.kind == "country"]
    out: list[tuple[Actor, Any]] = []
    if specific:
        keep_countries = {m.actor.country for m in specific if m.actor and m.actor.country}
        out.extend((m.actor, m) for m in specific if m.actor is not None)
        # roles with their own country are parties too ("Secretaries of Mexico and the US")
        out.extend((m.actor, m) for m in roles if m.actor is not None and m.actor.country)
        # a country that only modifies a named actor ("Mexico's Navarrete Prida") is not a party
        out.extend((m.actor, m) for m in countries
                   if m.actor is not None and m.actor.country not in keep_countries
                   and not _modifies(m, specific, doc))
    elif roles and countries and all(r.actor is None or not r.actor.country for r in roles):
        # "Secretaries of Mexico and the US" -> MEX GOV, USA GOV
        role = roles[0].actor
        for c in countries:
            if c.actor is None:
                continue
            out.append((replace(role, country=c.actor.country, code=None,
                                text=f"{role.text} ({c.actor.text})"), c))
        for r in roles[1:]:
            if r.actor is not None:
                out.append((r.actor, r))
    else:
        out.extend((m.actor, m) for m in roles + countries if m.actor is not None)
    return _dedupe(out)


def _modifies(country_mention: Any, specific: list[Any], doc: Any = None) -> bool:
    """Whether a country mention sits right before/inside a named mention (a modifier);
    'The United States and the Taliban' are two parties."""
    for m in specific:
        if m.token_start - 3 <= country_mention.token_end <= m.token_start + 1:
            if doc is not None and any(doc[i].lower_ in ("and", "or", ",", "&")
                                       for i in range(country_mention.token_end,
                                                      min(m.token_start, len(doc)))):
                continue
            return True
    return False


def _dedupe(pairs: list[tuple[Actor, Any]]) -> list[tuple[Actor, Any]]:
    """One actor once; an unnamed title beside a named person of the same code is that person
    ("Recep Tayyip Erdogan, Turkey's president")."""
    # ("Egypt's president Abdel Fatah al-Sisi": the title is the man, whatever sector it has)
    named = {a.country for a, m in pairs if a.name and a.country
             and getattr(m, "kind", "") in ("person", "pronoun", "title")}
    pairs = [(a, m) for a, m in pairs
             if a.name or not a.country or a.country not in named
             or getattr(m, "kind", "") not in ("title", "role")]
    out, seen = [], set()
    for actor, m in pairs:
        key = (actor.name or actor.text, actor.country, actor.sector)
        if key in seen:
            continue
        seen.add(key)
        out.append((actor, m))
    return out


def _copy(actor: Actor, m: Any) -> Actor:
    a = shallow_copy(actor)  # Actor's __post_init__ only fills a missing code, as below
    if a.code is None and (a.country or a.sector):
        a.code = f"{a.country or ''}{a.sector or ''}"
    if a.start is None:
        a.start, a.end = m.start, m.end
    return a


def _subjects(verb, words: Any) -> tuple[list, list]:
    """(active subjects, passive subjects) of a verb, inheriting through control and coordination.

    "sat down to discuss" and "attacked and killed" share the subject; a bare gerund
    ("fighting crime" in a list of topics) does not inherit one. Climbs the word table
    `words` (`_table_for(verb, ...)`) by position; a Token is built only for the subjects.
    """
    kids, dep, low, heads, start, doc = (words.kids, words.dep, words.lower, words.heads,
                                         words.start, words.doc)
    v = verb.i - start
    for _ in range(4):
        subj = [c for c in kids[v] if dep[c] in ("nsubj", "csubj")]
        psubj = [c for c in kids[v] if dep[c] in ("nsubjpass", "csubjpass")]
        if subj or psubj:
            return [doc[start + c] for c in subj], [doc[start + c] for c in psubj]
        head = heads[v]
        if head == v:
            break
        dv = dep[v]
        if dv in ("xcomp", "acomp") or (dv == "conj" and words.pos(head) in ("VERB", "AUX")):
            v = head
        elif dv == "advcl" and words.tag(v) == "VB" and any(
                dep[c] == "aux" and low[c] == "to" for c in kids[v]):
            v = head  # purpose clause: "met to discuss"
        elif dv == "advcl" and words.tag(v) == "VBG" and v > head \
                and words.pos(head) in ("VERB", "AUX"):
            v = head  # participle clause: "X said ..., accusing Y of ..."
        elif dv == "acl" and words.tag(v) == "VBG" and dep[head] == "dobj" \
                and words.pos(heads[head]) == "VERB":
            v = heads[head]  # "X filed a lawsuit accusing Y", "sent a letter threatening to"
        else:
            break
    return _stranded_subjects(doc[start + v]), []


def _fronted(prep, verb) -> bool:
    """A phrase opening the sentence on a common noun and set off by a comma ('At the summit
    in Lima, ...'): it names the occasion, no party ('In Colombia, ...' may: a name)."""
    return prep.i < verb.i and prep.is_sent_start and any(
        c.dep_ == "pobj" and c.pos_ == "NOUN" for c in prep.children) and any(
        t.text == "," for t in prep.doc[prep.i + 1:verb.i])


def _fronted_at(p: int, v: int, words: Any) -> bool:
    """`_fronted` for the preposition and verb at word-table positions p and v (a Token
    built only for a preposition that opens its sentence)."""
    return p < v and words.opens(p) and _fronted(words.doc[words.start + p],
                                                 words.doc[words.start + v])


def occasion_roles(noun, index: MentionIndex) -> Roles | None:
    """The clause's subjects as the parties of the occasion that opens it: 'At the talks in
    Lima, Chile and Peru signed ...' (they met); None where the noun opens no clause."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in ("at", "during"):
        return None
    verb = prep.head
    if verb.pos_ != "VERB" or not _fronted(prep, verb):
        return None
    subj, _ = _subjects(verb, _table_for(verb, index))
    return _fill(subj, [], index, set()) if subj else None


def _stranded_verb(tok):
    """The verb whose subject the parser hung on a fronted phrase as a conjunct, if `tok` is
    one: 'At the talks in Lima, Chile and Peru signed ...' ('Chile' conj of 'Lima')."""
    if tok.dep_ != "conj" or tok.head.i >= tok.i:
        return None
    lo, hi = tok.left_edge.i, tok.right_edge.i
    doc = tok.doc
    if lo == 0 or doc[lo - 1].text != "," or tok.head.i >= lo - 1 or hi + 1 >= len(doc):
        return None
    verb = doc[hi + 1]
    if verb.pos_ != "VERB" or verb.tag_ not in ("VBD", "VBZ", "VBP") or any(
            c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in verb.children):
        return None
    # the conjunct sits inside a phrase the verb governs from before it ("At ..., X signed")
    return verb if any(c.dep_ in ("prep", "advcl", "npadvmod") and c.i < lo
                       and c.left_edge.i <= tok.i <= c.right_edge.i
                       for c in verb.children) else None


def _stranded_subjects(verb) -> list:
    """Subjects of a subjectless finite verb that the parser attached before its comma."""
    if verb.pos_ != "VERB" or verb.i == 0 or verb.doc[verb.i - 1].dep_ != "conj":
        return []
    t = verb.doc[verb.i - 1]
    while t.dep_ == "conj" and t.head.i < t.i and _stranded_verb(t) is None:
        t = t.head  # "..., the US and Mexico signed": up to the first conjunct after the comma
    found = _stranded_verb(t)
    return [t] if found is not None and found.i == verb.i else []


# "The ELN said it will release ...": an unresolved pronoun subject of a reported clause is
# the speaker speaking of itself.
_SELF_PRONOUNS = frozenset({"it", "they", "we"})
_SPEECH = frozenset({"say", "announce", "state", "declare", "confirm", "insist", "add",
                     "tell", "claim", "indicate", "report"})


def _speaker(verb) -> list:
    """Subjects of the speech verb whose complement clause holds `verb`, if any."""
    v = verb
    for _ in range(3):
        if v.dep_ in ("xcomp", "conj") and v.head.i != v.i:
            v = v.head
            continue
        break
    if v.dep_ != "ccomp" or (v.head.lemma_ or v.head.lower_).lower() not in _SPEECH:
        return []
    return [c for c in v.head.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]


def has_explicit_subject(verb, index: MentionIndex | None = None) -> bool:
    """Whether the verb's clause names a subject (actor or not) in active voice (`index`:
    the story's, whose word tables are read: see `_table_for`)."""
    subj, _ = _subjects(verb, _table_for(verb, index))
    return bool(subj)


def _pobjs(p: int, words: Any) -> list[int]:
    """The objects of the preposition at word-table position p (positions): its pobj/pcomp,
    their conjuncts, and the objects of a 'with'/'between'/'against' inside them."""
    kids, dep, low, heads = words.kids, words.dep, words.lower, words.heads
    start, doc = words.start, words.doc
    out = [c for c in kids[p] if dep[c] in ("pobj", "pcomp")]
    for c in list(out):
        out.extend(cc for cc in kids[c] if dep[cc] == "conj" and (
            heads[cc] >= cc or _stranded_verb(doc[start + cc]) is None))
        # "committed to a relationship with Mexico": the party is inside the object
        for cc in kids[c]:
            # ... and "called for sanctions against X"
            if dep[cc] == "prep" and low[cc] in ("with", "between", "against"):
                out.extend(g for g in kids[cc] if dep[g] == "pobj")
    return out


# Verbs whose direct object is a topic, not a party: "discussed issues", "addressed crime".
TOPIC_OBJECT_VERBS = frozenset({"discuss", "address", "debate", "talk", "review", "examine",
                                "consider", "study", "raise", "negotiate", "explore"})
# Adjectival passives that describe the subject's own stance: "are committed to".
# Calls and appeals: "called for sanctions against X", "appealed for aid to X".
_CALL_PREPS = frozenset({"for"})
_STATIVE = frozenset({"commit", "committed", "determine", "determined", "prepare", "prepared"})


# What an actor moves of its own: "withdraw its troops from X", "recalled its ambassador from
# X", "evacuated their citizens from X". The party is where they go or come from.
_OWN_ASSETS = frozenset({"troops", "forces", "soldiers", "army", "weapons", "arms", "ambassador",
                         "ambassadors", "envoy", "envoys", "diplomats", "citizens", "nationals",
                         "staff", "personnel", "embassy", "warships", "fighters", "units"})
_OWN = frozenset({"its", "their", "his", "her", "our"})


def _own_asset(k: int, words: Any) -> bool:
    """Whether the word at table position k is the actor's own people or arms ('its troops')."""
    low, dep = words.lower, words.dep
    return low[k] in _OWN_ASSETS and any(dep[g] == "poss" and low[g] in _OWN
                                         for g in words.kids[k])


def verb_roles(verb, index: MentionIndex) -> Roles:
    """Roles of a verbal trigger: subject -> actor, object / with / against / to -> recipient."""
    words = _table_for(verb, index)
    kids, dep, low, heads, start, doc = (words.kids, words.dep, words.lower, words.heads,
                                         words.start, words.doc)
    v = verb.i - start
    subj, psubj = _subjects(verb, words)
    if subj and all(t.lower_ in _SELF_PRONOUNS and index.at(t.i) is None for t in subj):
        subj = _speaker(verb) or subj
    actor_toks = list(subj)
    recip_toks = list(psubj)
    if dep[v] == "acl" and words.tag(v) == "VBN":
        recip_toks.append(doc[start + heads[v]])  # "Assad, supported by Russia": Assad is supported
    lemma = words.lemma[v] or low[v].lower()
    if psubj and (lemma in _STATIVE or low[v] in _STATIVE):
        actor_toks, recip_toks = list(psubj), []
    preps = _verb_slots(verb, words, lemma, actor_toks, recip_toks)
    roles = _fill(actor_toks, recip_toks, index, preps)
    if not roles.recipients:
        # "agreed to provide Sri Lanka with ...", "threatened to impose sanctions on X": the
        # party of an intent or demand is the recipient of its complement
        for c in kids[v]:
            if dep[c] == "xcomp" and words.pos(c) == "VERB":
                _take_recipients(roles, verb_roles(doc[start + c], index))
    if not roles.recipients and words.pos(v) == "VERB":
        # "demanded that the government resign", "warned that Iran would ...": the party
        # addressed is the subject of the complement clause
        subj_toks = [doc[start + g] for c in kids[v] if dep[c] == "ccomp"
                     and any(dep[m] == "mark" and low[m] == "that" for m in kids[c])
                     for g in kids[c] if dep[g] in ("nsubj", "nsubjpass")]
        if subj_toks:
            _take_recipients(roles, _fill([], subj_toks, index, set()))
    starts = [verb]
    if dep[v] in ("advcl", "xcomp") and heads[v] != v and any(
            dep[c] == "aux" and low[c] == "to" for c in kids[v]):
        # "summoned the ambassador to complain": the purpose's party is the summoned one
        starts.extend(doc[start + c] for c in kids[heads[v]] if dep[c] in ("dobj", "dative"))
    _deeper_recipients(roles, starts, verb, index)
    return roles


def _verb_slots(verb, words: Any, lemma: str, actor_toks: list,
                recip_toks: list) -> set[str]:
    """The object and prepositional slots of a verb, appended to `actor_toks`/`recip_toks`,
    read on the word table `words` (Tokens built for the slots found only); returns the
    recipients' prepositions."""
    kids, dep, low, start, doc = words.kids, words.dep, words.lower, words.start, words.doc
    v = verb.i - start
    mine = kids[v]

    def toks(ps: list[int]) -> list:
        return [doc[start + x] for x in ps]

    preps: set[str] = set()
    if not any(dep[c] in ("dobj", "obj") for c in mine):
        # "attacked and killed the rebels": the shared object hangs off the last verb
        for c in mine:
            if dep[c] == "conj" and words.pos(c) == "VERB":
                recip_toks.extend(toks([g for g in kids[c] if dep[g] == "dobj"]))
    for c in mine:
        d = dep[c]
        if d == "agent":
            actor_toks.extend(toks(_pobjs(c, words)))
        elif d in ("dobj", "dative", "obj"):
            if lemma not in TOPIC_OBJECT_VERBS and not _own_asset(c, words):
                recip_toks.append(doc[start + c])
            # "impose sanctions on X", "launched an attack against X"
            for cc in kids[c]:
                if dep[cc] == "prep" and low[cc] in _OBJECT_PREPS:
                    objs = _pobjs(cc, words)
                    recip_toks.extend(toks(objs))
                    if objs:
                        preps.add(low[cc])
        elif d == "prep" and low[c] in RECIPIENT_PREPS and not _fronted_at(c, v, words):
            objs = _pobjs(c, words)
            recip_toks.extend(toks(objs))
            if objs:
                preps.add(low[c])
        elif d == "prep" and low[c] in _CALL_PREPS:
            # the thing called for is no party; whom it is against is
            recip_toks.extend(toks([g for o in _pobjs(c, words) for cc in kids[o]
                                    if dep[cc] == "prep" and low[cc] in ("against", "on", "to")
                                    for g in _pobjs(cc, words)]))
        elif d == "prt":
            # phrasal verbs: "sat down with X"
            for cc in kids[c]:
                if dep[cc] == "prep" and low[cc] in RECIPIENT_PREPS:
                    recip_toks.extend(toks(_pobjs(cc, words)))
                    preps.add(low[cc])
    return preps


# Dependents that lead away from the trigger's own participants: the subject's side, other
# clauses (reported speech, relative clauses), and function words.
_NOT_DEEPER = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "ccomp", "parataxis",
                         "relcl", "punct", "cc", "mark", "aux", "auxpass", "neg", "det",
                         "advmod", "npadvmod", "nummod", "quantmod", "appos", "case",
                         "expl", "intj", "dep", "predet", "attr"})
_NOT_DEEPER_PREPS = frozenset({"after", "before", "since", "during", "until", "despite",
                               "because", "like", "as", "than", "over", "about", "amid",
                               "including", "besides", "regarding", "concerning"})
_DEEPER_HOPS = 6


def _deeper_recipients(roles: Roles, starts: list, verb, index: MentionIndex) -> None:
    """No named recipient in the usual slots: the nearest named party further down the
    trigger's own phrases ('withdraw its troops from X', 'an investigation into X', 'an appeal
    filed by X'); it replaces plain noun-phrase recipients, which are no party.

    Walks the word table by position (a Token built only for a party found and for the rare
    checks that read more); the Token walk it equals is the definition in
    tests/events/test_events_roles_words.py."""
    if any((a.start, a.end) not in roles.plain for a in roles.recipients):
        return
    taken = {(a.name or a.text, a.country, a.sector) for a in roles.actors}
    taken_spans = list(roles.actor_spans)
    words = _table_for(verb, index)
    kids, dep, low, lemma, heads = words.kids, words.dep, words.lower, words.lemma, words.heads
    start, doc = words.start, words.doc
    at = index.by_token.get
    v = verb.i - start
    frontier = kids[v] + [t.i - start for t in starts[1:]]
    seen = {v}
    for _ in range(_DEEPER_HOPS):
        found, proper, nxt = [], [], []
        for t in frontier:
            d = dep[t]
            if t in seen or d in _NOT_DEEPER:
                continue
            if d in ("prep", "agent") and low[t] in _NOT_DEEPER_PREPS:
                continue
            if d == "prep" and _fronted_at(t, v, words) \
                    or d == "conj" and heads[t] < t and _stranded_verb(doc[start + t]):
                continue  # 'At the talks in Lima, Chile and Peru signed': no party in there
            if d in ("dobj", "obj") and (
                    lemma[heads[t]] or low[heads[t]].lower()) in TOPIC_OBJECT_VERBS:
                continue  # a topic is no party: "discussed issues such as organized crime"
            pos = words.pos(t)
            if pos in ("VERB", "AUX") and (d == "conj" or d == "advcl" and not any(
                    dep[c] == "aux" and low[c] == "to" for c in kids[t])):
                continue  # another clause ('after he posted ...'), unless a purpose ('to help')
            if d == "amod" and _role_at_i(start + t, index) and at(start + heads[t]) is None \
                    and doc[start + t].is_lower:
                continue  # "military aid": an adjective, not a party
            seen.add(t)
            if _own_asset(t, words):
                nxt.extend(kids[t])  # the actor's own troops: the party is further on
                continue
            ent = words.ent(t)
            if at(start + t) is not None or ent in _PARTY_ENTITIES:
                found.append(doc[start + t])
            elif d == "pobj" and pos == "PROPN" and not ent:
                proper.append(doc[start + t])  # a name the tagger sees where NER missed it
            else:
                nxt.extend(kids[t])
        if _take_deeper(roles, found, proper, verb, index, taken, taken_spans):
            return
        frontier = nxt


def _take_deeper(roles: Roles, found: list, proper: list, verb, index: MentionIndex,
                 taken: set, taken_spans: list) -> bool:
    """One depth of the deeper-recipient walk found `found` (tokens of named parties) and
    `proper` (bare proper nouns): the first that gives a party replaces the plain recipients
    and says whether they sit in a place phrase. Whether it did."""
    if found and _replace_plain(roles, _fill([], found, index, set()), taken, taken_spans):
        roles.located = any(_in_place_phrase(t, verb) for t in found)
        return True
    if proper and _replace_plain(roles, _names(proper), taken, taken_spans):
        roles.located = any(_in_place_phrase(t, verb) for t in proper)
        return True
    return False


_PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout"})


def _in_place_phrase(tok, verb) -> bool:
    """Whether `tok` hangs under a place preposition below `verb` ('met in Berlin')."""
    t = tok
    for _ in range(8):
        if t.i == verb.i or t.head.i == t.i:
            return False
        if t.dep_ == "prep" and t.lower_ in _PLACE_PREPS:
            return True
        t = t.head
    return False


def _names(toks: list) -> Roles:
    """Unresolved participants for proper nouns (and their conjuncts): text and offsets only."""
    roles = Roles()
    for t in toks:
        for u in [t, *(c for c in t.conjuncts if c.i > t.i)]:
            phrase = _phrase_participant(u) if u.pos_ == "PROPN" else None
            if phrase is not None and (phrase.start, phrase.end) not in roles.recipient_spans:
                roles.recipients.append(phrase)
                roles.recipient_spans.append((phrase.start, phrase.end))
                roles.unresolved = True
    return roles


def _replace_plain(roles: Roles, extra: Roles, taken: set, taken_spans: list) -> bool:
    keep = [(a, sp) for a, sp in zip(extra.recipients, extra.recipient_spans)
            if (a.name or a.text, a.country, a.sector) not in taken
            and (a.start, a.end) not in extra.plain
            and not any(sp[0] < hi and sp[1] > lo for lo, hi in taken_spans)]
    if not keep:
        return False
    pairs = [(a, sp) for a, sp in zip(roles.recipients, roles.recipient_spans)
             if (a.start, a.end) not in roles.plain] + keep
    roles.recipients = [a for a, _ in pairs]
    roles.recipient_spans = [sp for _, sp in pairs]
    roles.named = True
    roles.via_pronoun |= extra.via_pronoun
    roles.unresolved = extra.unresolved or any(
        a.code is None and a.country is None and a.sector is None for a in roles.actors)
    roles.plain = set()
    return True


def _take_recipients(into: Roles, other: Roles) -> None:
    have = {(a.name or a.text, a.country, a.sector) for a in into.actors + into.recipients}
    for a, span in zip(other.recipients, other.recipient_spans):
        key = (a.name or a.text, a.country, a.sector)
        if key not in have:
            have.add(key)
            into.recipients.append(a)
            into.recipient_spans.append(span)
            into.unresolved |= a.country is None and a.sector is None and a.code is None
            if (a.start, a.end) in other.plain:
                into.plain.add((a.start, a.end))
    into.recipient_preps |= other.recipient_preps
    into.via_pronoun |= other.via_pronoun
    into.named |= other.named


# Verbs whose subject acts against a nominal event, not in it: "police stopped the riots",
# "the UN condemned the attack": the riot's or attack's doer is someone else.
_COUNTER_VERBS = frozenset({"stop", "end", "prevent", "halt", "condemn", "denounce",
                            "criticize", "criticise", "investigate", "probe", "suppress",
                            "quell", "disperse", "ban", "block", "oppose", "fear", "avoid",
                            "blame", "survive", "witness", "report", "crush", "counter", "deter",
                            "repel", "foil", "thwart", "deplore", "decry", "mourn", "protest"})


def noun_roles(noun, index: MentionIndex) -> Roles:
    """Roles of a nominal trigger: possessor / 'by' / light-verb subject -> actor."""
    words = _table_for(noun, index)
    kids, dep, low, lemma, heads = words.kids, words.dep, words.lower, words.lemma, words.heads
    start, doc = words.start, words.doc
    at = index.by_token.get
    n = noun.i - start
    actor, recip, preps = [], [], set()
    for c in kids[n]:
        d = dep[c]
        if d == "poss" or d in ("compound", "amod") and at(start + c) is not None:
            actor.append(c)
        elif d == "prep" and low[c] == "by":
            actor.extend(_pobjs(c, words))
        elif d == "prep" and low[c] in _NOUN_RECIPIENT_PREPS:
            objs = _pobjs(c, words)
            recip.extend(objs)
            if objs:
                preps.add(low[c])
    actor_toks = [doc[start + x] for x in actor]
    h = heads[n]
    if not actor and dep[n] in ("dobj", "attr", "nsubjpass") \
            and words.pos(h) in ("VERB", "AUX") \
            and (lemma[h] or low[h].lower()) not in _COUNTER_VERBS:
        subj, _ = _subjects(doc[start + h], words)
        actor_toks.extend(subj)
        for c in kids[h]:
            if dep[c] == "prep" and low[c] in RECIPIENT_PREPS and not _fronted_at(c, h, words):
                objs = _pobjs(c, words)
                recip.extend(objs)
                if objs:
                    preps.add(low[c])
    roles = _fill(actor_toks, [doc[start + x] for x in recip], index, preps)
    _deeper_recipients(roles, [noun], noun, index)
    return roles


_PARTY_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def _entity_participant(tok) -> Actor | None:
    """A named entity that no dictionary resolved ("the Sao Paulo Zoo", "Kevin Rudd") is
    still a real participant: an Actor with its text and nothing invented."""
    doc = tok.doc
    head = tok
    if not head.ent_type_:
        # the entity may be a compound inside the phrase ("a U.S. Supreme Court decision")
        inner = [c for c in tok.children if c.dep_ in ("compound", "poss") and c.ent_type_]
        if not inner:
            return None
        head = inner[-1]
    if head.ent_type_ not in _PARTY_ENTITIES:
        return None
    start = head.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = head.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    span = doc[start:end]
    return Actor(text=span.text, name=span.text if head.ent_type_ in ("PERSON", "ORG") else None,
                 start=span.start_char, end=span.end_char)


# Entity types that name no party: dates, sums, counts ("on Monday", "$340 million").
_NOT_PARTY_ENTITIES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL",
                                 "CARDINAL", "LAW", "LANGUAGE", "EVENT", "WORK_OF_ART"})
# Heads that are never a party, whatever the parse says.
_NOT_PARTY_HEADS = frozenset({"it", "this", "that", "which", "who", "what", "there", "one",
                              "something", "anything", "nothing", "everything", "time", "year",
                              "years", "day", "days", "week", "weeks", "month", "months",
                              "today", "yesterday", "tomorrow", "way", "part", "number",
                              "lot", "all", "both", "some", "many", "most", "others", "other",
                              "monday", "tuesday", "wednesday", "thursday", "friday",
                              "saturday", "sunday", "january", "february", "march", "april",
                              "may", "june", "july", "august", "september", "october",
                              "november", "december", "morning", "afternoon", "evening",
                              "night", "weekend", "hour", "hours", "minute", "minutes",
                              "decade", "decades", "century", "tonight", "basis", "behalf",
                              "side", "sides", "order", "case", "cases", "end", "start"})
_NP_LEFT_DEPS = frozenset({"det", "amod", "compound", "poss", "nummod", "nmod", "quantmod",
                           "case", "predet", "advmod", "npadvmod", "punct"})
_MAX_NP_TOKENS = 12


def _phrase_participant(tok) -> Actor | None:
    """The noun phrase headed by `tok` as an unresolved participant ("a car bomb", "the
    death of a Palestinian man"): its own text and offsets, no codes invented."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.lower_ in _NOT_PARTY_HEADS:
        return None
    if tok.ent_type_ in _NOT_PARTY_ENTITIES or tok.like_num:
        return None
    doc = tok.doc
    start = tok.i
    for c in tok.lefts:  # the contiguous left modifiers: determiners, adjectives, compounds
        if c.dep_ in _NP_LEFT_DEPS:
            start = min(start, c.left_edge.i)
    end = tok.i + 1
    for c in tok.rights:  # "the death of X", "employees of Wargaming"
        if c.i == end and (c.dep_ == "prep" and c.lower_ == "of"
                           or c.dep_ in ("compound", "case")):
            end = c.right_edge.i + 1
        else:
            break
    start = max(start, tok.i - _MAX_NP_TOKENS)
    end = min(end, tok.i + _MAX_NP_TOKENS)
    while start < tok.i and (doc[start].is_punct or doc[start].dep_ == "cc"):
        start += 1
    while end - 1 > tok.i and (doc[end - 1].is_punct or doc[end - 1].dep_ == "cc"):
        end -= 1
    span = doc[start:end]
    return Actor(text=span.text, start=span.start_char, end=span.end_char)


_COORDINATED = "dateline_coordinated"  # Doc.user_data key of `_coordinated`


def _coordinated(doc: Any) -> frozenset[int] | None:
    """The tokens that may have conjuncts after them: those labelled "conj" and those with
    a "conj" child to their right. Token.conjuncts walks right from a chain's first word, so
    any other token has none after it (and reading that costs a Token per right child).
    None where a hook replaces Token.conjuncts."""
    if "conjuncts" in doc.user_token_hooks:
        return None
    got = doc.user_data.get(_COORDINATED)
    if got is None:
        import numpy

        table = doc.to_array(["HEAD", "DEP"])
        conj = numpy.flatnonzero(table[:, 1] == doc.vocab.strings["conj"])
        heads = conj + table[conj, 0].astype("int64")  # head offsets, stored as uint64
        got = frozenset(conj.tolist()) | frozenset(heads[heads < conj].tolist())
        doc.user_data[_COORDINATED] = got
    return got


def _fill(actor_toks: list, recip_toks: list, index: MentionIndex, preps: set[str]) -> Roles:
    roles = Roles(recipient_preps=preps)
    seen_keys: set[tuple] = set()
    for toks, out, spans in ((actor_toks, roles.actors, roles.actor_spans),
                             (recip_toks, roles.recipients, roles.recipient_spans)):
        ks: list[int] = []
        groups: list[list[int]] = []  # mentions per phrase: "soldiers to Ukraine" are two
        expanded = []
        given = {t.i for t in toks}  # (tokens of one doc: equal when their positions are)
        coordinated = _coordinated(toks[0].doc) if toks else None
        for t in toks:
            expanded.append(t)
            # "Kuwait and its gulf war allies": each conjunct is a party of its own
            if coordinated is None or t.i in coordinated:
                expanded.extend(c for c in t.conjuncts if c.i > t.i and c.i not in given)
        phrases: list[tuple[Any, bool]] = []  # (head token, whether a conjunct)
        named = False
        for t in expanded:
            found = mentions_under(t, index)
            if found and t.i not in given:
                found = [k for k in found if k not in ks]
                if not found:
                    continue
            if not found:
                entity = _entity_participant(t)
                if entity is not None:
                    named = roles.named = True
                    _add_unresolved(entity, out, spans, seen_keys, roles)
                else:
                    # a conjunct of a named party is a party ("Kuwait and its allies")
                    phrases.append((t, t.i not in given))
            group = [k for k in found if k not in ks]
            if group:
                ks.extend(group)
                groups.append(group)
        # A plain noun phrase is a participant only where the slot has no named one:
        # in "impose sanctions on the United States" the sanctions are no party.
        for t, is_conjunct in phrases:
            # the phrase is read only where it counts
            phrase = _phrase_participant(t) if is_conjunct or not (ks or named) else None
            if phrase is not None:
                _add_unresolved(phrase, out, spans, seen_keys, roles)
                if out is roles.recipients:
                    roles.plain.add((phrase.start, phrase.end))
        # a role takes a country only from its own phrase ("Secretaries of Mexico and the US"),
        # never from another slot ("sent soldiers to Ukraine" are not Ukraine's soldiers)
        doc = toks[0].doc if toks else None
        resolved = _dedupe([p for g in groups for p in actors_of(g, index, doc)])
        for actor, m in resolved:
            key = (actor.name or actor.text, actor.country, actor.sector)
            if key in seen_keys:
                continue  # the same party cannot be both actor and recipient
            seen_keys.add(key)
            roles.named = True
            a = _copy(actor, m)
            span = (m.start, m.end)
            ante = _same_sentence_antecedent(m, index, toks)
            if ante is not None:
                # "Klaus said he had rejected ...": the evidence names the party itself
                a.text, a.start, a.end = ante.text, ante.start, ante.end
                span = (ante.start, ante.end)
            out.append(a)
            spans.append(span)
            if m.kind == "pronoun":
                roles.via_pronoun = True
    return roles


def _add_unresolved(actor: Actor, out: list, spans: list, seen_keys: set,
                    roles: Roles) -> None:
    key = (actor.text, None, None)
    if key not in seen_keys:
        seen_keys.add(key)
        out.append(actor)
        spans.append((actor.start, actor.end))
        roles.unresolved = True


def _same_sentence_antecedent(m: Any, index: MentionIndex, toks: list) -> Any | None:
    """The antecedent mention of a pronoun when it stands in the pronoun's own sentence."""
    if getattr(m, "kind", None) != "pronoun" or m.antecedent is None or not toks:
        return None
    if not 0 <= m.antecedent < len(index.mentions):
        return None
    ante = index.mentions[m.antecedent]
    sent = toks[0].sent
    if sent.start_char <= ante.start and ante.end <= sent.end_char:
        return ante
    return None
