"""Direct quotes with their speakers.

Quote marks are paired per paragraph (curly and straight); a paragraph whose quote is not
closed continues into the next paragraph that opens with a quote mark (the newswire
convention); two parts split around a short attribution (`"We have," she said, "a lot to
discuss."`) become one quote. The speaker is the actor of the attribution next to the quote
(names, titles, pronouns through the actor mentions' antecedents), else the subject of the
sentence that embeds the quote, else, for a paragraph that is only a quote, the speaker of
the preceding paragraph's attribution.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from dateline.context.dates import is_word_char, word_spans
from dateline.context.memo import DocMemo
from dateline.context.places import entities
from dateline.records import Actor, Quote

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|explained|explains|stated|states|noted|notes|stressed|"
    "stresses|emphasized|emphasised|emphasizes|highlighted|highlights|indicated|indicates|"
    "insisted|insists|argued|argues|warned|warns|declared|declares|announced|announces|"
    "asserted|claimed|claims|wrote|writes|tweeted|considered|considers|remarked|commented|"
    "replied|continued|acknowledged|admitted|urged|asked|recalled|pointed out|went on|"
    "concluded|vowed|promised|predicted|suggested|described|called|observed")
_SPEECH_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b|\baccording to\b", re.IGNORECASE)
_PRONOUN_RE = re.compile(r"^(?:he|she|they|it|we|i)$", re.IGNORECASE)
# After a quote: `, she said, ` / ` Nielsen emphasized.` / `, said the minister.`
_AFTER_RE = re.compile(
    rf"^[\s,]*(?:(?P<who>[^\"“”.,;:]{{1,60}}?)\s+(?:{SPEECH_VERBS})\b|"
    rf"(?:{SPEECH_VERBS})\s+(?P<who2>[^\"“”.,;:]{{1,60}}?)(?=\s*(?:[.,;:\"“”]|$)))",
    re.IGNORECASE)
_OPENERS = "“\"«„"
_CLOSERS = "”\"»“"
_MARK_RE = re.compile("[“”\"«»„]")
_SPEAKER_KINDS = {"person": 0, "title": 1, "role": 2, "org": 3, "country": 4}


@dataclass
class _Part:
    start: int  # offsets of the quoted words (marks excluded)
    end: int
    closed: bool


@dataclass
class _Candidate:
    start: int
    end: int
    actor: Actor
    kind: str


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in re.finditer(r"\n", text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _parts(text: str, start: int, end: int) -> list[_Part]:
    """Quoted stretches of one paragraph, in order; an unclosed one runs to the end."""
    parts: list[_Part] = []
    open_at: int | None = None
    for mark in _MARK_RE.finditer(text, start, end):
        i = mark.start()
        ch = text[i]
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if open_at is None:
            opening = ch in "“«„" or (ch == '"' and (prev.isspace() or prev in "([—–-:,")
                                      and not nxt.isspace())
            if opening:
                open_at = i + 1
        else:
            closing = ch in "”»" or (ch == '"' and not prev.isspace()) or \
                (ch == "“" and not prev.isspace() and (nxt.isspace() or nxt in ".,;"))
            if closing:
                if i > open_at:
                    parts.append(_Part(open_at, i, True))
                open_at = None
    if open_at is not None and end > open_at:
        parts.append(_Part(open_at, end, False))
    return parts


def _candidates(text: str, sdoc: Any, mentions: list[Any] | None) -> list[_Candidate]:
    """Actor mentions that can speak (pronouns resolved), plus spaCy PERSON entities."""
    out: list[_Candidate] = []
    mentions = mentions or []
    for m in mentions:
        actor, kind = m.actor, m.kind
        if kind == "pronoun":
            seen = 0
            ante = getattr(m, "antecedent", None)
            while isinstance(ante, int) and 0 <= ante < len(mentions) and seen < 10:
                target = mentions[ante]
                actor, kind = target.actor, target.kind
                ante = getattr(target, "antecedent", None) if kind == "pronoun" else None
                seen += 1
            if kind == "pronoun":
                continue
            out.append(_Candidate(m.start, m.end, actor, "pronoun:" + kind))
            continue
        if kind in _SPEAKER_KINDS:
            out.append(_Candidate(m.start, m.end, actor, kind))
    for label, start, end, ent in entities(sdoc):
        if label != "PERSON":
            continue
        if any(c.start < end and start < c.end for c in out):
            continue
        out.append(_Candidate(start, end, Actor(text=ent.text, name=ent.text, start=start,
                                                end=end), "person"))
    return sorted(out, key=lambda c: c.start)


def _rank(c: _Candidate) -> int:
    return _SPEAKER_KINDS.get(c.kind.split(":")[-1], 5)


def _is_speaker(c: _Candidate) -> bool:
    return c.kind.split(":")[-1] in ("person", "title", "role", "org")


def _start(c: _Candidate) -> int:
    return c.start


def _within(cands: list[_Candidate], start: int, end: int) -> list[_Candidate]:
    """The speakers among the mentions inside [start, end), in order: the mentions are sorted
    by start, so only those starting in the stretch are looked at."""
    lo = bisect_left(cands, start, key=_start)
    hi = bisect_right(cands, end, key=_start)
    return [c for c in cands[lo:hi] if c.end <= end and _is_speaker(c)]


def _actor_in(cands: list[_Candidate], start: int, end: int) -> Actor | None:
    """The best speaker among the mentions inside [start, end)."""
    inside = _within(cands, start, end)
    if not inside:
        return None
    return min(inside, key=lambda c: (_rank(c) if not c.kind.startswith("pronoun") else 0,
                                      c.start)).actor


def _last_person_before(cands: list[_Candidate], pos: int) -> Actor | None:
    """The last person or title mention (in start order) that ends by `pos`."""
    for k in range(bisect_right(cands, pos, key=_start) - 1, -1, -1):
        c = cands[k]
        if c.end <= pos and c.kind.split(":")[-1] in ("person", "title"):
            return c.actor
    return None


def _who(text: str, cands: list[_Candidate], start: int, end: int) -> Actor | None:
    """The actor named by an attribution phrase text[start:end]."""
    actor = _actor_in(cands, start, end)
    if actor is not None:
        return actor
    phrase = text[start:end].strip()
    words = phrase.split()
    if words and _PRONOUN_RE.match(words[-1]):
        return _last_person_before(cands, start)
    if phrase and phrase[0].isupper() and len(words) <= 4:
        return Actor(text=phrase, name=phrase, start=start, end=start + len(phrase))
    return None


_SENT_BREAK_RE = re.compile(r"[.!?][\"”’]?\s+(?=[A-Z“\"])")


_SPEECH_WORDS = (*SPEECH_VERBS.split("|"), "according to")
_SPANS = DocMemo()  # the story text -> its speech verbs' spans and their starts


def _speech_verbs(text: str, lo: int, hi: int, *, last: bool) -> tuple[int, int] | None:
    """(start, end) of the first (or last) _SPEECH_RE match inside text[lo:hi], as the regex
    finds them in that stretch (lo follows a space or a paragraph break, hi is a quote mark
    or a paragraph's end: word boundaries read the same in the stretch as in the text).

    The verbs of a story are found once, with str.find (the regex opens with an alternation
    and a word boundary, so each scan tries every position); the regex decides only for a
    text with characters whose case folding lower-casing does not reproduce.
    """
    memo = _SPANS.of(text)
    if "spans" not in memo:
        spans = word_spans(text, _SPEECH_WORDS)
        if spans is not None:
            n = len(text)
            spans = sorted((a, b) for a, b in spans if b >= n or not is_word_char(text[b]))
        memo["spans"] = spans
        memo["starts"] = [a for a, _ in spans] if spans is not None else []
    spans, starts = memo["spans"], memo["starts"]
    if spans is None:
        found = list(_SPEECH_RE.finditer(text[lo:hi]))
        if not found:
            return None
        m = found[-1] if last else found[0]
        return lo + m.start(), lo + m.end()
    if last:
        for k in range(bisect_left(starts, hi) - 1, -1, -1):
            a, b = spans[k]
            if a < lo:
                return None
            if b <= hi:
                return a, b
        return None
    for k in range(bisect_left(starts, lo), len(spans)):
        a, b = spans[k]
        if a >= hi:
            return None
        if b <= hi:
            return a, b
    return None


def _sentence_start(text: str, para_start: int, pos: int) -> int:
    """Start of the sentence holding `pos`, within its paragraph."""
    # The last break is the rightmost [.!?] where the pattern matches (its matches cannot
    # overlap): look back from `pos` instead of scanning forward from the paragraph's start.
    end = pos
    while True:
        p = max(text.rfind(".", para_start, end), text.rfind("!", para_start, end),
                text.rfind("?", para_start, end))
        if p < 0:
            return para_start
        m = _SENT_BREAK_RE.match(text, p, pos)  # endpos: the lookahead stops at `pos`
        if m is not None:
            return m.end()
        end = p


def find_quotes(text: str, sdoc: Any = None, mentions: list[Any] | None = None,
                min_words: int = 4) -> list[Quote]:
    """Direct quotes of at least `min_words` words, each with its speaker (or None)."""
    cands = _candidates(text, sdoc, mentions)
    paras = _paragraphs(text)
    quotes: list[Quote] = []
    last_para_speaker: tuple[int, Actor | None] = (-1, None)
    pending: list[_Part] = []  # an unclosed quote continuing into the next paragraph
    for pi, (ps, pe) in enumerate(paras):
        parts = _parts(text, ps, pe)
        if pending and not (parts and parts[0].start - 1 == ps + _lead(text, ps, pe)):
            quotes.extend(_emit(text, cands, pending, paras, pi - 1, last_para_speaker))
            pending = []
        # Join parts split around a short attribution.
        groups: list[list[_Part]] = []
        for part in parts:
            if groups and groups[-1][-1].closed:
                gap = text[groups[-1][-1].end + 1:part.start - 1]
                if len(gap) <= 60 and _AFTER_RE.match(gap) and gap.strip().endswith(",") \
                        and part.start - 1 > 0:
                    groups[-1].append(part)
                    continue
            groups.append([part])
        if pending and groups:
            pending.extend(groups.pop(0))
            if pending[-1].closed:
                quotes.extend(_emit(text, cands, pending, paras, pi, last_para_speaker))
                pending = []
        for gi, group in enumerate(groups):
            if not group[-1].closed and gi == len(groups) - 1:
                pending = group
                continue
            quotes.extend(_emit(text, cands, group, paras, pi, last_para_speaker))
        speaker = _paragraph_speaker(text, cands, ps, pe, quotes)
        if speaker is not None:
            last_para_speaker = (pi, speaker)
    if pending:
        quotes.extend(_emit(text, cands, pending, paras, len(paras) - 1, last_para_speaker))
    return [q for q in quotes if len(q.text.split()) >= min_words]


def _lead(text: str, ps: int, pe: int) -> int:
    """Length of the leading whitespace of a paragraph."""
    seg = text[ps:pe]
    return len(seg) - len(seg.lstrip())


def _paragraph_speaker(text: str, cands: list[_Candidate], ps: int, pe: int,
                       quotes: list[Quote]) -> Actor | None:
    """Who speaks in a paragraph: its quotes' speaker, else the subject of its speech verb."""
    for q in reversed(quotes):
        if ps <= q.start < pe and q.speaker is not None:
            return q.speaker
    v = _speech_verbs(text, ps, pe, last=False)
    if v is None:
        return None
    sent_start = _sentence_start(text, ps, v[0])
    return _actor_in(cands, sent_start, v[0]) or _actor_in(cands, v[1], min(pe, v[1] + 60))


def _emit(text: str, cands: list[_Candidate], group: list[_Part],
          paras: list[tuple[int, int]], pi: int, last: tuple[int, Actor | None]) -> list[Quote]:
    """One Quote from its parts, with its speaker."""
    pieces: list[str] = []
    for part in group:
        seg = text[part.start:part.end].strip()
        if pieces and pieces[-1].endswith(",") and seg[:1].islower():
            pieces[-1] = pieces[-1][:-1]
        pieces.append(seg)
    body = _LINE_BREAK_RE.sub(" ", " ".join(pieces)).strip()
    start, end = group[0].start, group[-1].end
    speaker = _speaker(text, cands, group, paras, last)
    return [Quote(text=body, start=start, end=end, speaker=speaker)]


def _para_of(paras: list[tuple[int, int]], pos: int) -> int:
    for i, (ps, pe) in enumerate(paras):
        if ps <= pos <= pe:
            return i
    return -1


def _speaker(text: str, cands: list[_Candidate], group: list[_Part],
             paras: list[tuple[int, int]], last: tuple[int, Actor | None]) -> Actor | None:
    first, final = group[0], group[-1]
    # 1. An attribution between the parts of a split quote.
    for a, b in pairwise(group):
        gap_start, gap_end = a.end + 1, b.start - 1
        m = _AFTER_RE.match(text[gap_start:gap_end])
        if m:
            g = "who" if m.group("who") else "who2"
            actor = _who(text, cands, gap_start + m.start(g), gap_start + m.end(g))
            if actor is not None:
                return actor
    # 2. An attribution right after the closing mark.
    pi_end = _para_of(paras, final.end)
    pe = paras[pi_end][1] if pi_end >= 0 else len(text)
    if final.closed:
        after = final.end + 1
        m = _AFTER_RE.match(text[after:pe])
        if m:
            g = "who" if m.group("who") else "who2"
            actor = _who(text, cands, after + m.start(g), after + m.end(g))
            if actor is not None:
                return actor
    # 3. The sentence that embeds or introduces the quote ("Trump said, “…”").
    pi = _para_of(paras, first.start)
    ps = paras[pi][0] if pi >= 0 else 0
    sent_start = _sentence_start(text, ps, first.start - 1)
    lead = text[sent_start:first.start - 1]
    if lead.strip():
        verb = _speech_verbs(text, sent_start, first.start - 1, last=True)
        upto = verb[0] if verb is not None else sent_start + len(lead)
        actor = _subject(text, cands, sent_start, upto) or _subject(
            text, cands, sent_start, first.start - 1)
        if actor is not None:
            return actor
    # 4. A paragraph that is only a quote: the previous paragraph's speaker.
    if not lead.strip() and last[1] is not None and last[0] == pi - 1:
        return last[1]
    return None


# compiled once: re.sub(pattern, ...) looks its pattern up in re's cache on every call
_LINE_BREAK_RE = re.compile(r"\s*\n\s*[“\"]?")
_HE_SHE_THEY_RE = re.compile(r"\b(?:he|she|they)\b", re.IGNORECASE)


def _subject(text: str, cands: list[_Candidate], start: int, end: int) -> Actor | None:
    """The first speaker-like mention of a sentence stretch (its subject, in news prose)."""
    inside = _within(cands, start, end)
    if not inside:
        words = _HE_SHE_THEY_RE.search(text[start:end])  # any one: findall listed them all
        return _last_person_before(cands, start) if words else None
    best = min(inside, key=lambda c: (c.start, _rank(c)))
    # Prefer a person or title mention over a preceding role/org ("US official Nielsen").
    people = [c for c in inside if c.kind.split(":")[-1] in ("person", "title")]
    if people and _rank(best) > 1:
        return people[0].actor
    return best.actor
