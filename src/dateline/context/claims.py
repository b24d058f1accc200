"""Numeric claims: counts, money, percentages and rates, with who claims them.

A claim is a figure written in digits (or with a scale word: "2.5 billion"), or a spelled-out
number that a source in the same sentence vouches for. Dates, ages, times, ordinals and
years are not claims. The source comes from "according to (a study by) X", "X said/found/
estimated", "a report by X found".
"""

from __future__ import annotations

import re
from typing import Any

from dateline.context.dates import anchored_matches, is_word_char, word_spans
from dateline.records import Actor, Claim

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9,
          "m": 1e6, "k": 1e3, "mn": 1e6}
_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
          "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "a hundred": 100,
          "hundreds": 100, "thousands": 1000, "dozens": 24, "a dozen": 12, "dozen": 12}
_CURRENCY = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP",
             "gbp": "GBP", "¥": "JPY", "pesos": "MXN", "dollars": "USD", "euros": "EUR",
             "pounds": "GBP", "rupees": "INR", "yuan": "CNY", "dlrs": "USD"}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_RE = r"(?:\s?(?:thousand|million|billion|trillion|bn|mn)\b|(?<=\d)[mk]\b)"
_CLAIM_RE = re.compile(
    rf"(?P<money>(?P<cur>US\$|\$|€|£|¥)\s?(?P<mv>{_NUM})(?P<ms>{_SCALE_RE})?)"
    rf"|(?P<pct>(?P<pv>{_NUM})\s?(?:%|per ?cent\b|percentage points?\b))"
    rf"|(?P<count>(?<![\w.$€£/:-])(?P<cv>{_NUM})(?P<cs>{_SCALE_RE})?(?![\d:/]|-year|-month|-day"
    rf"|st\b|nd\b|rd\b|th\b|[ap]\.?m\b))"
    rf"|(?P<word>\b(?P<wv>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    rf"twenty|thirty|forty|fifty|hundreds|thousands|dozens|a dozen)\b)",
    re.IGNORECASE)
_PER_RE = re.compile(r"^\s*(?:(?:each|every|a|per)\s+(?P<u>year|day|month|week|hour|person|"
                     r"capita)|(?P<adv>annually|daily|monthly|weekly|yearly))\b", re.IGNORECASE)
_WORD_RE = re.compile(r"[A-Za-z][\w-]*")
_UNIT_RE = re.compile(r"\s*(?:(?:more|less|fewer)\s+)?(?:of\s+(?:the\s+)?)?"
                      r"[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2}")
_CLAUSE_END = re.compile(r"[.;:!?](?:\s|$)|,\s(?:but|while|and|which|who|according)\b|"
                         r",\s[^,]{1,50}\s(?:said|says|reported|estimated|told)\b|$")
_NOT_UNIT = {"of", "and", "or", "to", "the", "a", "in", "on", "at", "for", "by", "with", "from",
             "years", "year", "old", "times", "percent", "per", "am", "pm", "hours", "minutes",
             "is", "are", "was", "were", "has", "have", "had", "points", "weeks", "week", "days",
             "day", "months", "month", "decades", "decade", "centuries", "seconds", "hour",
             "minute", "when", "where", "who", "which", "that", "as", "after", "before", "than",
             "it", "he", "she", "they", "we", "but", "if", "so", "while", "until", "since",
             "into", "out", "up", "down", "over", "under", "about", "more", "less", "this",
             "these", "those", "their", "his", "her", "its", "our", "my", "your", "not", "all",
             "thirds", "third", "quarters", "quarter", "half", "fifths"}
# Words that come between a figure and what it counts ("100 other children").
_MODIFIERS = {"other", "more", "new", "additional", "extra", "further", "enemy", "foreign",
              "young", "old", "unarmed", "armed", "suspected", "alleged", "innocent", "local",
              "civilian", "american", "british", "mexican", "unaccompanied", "migrant"}
_NOT_SOURCE = {"a", "an", "the", "it", "this", "that", "there", "he", "she", "they", "we", "i",
               "who", "which", "what", "some", "many", "one", "estimated"}
_YEAR_RE = re.compile(r"^(?:1[89]|20)\d\d$")
_AGE_RE = re.compile(r"^(?:-|\s)?(?:years?[- ]old|yrs?\b|-year-old)|^\s*,?\s*(?:who|aged)\b",
                     re.IGNORECASE)
_ATTR_BEFORE = re.compile(
    r"according to\s+(?:(?:a|an|the|new|recent|latest)\s+)*(?:(?P<kind>study|report|survey|"
    r"poll|analysis|data|figures|estimates?|census|statistics|research)\s+(?:by|from|of)\s+)?"
    r"(?P<name>[^,.;]{2,80}?)(?=\s*[,.;]|\s+(?:an?|the|some|about|around|nearly|over|more)\b)",
    re.IGNORECASE)
_ATTR_REPORT = re.compile(
    r"\b(?:an?|the)\s+(?:new\s+|recent\s+)?(?P<kind>study|report|survey|poll|analysis|census)"
    r"\s+(?:by|from|of)\s+(?P<name>[^,.;]{2,80}?)\s+(?:found|showed|shows|finds|said|says|"
    r"estimated|estimates|concluded|revealed)\b", re.IGNORECASE)
_ATTR_SAID = re.compile(
    r"(?:^|[,.]\s*)(?P<name>(?:the\s+)?[A-Z][\w.'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w.'’-]*){0,5}|"
    r"(?:police|officials?|authorities|the (?:ministry|government|army|military|police))"
    r")\s+(?:said|says|estimated|estimates|reported|reports|told|found|announced|claimed)\b|"
    r"[,]\s*(?:said|says|according to)\s+(?P<name2>[^,.;]{2,60}?)\s*[.,;]",
    re.IGNORECASE)


_ORG_WORDS = re.compile(
    r"\b(?:university|institute|center|centre|foundation|council|police|officials?|"
    r"authorities|ministry|government|army|military|agency|office|department|bureau|"
    r"commission|organi[sz]ation|group|observatory|company)\b", re.IGNORECASE)


def _value(raw: str, scale: str | None) -> float:
    v = float(raw.replace(",", ""))
    if scale:
        v *= _SCALE.get(scale.strip().lower(), 1.0)
    return v


_SENT_END = re.compile(r"[.!?][\"”’]?\s+(?=[A-Z“\"])|\n")


# Compiled once: re.search(pattern, ...) looks its pattern up in re's cache on every call.
_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_HE_SHE_RE = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)
_AGED_BEFORE_RE = re.compile(r"\b(?:aged?|ages)\s$", re.IGNORECASE)
_NUMBER_BEFORE_RE = re.compile(r"\b(?:No\.|number|page|article|section|route|flight|at)\s$",
                               re.IGNORECASE)
_EVERY_RE = re.compile(r"\b(?:each|every|a|per)\s+(?P<u>year|day|month|week)\b|"
                       r"\b(?P<adv>annually|daily|monthly|weekly|yearly)\b", re.IGNORECASE)
_APPROX_BEFORE_RE = re.compile(r"(?:an average of|a total of|an estimated|some|about|around|"
                               r"nearly|almost|more than|over|at least|up to|roughly)\s+$",
                               re.IGNORECASE)


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence holding `pos` (paragraph breaks end sentences)."""
    lo = max(0, pos - 400)
    start = lo if lo else 0
    for m in _SENT_END.finditer(text, lo, pos):
        start = m.end()
    m = _SENT_END.search(text, pos)
    end = m.start() + 1 if m and text[m.start()] != "\n" else (m.start() if m else len(text))
    return start, end


def _attribution(text: str, s: int, e: int, mentions: list[Any] | None
                 ) -> dict[str, Any] | None:
    """{"name", "kind", "actor"} of the source of the claims in text[s:e], or None."""
    sent = text[s:e]
    m = _ATTR_REPORT.search(sent) or _ATTR_BEFORE.search(sent)
    kind = None
    name_span = None
    if m:
        kind = (m.group("kind") or "").lower() or None
        name_span = (s + m.start("name"), s + m.end("name"))
    else:
        m2 = _ATTR_SAID.search(sent)
        if m2:
            g = "name" if m2.group("name") else "name2"
            name_span = (s + m2.start(g), s + m2.end(g))
    if name_span is None:
        return None
    name = _ARTICLE_RE.sub("", text[name_span[0]:name_span[1]].strip())
    if not name or name.lower() in _NOT_SOURCE or len(name) < 2:
        return None
    actor = None
    akind = None
    for mm in mentions or []:
        if name_span[0] <= mm.start and mm.end <= name_span[1] and mm.kind != "pronoun":
            actor, akind = mm.actor, mm.kind
            break
    if kind in ("study", "research", "analysis", "survey", "poll"):
        kind = "study"
    elif kind in ("report", "data", "figures", "estimate", "estimates", "census", "statistics"):
        kind = "report"
    elif akind in ("person", "title") or (akind is None and _HE_SHE_RE.search(name)):
        kind = "person"
    elif akind in ("org", "role", "country") or _ORG_WORDS.search(name):
        kind = "org"
    else:
        kind = "person" if len(name.split()) <= 3 and name[:1].isupper() else "org"
    return {"name": name, "kind": kind, "actor": _actor_json(actor)}


def _actor_json(actor: Actor | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {k: getattr(actor, k) for k in ("text", "name", "country", "sector", "code", "title",
                                           "wikidata")}


_CLAIM_ANCHOR_RE = re.compile(
    r"\d|\b(?i:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|hundreds|thousands|dozens|a dozen)\b")


_NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "hundreds",
                 "thousands", "dozens", "a dozen")
_DIGIT_RE = re.compile(r"\d")


def _anchor_starts(text: str) -> list[int]:
    """The starts of _CLAIM_ANCHOR_RE's matches: every digit, and every number word with a
    word boundary on both sides (found with str.find: the regex opens with an alternation
    and a word boundary, so it is tried at every position of the story)."""
    words = word_spans(text, _NUMBER_WORDS)
    if words is None:
        return [m.start() for m in _CLAIM_ANCHOR_RE.finditer(text)]
    n = len(text)
    # Words and digits never overlap, so the regex's matches are exactly both sets.
    starts = [m.start() for m in _DIGIT_RE.finditer(text)]
    starts += [i for i, end in words if end >= n or not is_word_char(text[end])]
    starts.sort()
    return starts


def _claim_matches(text: str) -> list[re.Match]:
    """Matches of the claim pattern, searched only next to a digit or a number word."""
    return anchored_matches(text, _anchor_starts, _CLAIM_RE, 4, 60)


def find_claims(text: str, sdoc: Any = None, mentions: list[Any] | None = None,
                dates: list[Any] | None = None) -> list[Claim]:
    """Numeric claims of a story with value, unit, period, what is counted and their source."""
    date_spans = [(d.start, d.end) for d in dates or []]
    out: list[Claim] = []
    attr_cache: dict[tuple[int, int], dict[str, Any] | None] = {}
    for m in _claim_matches(text):
        start, end = m.span()
        if any(ds < end and start < de for ds, de in date_spans):
            continue
        unit = None
        if m.group("money"):
            value = _value(m.group("mv"), m.group("ms"))
            unit = _CURRENCY.get(m.group("cur").lower(), "USD")
        elif m.group("pct"):
            value = _value(m.group("pv"), None)
            unit = "percent"
        elif m.group("count"):
            raw = m.group("cv")
            if _YEAR_RE.match(raw) and not m.group("cs"):
                continue
            if _AGE_RE.match(text[end:end + 12]) or _AGED_BEFORE_RE.search(
                    text[max(0, start - 6):start]):
                continue
            if text[max(0, start - 1):start] in ("#", "№") or _NUMBER_BEFORE_RE.search(
                    text[max(0, start - 9):start]):
                continue
            value = _value(raw, m.group("cs"))
        else:
            value = float(_WORDS.get(m.group("wv").lower(), 0))
        # What is counted: the noun phrase after the figure (or a currency word).
        tail = text[end:end + 120]
        if unit is None:
            unit_m = _UNIT_RE.match(tail)
            if not unit_m:
                continue
            words = list(_WORD_RE.finditer(tail, 0, unit_m.end()))
            words = [w for w in words if w.group().lower() not in ("more", "less", "fewer", "of",
                                                                   "the")] or words
            k = 0
            while k < len(words) - 1 and words[k].group().lower() in _MODIFIERS:
                k += 1  # "100 other children" counts children
            word = words[k].group()
            if word.lower() in _NOT_UNIT or not word[:1].isalpha():
                continue
            unit = _CURRENCY.get(word.lower(), word.lower())
            noun_end = end + words[k].end()
        else:
            noun_end = end
        s, e = _sentence_bounds(text, start)
        clause = _CLAUSE_END.search(text, noun_end, e)
        clause_end = clause.start() if clause and clause.start() > noun_end else e
        what_text = text[end:clause_end].strip(" ,.")
        per = None
        pm = _PER_RE.search(text[noun_end:clause_end]) or _EVERY_RE.search(
            text[noun_end:clause_end])
        if pm:
            u = pm.group("u") or {"annually": "year", "daily": "day", "monthly": "month",
                                  "weekly": "week", "yearly": "year"}[pm.group("adv").lower()]
            per = "person" if u.lower() == "capita" else u.lower()
            what_text = re.sub(r"\s*\b(?:each|every|a|per)\s+" + u + r"\b.*$|\s*\b"
                               r"(?:annually|daily|monthly|weekly|yearly)\b.*$", "",
                               what_text, flags=re.IGNORECASE).strip(" ,")
        if (s, e) not in attr_cache:
            attr_cache[(s, e)] = _attribution(text, s, e, mentions)
        attributed = attr_cache[(s, e)]
        if m.group("word") and attributed is None:
            continue  # "two American men": a spelled-out count with no source is not a claim
        claim_start = start
        pre = _APPROX_BEFORE_RE.search(text[s:start])
        if pre:
            claim_start = s + pre.start()
        clause_end = claim_start + len(text[claim_start:clause_end].rstrip(" ,."))
        out.append(Claim(text=text[claim_start:clause_end], start=claim_start,
                         end=clause_end, value=value, unit=unit, per=per,
                         what=what_text or None, attributed_to=attributed))
    return out
