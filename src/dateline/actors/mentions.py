"""From raw dictionary matches to actor mentions: compounds of country + role noun, titles
("Secretary of the Interior"), title + name appositions, metonyms and compound lists."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from dateline.actors.dictionary import Entry, Role
from dateline.actors.matching import Match, Token

# Modifiers that put a title in the past: "former President X", "then-candidate X".
_PAST = frozenset({"former", "ex", "then", "onetime", "erstwhile", "late"})
# Role nouns for one person that may stand in apposition to a name ("the commander, X").
_PERSON_NOUNS = frozenset({
    "official", "spokesman", "spokeswoman", "spokesperson", "diplomat", "envoy", "ambassador",
    "lawmaker", "senator", "judge", "prosecutor", "candidate", "adviser", "advisor", "aide",
    "deputy", "negotiator", "officer", "head", "chairman", "chairwoman", "chair", "founder",
    "journalist", "activist", "leader", "commander", "director", "woman", "man"})
# A title that someone no longer holds: they are an elite (ELI), not the office.
_FORMER = frozenset({"former", "ex", "onetime", "erstwhile", "late"})
_OF = frozenset({"of", "for"})
_IN = frozenset({"in", "from"})
_POSSESSIVES = frozenset({"its", "their", "his", "her", "our"})
_LIST_GLUE = frozenset({",", "and", "&", "both", "the"})
# Last words of an office held by one person ("US president", "foreign secretary").
TITLE_HEADS = frozenset({
    "president", "minister", "secretary", "chancellor", "premier", "king", "queen", "emir",
    "leader", "chief", "governor", "mayor", "ambassador", "envoy", "spokesman", "spokeswoman",
    "spokesperson", "director", "commissioner", "general", "commander"})


@dataclass
class Mention:
    """A mention while it is being built (token span, resolved slots, links)."""

    ts: int
    te: int
    kind: str
    country: str | None = None
    sector: str | None = None
    name: str | None = None
    title: str | None = None
    entry: Entry | None = None
    gender: str | None = None
    plural: bool = False
    group: int | None = None
    ref: Mention | None = None  # the mention this one corefers with
    name_tokens: tuple[str, ...] = ()  # folded tokens of a person's name, for surnames
    extra: dict = field(default_factory=dict)


def role_of(entry: Entry | None, day: str | None) -> Role | None:
    return entry.role_on(day) if entry is not None else None


def _from_entry(m: Match, day: str | None, kind: str) -> Mention:
    role = role_of(m.entry, day)
    out = Mention(m.start, m.end, kind, entry=m.entry, name=m.entry.name,
                  gender=m.entry.gender)
    if role is not None:
        out.country, out.sector, out.title = role.country, role.sector, role.title
    if kind == "person":
        out.name_tokens = max(m.entry.keys, key=len) if m.entry.keys else ()
    return out


def compose(toks: Sequence[Token], matches: list[Match], day: str | None,
            is_metonym: Callable[[int, int], bool], is_attributive: Callable[[int, int], bool],
            is_plural: Callable[[int], bool]) -> list[Mention]:
    """Combine adjacent matches into mentions; the callbacks read the parse where there is one."""
    out: list[Mention] = []
    n = len(toks)
    by_start = {m.start: m for m in matches}
    used: set[int] = set()  # indices into matches already consumed
    pos = {id(m): k for k, m in enumerate(matches)}

    def match_at(i: int, kinds: tuple[str, ...]) -> Match | None:
        m = by_start.get(i)
        if m is not None and m.kind in kinds and pos[id(m)] not in used:
            return m
        return None

    def skip_the(i: int) -> int:
        return i + 1 if i < n and toks[i].norm == "the" else i

    group_ids = iter(range(1, 1 << 30))

    for k, m in enumerate(matches):
        if k in used:
            continue
        used.add(k)
        if m.kind == "place":
            continue
        if m.kind == "capital":
            if is_metonym(m.start, m.end):
                role = role_of(m.entry, day)
                country = role.country if role else None
                out.append(Mention(m.start, m.end, "country", country=country, sector="GOV",
                                   name=m.entry.name, entry=m.entry))
            continue
        if m.kind in ("country", "org"):
            j = m.end
            if j < n and toks[j].norm == "'s":
                j += 1
            nxt = match_at(j, ("agent", "person", "org"))
            role = role_of(m.entry, day)
            if nxt is not None and (nxt.kind != "org" or m.kind == "country"):
                used.add(pos[id(nxt)])
                if nxt.kind == "agent":
                    mention = _agent_mention(nxt, day, is_plural)
                    mention.ts = m.start
                    if role is not None:
                        mention.country = role.country
                        if m.kind == "org" and role.sector and mention.sector is None:
                            mention.sector = role.sector
                    _extend_title(mention, toks, by_start, used, pos, match_at, skip_the, day,
                          is_attributive)
                    out.append(mention)
                    _link_person(mention, out, toks, match_at, used, pos, day)
                    continue
                inner = _from_entry(nxt, day, nxt.kind)
                inner.ts = m.start
                if inner.country is None and role is not None:
                    inner.country = role.country
                out.append(inner)
                continue
            if m.kind == "country" and is_attributive(m.start, m.end):
                continue
            mention = _from_entry(m, day, m.kind)
            out.append(mention)
            if m.kind == "org" and toks[m.end - 1].norm in TITLE_HEADS:
                # "the US president, Donald Trump": an office named like an organisation
                _link_person(mention, out, toks, match_at, used, pos, day)
            continue
        if m.kind == "agent":
            mention = _agent_mention(m, day, is_plural)
            _extend_title(mention, toks, by_start, used, pos, match_at, skip_the, day,
                          is_attributive)
            out.append(mention)
            _distribute(mention, out, toks, match_at, used, pos, skip_the, day, group_ids)
            _link_person(mention, out, toks, match_at, used, pos, day)
            continue
        if m.kind == "person":
            gov = _leaders_government(m, toks, match_at, day)
            if gov is not None:
                used.add(pos[id(gov[1])])
                out.append(gov[0])
                continue
        out.append(_from_entry(m, day, m.kind))
    for m in out:
        before = m.ts - 1
        while before >= 0 and toks[before].norm == "-":
            before -= 1
        if m.kind == "person" and before >= 0 and toks[before].norm in _FORMER \
                and m.sector != "ELI":
            # "former Secretary of State John Kerry" (a title inside the dictionary name)
            m.sector = "ELI"
            m.title = _join(toks[before:m.te])
    out.sort(key=lambda x: (x.ts, x.te))
    _group_lists(out, toks, group_ids)
    return out


# A government named after its leader: "the Maduro government", "Trump's administration"
_GOVERNMENT_NOUNS = frozenset({"government", "administration", "regime", "cabinet", "junta"})


def _leaders_government(m: Match, toks: Sequence[Token], match_at: Callable, day: str | None
                        ) -> tuple[Mention, Match] | None:
    """'the <leader> government' is the leader's country's government (GOV), not the person."""
    j = m.end + (1 if m.end < len(toks) and toks[m.end].norm == "'s" else 0)
    nxt = match_at(j, ("agent",))
    if nxt is None or nxt.end - nxt.start != 1 or toks[nxt.start].norm not in _GOVERNMENT_NOUNS:
        return None
    role = role_of(m.entry, day)
    if role is None or not role.country:
        return None
    return Mention(m.start, nxt.end, "role", country=role.country, sector="GOV",
                   entry=nxt.entry), nxt


def _agent_mention(m: Match, day: str | None, is_plural: Callable[[int], bool]) -> Mention:
    role = role_of(m.entry, day)
    mention = Mention(m.start, m.end, "role", entry=m.entry, plural=is_plural(m.end - 1))
    if role is not None:
        mention.country, mention.sector = role.country, role.sector
    return mention


def _extend_title(mention: Mention, toks: Sequence[Token], by_start: dict, used: set,
                  pos: dict, match_at: Callable, skip_the: Callable, day: str | None,
                  is_attributive: Callable[[int, int], bool]) -> None:
    """Grow a role noun into its title: 'Secretary of the Interior', 'police in Tijuana'."""
    n = len(toks)
    # a second role noun right after the first: "police chief", "government officials"
    nxt = match_at(mention.te, ("agent",))
    if nxt is not None:
        used.add(pos[id(nxt)])
        mention.te = nxt.end
        mention.plural = mention.plural or nxt.end - nxt.start == 1 and toks[nxt.end - 1].norm \
            .endswith("s")
        if mention.sector is None:
            role = role_of(nxt.entry, day)
            mention.sector = role.sector if role else None
    titled = toks[mention.ts].cap
    for _ in range(3):
        j = mention.te
        if j >= n:
            return
        word = toks[j].norm
        if word in _IN and mention.ts > 0 and toks[mention.ts - 1].norm in _POSSESSIVES:
            return  # "withdrew its troops from Syria": the troops are not Syria's
        if word in _OF or word in _IN:
            p = skip_the(j + 1)
            place = match_at(p, ("country", "capital", "place"))
            if place is not None and is_attributive(place.start, place.end):
                return  # "children in Syrian camps": the adjective belongs to the next noun
            if place is not None and place.kind == "place" and len(
                    {e.default.country for e in place.entries
                     if e.kind == "place" and e.default is not None}) > 1:
                return  # a town name found in several countries says nothing
            if place is not None and (word in _OF or mention.country is None):
                role = role_of(place.entry, day)
                if role is not None and role.country:
                    if mention.country is None:
                        mention.country = role.country
                    used.add(pos[id(place)])
                    mention.te = place.end
                    mention.kind = "title" if titled else mention.kind
                    continue
                return
            if word in _OF and titled and p < n and toks[p].cap and by_start.get(p) is None:
                q = p
                while q < n and toks[q].cap and by_start.get(q) is None:
                    q += 1
                    if q + 1 < n and toks[q].norm == "and" and toks[q + 1].cap:
                        q += 1
                mention.te = q
                mention.kind = "title"
                continue
        return


def _distribute(mention: Mention, out: list[Mention], toks: Sequence[Token], match_at: Callable,
                used: set, pos: dict, skip_the: Callable, day: str | None,
                group_ids) -> None:
    """'Secretaries of Mexico and the US': the role noun applies to every listed country."""
    if not mention.plural or mention.country is None:
        return
    j = mention.te
    extra = []
    while j < len(toks) and toks[j].norm in (",", "and"):
        p = skip_the(j + 1)
        if p < len(toks) and toks[p].norm == "and":
            p = skip_the(p + 1)
        other = match_at(p, ("country",))
        if other is None:
            break
        role = role_of(other.entry, day)
        if role is None or not role.country:
            break
        used.add(pos[id(other)])
        extra.append(Mention(other.start, other.end, "role", country=role.country,
                             sector=mention.sector, entry=mention.entry, plural=True))
        j = other.end
    if extra:
        gid = next(group_ids)
        mention.group = gid
        for e in extra:
            e.group = gid
        out.extend(extra)


def _link_person(title: Mention, out: list[Mention], toks: Sequence[Token], match_at: Callable,
                 used: set, pos: dict, day: str | None) -> None:
    """'Foreign Minister Sergei Lavrov', 'The Secretary of the Interior, Alfonso Navarrete Prida'."""
    j = title.te
    comma = j < len(toks) and toks[j].norm == ","
    person = match_at(j + 1 if comma else j, ("person",))
    if person is None or title.plural:
        return
    if comma and not any(t.norm in TITLE_HEADS or t.norm in _PERSON_NOUNS
                         for t in toks[title.ts:title.te]):
        return  # "told state television, Bashar al-Assad said": no apposition
    used.add(pos[id(person)])
    pm = _from_entry(person, day, "person") if person.entry is not None else None
    if pm is None:
        return
    before = title.ts - 1
    while before >= 0 and toks[before].norm in ("-", "the", "a"):
        before -= 1
    modifiers = [t.norm for t in toks[title.ts:title.te]]
    if before >= 0 and toks[before].norm in _PAST:
        modifiers.append(toks[before].norm)
    else:
        before = title.ts
    title_text = _join(toks[before:title.te])
    if _FORMER.intersection(modifiers):
        # "former President Obama": whatever the dates say, not in that office now
        pm.sector, pm.country = "ELI", pm.country or title.country
        pm.title = title_text
    elif "then" in modifiers or pm.sector is None:
        # "then-presidential candidate Donald Trump", or a name whose dated roles do not
        # cover the story date: the title written in the story says what the person is
        pm.sector = title.sector or pm.sector
        pm.country = pm.country or title.country
        pm.title = title_text
    else:
        pm.country = pm.country or title.country
        pm.title = pm.title or title_text
    title.kind = "title"
    title.country, title.sector, title.name = pm.country, pm.sector, pm.name
    title.gender = pm.gender
    title.title = title_text
    title.ref = pm
    out.append(pm)


def _join(toks: Sequence[Token]) -> str:
    """Surface text of tokens, without spaces around hyphens ("then-presidential")."""
    out = ""
    for t in toks:
        if out and t.text != "-" and not out.endswith("-"):
            out += " "
        out += t.text
    return out


def _group_lists(out: list[Mention], toks: Sequence[Token], group_ids) -> None:
    """Mentions joined only by 'and' / ',' / 'the' in one run are one compound actor."""
    run: list[Mention] = []

    def flush() -> None:
        members = [m for m in run]
        if len(members) >= 2 and any(
                toks[i].norm == "and" for a, b in itertools.pairwise(members) for i in
                range(a.te, b.ts)):
            gid = members[0].group or next(group_ids)
            for m in members:
                m.group = gid

    for m in out:
        if m.kind == "title" and m.ref is not None:
            flush()
            run = []
            continue
        if run:
            prev = run[-1]
            # only glue words between the two (read up to the first other word: the gap
            # between two mentions is often a whole sentence)
            if m.ts > prev.te and all(toks[k].norm in _LIST_GLUE for k in range(prev.te, m.ts)) \
                    and m.ref is not prev:
                run.append(m)
                continue
            flush()
        run = [m]
    flush()
