"""In-story coreference: surnames, pronouns and definite descriptions ("the US official")
resolved to an earlier full mention of the same person or group."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress

from dateline.actors.matching import Token
from dateline.actors.mentions import Mention

_HE = frozenset({"he", "him", "his", "himself"})
_SHE = frozenset({"she", "her", "hers", "herself"})
_THEY = frozenset({"they", "them", "their", "themselves"})
PRONOUNS = _HE | _SHE | _THEY
# Role nouns that denote one person: "the US official" can be a person named before.
PERSON_HEADS = frozenset({
    "official", "minister", "secretary", "president", "premier", "chancellor", "spokesman",
    "spokeswoman", "spokesperson", "diplomat", "envoy", "ambassador", "leader", "chief", "head",
    "governor", "mayor", "senator", "lawmaker", "general", "commander", "director", "king",
    "queen", "prince", "emir", "sheikh", "judge", "prosecutor", "candidate", "representative",
    "congressman", "congresswoman", "adviser", "advisor", "aide", "counterpart", "deputy",
    "commissioner", "negotiator"})
_HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "president",
                         "secretary", "minister", "senator", "sen.", "gen.", "general",
                         "chancellor", "premier", "governor", "gov.", "rep.", "prime"})
_SENTENCE_WINDOW = 3  # pronouns look back this many sentences for their antecedent
_DESCRIPTION_WINDOW = 3


def root(m: Mention) -> Mention:
    seen = 0
    while m.ref is not None and seen < 20:
        m, seen = m.ref, seen + 1
    return m


def copy_from(target: Mention, ts: int, te: int, kind: str) -> Mention:
    """A new mention at ts..te that carries the resolved actor of `target`."""
    return Mention(ts, te, kind, country=target.country, sector=target.sector, name=target.name,
                   title=target.title, entry=target.entry, gender=target.gender,
                   plural=target.plural, ref=target, name_tokens=target.name_tokens)


def surnames(toks: Sequence[Token], mentions: list[Mention],
             norms: Sequence[str]) -> list[Mention]:
    """Later 'Nielsen' / 'Navarrete Prida' mentions of a person named in full earlier.
    `norms`: the tokens' folded forms (the story view's list)."""
    persons = [m for m in mentions if m.kind == "person" and len(m.name_tokens) >= 2]
    if not persons:
        return mentions
    covered = [None] * len(toks)
    for m in mentions:
        for i in range(m.ts, min(m.te, len(toks))):
            covered[i] = m
    added: list[Mention] = []
    replaced: set[int] = set()
    keys: dict[tuple[str, ...], Mention] = {}
    order = sorted(persons, key=lambda m: m.ts)
    p = 0
    n = len(toks)
    # a surname is capitalised and one of the name's words: scan only such tokens
    words = {w for m in order for w in m.name_tokens}
    # the word test first, in one pass over the forms: few tokens are a name's words
    candidates = [k for k in compress(range(n), map(words.__contains__, norms)) if toks[k].cap]
    c = 0
    i = 0
    while c < len(candidates):
        if candidates[c] < i:
            c += 1
            continue
        i = candidates[c]
        while p < len(order) and order[p].te <= i:
            person = order[p]
            p += 1
            if id(person) in replaced:
                continue  # a repeat, now a copy pointing at the first mention
            parts = person.name_tokens
            for k in range(len(parts)):  # the full name, then its surnames
                suffix = parts[k:]
                # the later full mention of someone else with the same surname takes over
                keys[suffix] = person
        tok = toks[i]
        hit = None
        if tok.cap and keys:
            for length in (3, 2, 1):
                key = tuple(t.norm for t in toks[i:i + length])
                if len(key) == length and key in keys:
                    hit = (length, keys[key])
                    break
        if hit is None:
            i += 1
            c += 1
            continue
        length, person = hit
        j = i + length
        # "Nielsen's" is fine; "Nielsen Jr" or a longer name is a different person
        if j < n and toks[j].cap and toks[j].norm not in ("'s",) and covered[j] is None:
            i += 1
            continue
        owner = covered[i]
        if owner is not None and owner is person:
            i = j
            continue
        if owner is not None and (owner.kind != "person" or owner.te - owner.ts > length):
            i = owner.te
            continue
        if owner is not None:
            replaced.add(id(owner))
        start = i
        if i > 0 and toks[i - 1].norm in _HONORIFICS and covered[i - 1] is None:
            start = i - 1
        ref = root(person)
        m = copy_from(ref, start, j, "person")
        m.name_tokens = ref.name_tokens
        added.append(m)
        i = j
    kept = [m for m in mentions if id(m) not in replaced]
    out = sorted(kept + added, key=lambda m: (m.ts, m.te))
    _link_repeats(out)
    return out


def _link_repeats(mentions: list[Mention]) -> None:
    """A dictionary person named again ("Mexico's Navarrete Prida") refers to the first mention."""
    first: dict[int, Mention] = {}
    for m in mentions:
        if m.kind != "person" or m.entry is None:
            continue
        seen = first.get(id(m.entry))
        if seen is None:
            first[id(m.entry)] = m
        elif m.ref is None and seen is not m:
            m.ref = root(seen)


def descriptions(toks: Sequence[Token], mentions: list[Mention],
                 sent_of: Sequence[int]) -> None:
    """'the US official' after 'Kirstjen Nielsen' (USA GOV) refers to her."""
    for idx, m in enumerate(mentions):
        if m.kind != "role" or m.plural or m.ref is not None or m.sector is None:
            continue
        if m.country is None:
            continue  # "the official" alone is too vague to name anyone
        if m.ts == 0 or toks[m.ts - 1].norm != "the":
            continue
        if toks[m.te - 1].norm not in PERSON_HEADS:
            continue
        for prev in reversed(mentions[:idx]):
            if sent_of[m.ts] - sent_of[prev.ts] > _DESCRIPTION_WINDOW:
                break
            if prev.kind not in ("person",) or prev.sector != m.sector:
                continue
            if m.country is not None and prev.country != m.country:
                continue
            target = root(prev)
            m.ref = target
            m.name, m.title = target.name, " ".join(t.text for t in toks[m.ts:m.te])
            m.country, m.gender, m.entry = target.country, target.gender, target.entry
            m.name_tokens = target.name_tokens
            break


def pronouns(toks: Sequence[Token], mentions: list[Mention], sent_of: Sequence[int],
             group_ids, norms: Sequence[str]) -> list[Mention]:
    """he/she/they resolved to the nearest fitting earlier person (or group) mention.
    `norms`: the tokens' folded forms (the story view's list)."""
    covered = set()
    for m in mentions:
        covered.update(range(m.ts, m.te))
    out = list(mentions)
    ordered = sorted(mentions, key=lambda m: m.ts)
    k = 0
    history: list[Mention] = []  # mentions before the current token, pronouns included
    for i in list(compress(range(len(norms)), map(PRONOUNS.__contains__, norms))):
        while k < len(ordered) and ordered[k].ts < i:
            history.append(ordered[k])
            k += 1
        norm = norms[i]
        if i in covered:
            continue
        if norm in _THEY:
            new = _resolve_they(i, history, sent_of, group_ids)
            history.extend(new)
            out.extend(new)
            continue
        gender = "m" if norm in _HE else "f"
        for prev in reversed(history):
            if sent_of[i] - sent_of[prev.ts] > _SENTENCE_WINDOW:
                break
            if prev.kind not in ("person", "title", "pronoun") or prev.plural:
                continue
            if prev.kind == "title" and prev.ref is None:
                continue
            target = root(prev)
            if target.kind not in ("person", "title") or target.plural:
                continue
            if target.gender is not None and target.gender != gender:
                continue
            m = copy_from(target, i, i + 1, "pronoun")
            m.plural = False
            history.append(m)
            out.append(m)
            break
    return sorted(out, key=lambda m: (m.ts, m.te))


def _resolve_they(i: int, history: list[Mention], sent_of: Sequence[int],
                  group_ids) -> list[Mention]:
    """'they': the people of a meeting in the same sentence, a recent group, or a plural noun."""
    same = []
    for m in reversed(history):
        if sent_of[m.ts] != sent_of[i]:
            break
        if m.kind != "pronoun" and root(m).kind == "person":
            same.append(m)
    same.reverse()
    people: list[Mention] = []
    for m in same:
        r = root(m)
        if all(root(p) is not r for p in people):
            people.append(m)
    targets: list[Mention] = []
    if len(people) >= 2:
        targets = people
    else:
        for prev in reversed(history):
            if sent_of[i] - sent_of[prev.ts] > 1:
                break
            if prev.group is not None:
                targets = [m for m in reversed(history[-50:])
                           if m.group == prev.group and m.kind != "pronoun"][::-1]
                break
            if prev.plural and prev.kind in ("role", "org") \
                    and prev.extra.get("dep") in ("nsubj", "nsubjpass"):
                # only a plural subject: "told the media they ..." is not the media, and
                # an unparsed sentence gives no evidence either way
                targets = [prev]
                break
    if not targets:
        return []
    gid = next(group_ids) if len(targets) > 1 else None
    out = []
    for t in targets:
        m = copy_from(root(t), i, i + 1, "pronoun")
        m.ref = root(t)
        m.plural = True
        m.group = gid
        out.append(m)
    return out
