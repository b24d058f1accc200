"""Date expressions found in text and resolved against the story date.

A compact rule-based resolver: one precompiled regex finds candidate spans
(absolute, partial, numeric, relative, ranges); `resolve` turns a span into an ISO
value with a precision (day | month | year). Week-level expressions ("next week")
resolve to the month that holds the week's Thursday, since the contract has no
week precision.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from dateline.context.memo import DocMemo

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_FULL_MONTHS = {name for name in MONTHS if len(name) > 4} | {"may", "june", "july"}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3,
            "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
           "several": 3, "a few": 3, "few": 3}

_MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
        r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|"
        r"Nov\.?|Dec\.?)")
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few)"
_MOD = r"(?:early|earlier|late|later|mid|mid-|the (?:start|beginning|middle|end) of)"

# Order matters: longer, more specific alternatives first.
_PATTERNS = [
    ("range_md", (rf"(?:from |between )?(?P<rm1>{_MON}) (?P<rd1>{_DAY})(?:,? (?P<ry1>{_YEAR}))?"
                 rf"\s*(?:-|–|to|and|through|until)\s*(?:(?P<rm2>{_MON}) )?(?P<rd2>{_DAY})\b"
                 rf"(?:,? (?P<ry2>{_YEAR}))?")),
    ("range_dm", (rf"(?:from |between )?(?P<qd1>{_DAY})(?: (?P<qm1>{_MON}))?"
                 rf"\s*(?:-|–|to|and|through|until)\s*(?P<qd2>{_DAY}) (?P<qm2>{_MON})"
                 rf"(?:,? (?P<qy>{_YEAR}))?")),
    ("range_y", rf"(?:from |between )(?P<ya>{_YEAR})\s*(?:-|–|to|and|until)\s*(?P<yb>{_YEAR})"),
    ("iso", r"(?P<iy>\d{4})-(?P<im>\d\d)(?:-(?P<id>\d\d))?(?![\d-])"),
    ("numeric", (r"(?<![\d/.])(?P<n1>\d{1,2})(?P<sep>[/.])(?P<n2>\d{1,2})(?P=sep)"
                r"(?P<n3>\d{4}|\d{2})(?![\d/])")),
    ("mdy", rf"(?:(?:{_WD}),? )?(?P<m1>{_MON}) (?P<d1>{_DAY})(?:,? (?P<y1>{_YEAR}))?\b"),
    ("dmy", rf"(?:(?:{_WD}),? )?(?:the )?(?P<d2>{_DAY})(?: of)? (?P<m2>{_MON})(?:,? (?P<y2>{_YEAR}))?\b"),
    ("month", rf"(?:(?P<mmod>{_MOD})\s?)?(?P<m3>{_MON})(?:,? (?P<y3>{_YEAR}))?\b"),
    ("ago", rf"(?P<an>{_NUM}) (?P<au>days?|weeks?|months?|years?) ago"),
    ("rel_unit", (r"(?P<rmod>last|past|this|next|coming|previous|earlier this|later this|"
                 r"early this|late last|early last|late this|early next|late next)"
                 r" (?P<ru>week|month|year|weekend)")),
    ("weekday", (rf"(?:(?P<wmod>last|this|next|this past|this coming|on|late|early) )?"
                rf"(?P<wd>{_WD})")),
    ("simple", (r"(?P<simp>the day before yesterday|the day after tomorrow|yesterday|today|"
               r"tomorrow|tonight|last night|this (?:morning|afternoon|evening))")),
    ("year", (rf"(?P<ymod>(?:in|since|during|until|by|before|after|from|of|early|late|mid-?|"
             rf"(?:in|by) (?:early|late|mid-?))\s?)(?P<y4>{_YEAR})(?![\d,])")),
]
_DATE_RE = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _PATTERNS)
                      + r")(?![\w])", re.IGNORECASE)
# "May" and "March" are also ordinary words: accept them alone only after a date preposition.
_AMBIGUOUS_MONTH_PRE = re.compile(
    r"(?:\b(?:in|since|during|until|by|of|last|this|next|early|late|mid|before|after|from|"
    r"through|between|and|to)\s+)$", re.IGNORECASE)


@dataclass
class DateMention:
    """A date expression at char offsets, with its resolution (None when unresolvable)."""

    start: int
    end: int
    text: str
    value: str | None
    precision: str | None
    kind: str  # absolute | partial | relative | range | numeric
    range_end: str | None = None  # for ranges: the resolved end of the range


def parse_iso(value: str | None) -> date | None:
    """A `date` from YYYY-MM-DD (or a longer ISO timestamp); None when absent or malformed."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _fmt(d: date, precision: str) -> str:
    if precision == "year":
        return f"{d.year:04d}"
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def _month(tok: str) -> int:
    return MONTHS[tok.lower().rstrip(".")]


def _day(tok: str) -> int:
    return int(re.match(r"\d+", tok).group())


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year_for_month(m: int, story: date, future: bool) -> int:
    if future:
        return story.year if m >= story.month else story.year + 1
    return story.year if m <= story.month else story.year - 1


def _year_for_day(m: int, d: int, story: date, future: bool) -> int:
    cand = _safe_date(story.year, m, min(d, 28) if m == 2 and d == 29 else d)
    if cand is None:
        return story.year
    if future:
        return story.year if cand >= story else story.year + 1
    return story.year if cand <= story else story.year - 1


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _week_month(any_day: date) -> date:
    """The Thursday of the (Monday-based) week holding `any_day`: the week's month."""
    return any_day - timedelta(days=any_day.weekday()) + timedelta(days=3)


def _number(tok: str) -> int:
    tok = tok.lower()
    return int(tok) if tok.isdigit() else NUMBERS.get(tok, 1)


def _day_range(year: str | None, m1: int, d1: int, m2: int, d2: int, story: date | None,
               future: bool) -> tuple[str | None, str | None, str, str | None]:
    """A day range ("March 3 to 5", "3-5 March 2018"): its start, with the end kept."""
    if year:
        y1 = int(year)
    elif story:
        y1 = _year_for_day(m1, d1, story, future)
    else:
        return None, None, "range", None
    start, end = _safe_date(y1, m1, d1), _safe_date(y1, m2, d2)
    if start is None:
        return None, None, "range", None
    return start.isoformat(), "day", "range", end.isoformat() if end else None


def _resolve_match(m: re.Match, story: date | None, future: bool, day_first: bool
                   ) -> tuple[str | None, str | None, str, str | None]:
    """(value, precision, kind, range_end) of one regex match."""
    g = m.groupdict()
    kind = m.lastgroup or ""
    if g.get("range_md"):
        m1, d1 = _month(g["rm1"]), _day(g["rd1"])
        m2 = _month(g["rm2"]) if g.get("rm2") else m1
        d2 = _day(g["rd2"])
        return _day_range(g.get("ry1") or g.get("ry2"), m1, d1, m2, d2, story, future)
    if g.get("range_dm"):
        m2 = _month(g["qm2"])
        m1 = _month(g["qm1"]) if g.get("qm1") else m2
        d1, d2 = _day(g["qd1"]), _day(g["qd2"])
        return _day_range(g.get("qy"), m1, d1, m2, d2, story, future)
    if g.get("range_y"):
        return g["ya"], "year", "range", g["yb"]
    if g.get("iso"):
        y, mo = int(g["iy"]), int(g["im"])
        if not 1 <= mo <= 12:
            return None, None, "absolute", None
        if g.get("id"):
            d = _safe_date(y, mo, int(g["id"]))
            return (d.isoformat(), "day", "absolute", None) if d else (None, None, "absolute", None)
        return f"{y:04d}-{mo:02d}", "month", "absolute", None
    if g.get("numeric"):
        a, b, yr = int(g["n1"]), int(g["n2"]), g["n3"]
        y = int(yr) if len(yr) == 4 else 2000 + int(yr) if int(yr) < 70 else 1900 + int(yr)
        # A dot separator (3.4.2018) is day-first almost everywhere it is used.
        mo, d = (b, a) if (day_first or g["sep"] == ".") else (a, b)
        if mo > 12 and d <= 12:  # 25/3/2018 can only be day-first
            mo, d = d, mo
        dd = _safe_date(y, mo, d)
        return (dd.isoformat(), "day", "numeric", None) if dd else (None, None, "numeric", None)
    if g.get("mdy") or g.get("dmy"):
        mo = _month(g.get("m1") or g.get("m2"))
        d = _day(g.get("d1") or g.get("d2"))
        y = g.get("y1") or g.get("y2")
        if y:
            dd = _safe_date(int(y), mo, d)
            return (dd.isoformat(), "day", "absolute", None) if dd else (None, None, "absolute", None)
        if not story:
            return None, None, "partial", None
        dd = _safe_date(_year_for_day(mo, d, story, future), mo, d)
        return (dd.isoformat(), "day", "partial", None) if dd else (None, None, "partial", None)
    if g.get("month"):
        mo = _month(g["m3"])
        if g.get("y3"):
            return f"{int(g['y3']):04d}-{mo:02d}", "month", "absolute", None
        if not story:
            return None, None, "partial", None
        return f"{_year_for_month(mo, story, future):04d}-{mo:02d}", "month", "partial", None
    if g.get("year"):
        return g["y4"], "year", "absolute", None
    if story is None:
        return None, None, "relative", None
    if g.get("ago"):
        n, unit = _number(g["an"]), g["au"].lower().rstrip("s")
        if unit == "day":
            return (story - timedelta(days=n)).isoformat(), "day", "relative", None
        if unit == "week":
            return _fmt(_week_month(story - timedelta(weeks=n)), "month"), "month", "relative", None
        if unit == "month":
            return _fmt(_add_months(story, -n), "month"), "month", "relative", None
        return f"{story.year - n:04d}", "year", "relative", None
    if g.get("rel_unit"):
        mod, unit = g["rmod"].lower(), g["ru"].lower()
        step = -1 if mod in ("last", "past", "previous", "late last", "early last") else \
            1 if mod in ("next", "coming", "early next", "late next") else 0
        if unit in ("week", "weekend"):
            return _fmt(_week_month(story + timedelta(weeks=step)), "month"), "month", \
                "relative", None
        if unit == "month":
            return _fmt(_add_months(story, step), "month"), "month", "relative", None
        return f"{story.year + step:04d}", "year", "relative", None
    if g.get("weekday"):
        wd = WEEKDAYS[g["wd"].lower()]
        mod = (g.get("wmod") or "").lower()
        back = (story.weekday() - wd) % 7
        ahead = (wd - story.weekday()) % 7
        if mod in ("last", "this past"):
            d = story - timedelta(days=back or 7)
        elif mod in ("next", "this coming") or future:
            d = story + timedelta(days=ahead or 7)
        else:
            d = story - timedelta(days=back)
        return d.isoformat(), "day", "relative", None
    if g.get("simple"):
        s = g["simp"].lower()
        offset = {"the day before yesterday": -2, "the day after tomorrow": 2, "yesterday": -1,
                  "tomorrow": 1, "last night": -1}.get(s, 0)
        return (story + timedelta(days=offset)).isoformat(), "day", "relative", None
    return None, None, kind, None


# Every date expression holds one of these words or a digit: the full pattern runs only in a
# window around them (scanning all of a story with the full pattern costs ~10x more).
_ANCHOR_RE = re.compile(
    r"\b(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
    r"[a-z]*day|(?i:today|tonight|yesterday|tomorrow|ago|week|weekend|month|year|morning|"
    r"afternoon|evening|night)\b|(?:1[89]|20)\d\d\b|\d{1,2}[/.]\d{1,2}[/.]\d|\d{4}-\d\d|"
    r"\d{1,2}(?:st|nd|rd|th)?\s?(?:-|–|to|and|through|until)\s?\d)")


def anchored_matches(text: str, anchor: re.Pattern[str] | Callable[[str], list[int]],
                     pattern: re.Pattern[str], before: int, after: int) -> list[re.Match[str]]:
    """Leftmost-first matches of `pattern` that hold an `anchor` match, searched only in a
    window (`before`/`after` characters) around each anchor: a cheap anchor regex runs over
    the whole text, the costly full pattern only where it can match.

    `anchor` is a regex, or a function giving the start offsets of that regex's matches.
    """
    out: list[re.Match[str]] = []
    done = 0
    starts = (a.start() for a in anchor.finditer(text)) if isinstance(anchor, re.Pattern) \
        else anchor(text)
    match = pattern.match
    for pos in starts:
        if pos < done:
            continue
        end = min(len(text), pos + after)
        # What `pattern.search` from the window's start would do, position by position, but
        # only up to the anchor: a match starting after it holds a later anchor, whose window
        # finds it (a search would try every position to the window's end first).
        p = max(done, pos - before)
        m = None
        while p <= pos:
            m = match(text, p, end)
            if m is None:
                p += 1
            elif m.end() <= pos:
                p = m.end()  # the next search starts where this match ends
                m = None
            else:
                break
        if m is None:
            continue
        out.append(m)
        done = m.end()
    return out


# The characters other than a letter's two cases that IGNORECASE matches to an ASCII letter
# (every code point tested): dotted and dotless i, long s, the Kelvin sign. Without them, and
# when lower-casing keeps the length, a case-insensitive ASCII word is where the lower-cased
# text holds it.
_ODD_FOLDS = ("\u0130", "\u0131", "\u017f", "\u212a")
_LOWERED = DocMemo()  # the story text -> its lower case


def _lowered(text: str) -> str | None:
    """`text` lower-cased when that finds what IGNORECASE finds, else None (read once per
    text: dates, claims and quotes all ask for the same story)."""
    memo = _LOWERED.of(text)
    if "low" not in memo:
        low: str | None = text.lower()
        # `in` per character: a regex class scan of the text costs ~30x more
        if len(low) != len(text) or any(ch in text for ch in _ODD_FOLDS):
            low = None
        memo["low"] = low
    return memo["low"]


def word_spans(text: str, words: tuple[str, ...]) -> list[tuple[int, int]] | None:
    """(start, end) of every occurrence of `words` (lower-case ASCII, matched as `(?i:...)`
    in a regex would) in `text` with a word boundary before it; None when the text holds a
    character that would make plain lower-casing disagree with the regex."""
    low = _lowered(text)
    if low is None:
        return None
    out = []
    for w in words:
        i = low.find(w)
        while i >= 0:
            if not i or not is_word_char(text[i - 1]):
                out.append((i, i + len(w)))
            i = low.find(w, i + 1)
    return out


def is_word_char(ch: str) -> bool:
    """Whether a regex's \\w (and so \\b) counts the character as a word character."""
    return ch.isalnum() or ch == "_"


_ANCHOR_WORDS = ("today", "tonight", "yesterday", "tomorrow", "ago", "week", "weekend",
                 "month", "year", "morning", "afternoon", "evening", "night")
# Where an _ANCHOR_RE match can start, but for its case-insensitive words: a capital that
# opens a month or weekday name (or a word above), or a digit, after a word boundary. A
# pattern that opens with a character class is scanned fast; _ANCHOR_RE opens with \b and
# is tried at every position (~70 % of find_dates' time).
_ANCHOR_FIRST_RE = re.compile(r"[JFMASONDTW\d](?<!\w.)")


def _anchor_starts(text: str) -> list[int]:
    """The starts of _ANCHOR_RE's matches (as its finditer gives them), tried only where one
    can begin."""
    words = word_spans(text, _ANCHOR_WORDS)
    if words is None:
        return [m.start() for m in _ANCHOR_RE.finditer(text)]
    cands = sorted({m.start() for m in _ANCHOR_FIRST_RE.finditer(text)}.union(
        i for i, _ in words))
    out = []
    done = 0
    for p in cands:
        if p < done:
            continue
        m = _ANCHOR_RE.match(text, p)
        if m is not None:
            out.append(p)
            done = m.end()
    return out


def _matches(text: str) -> list[re.Match]:
    """The leftmost-first matches of the full date pattern, searched only near anchors."""
    return anchored_matches(text, _anchor_starts, _DATE_RE, 30, 80)


def find_dates(text: str, story_date: str | date | None = None, *, future: bool = False,
               day_first: bool = False) -> list[DateMention]:
    """Every date expression in `text`, resolved against the story date."""
    story = parse_iso(story_date) if isinstance(story_date, str) else story_date
    out: list[DateMention] = []
    for m in _matches(text):
        if not _plausible(m, text):
            continue
        value, precision, kind, rng = _resolve_match(m, story, future, day_first)
        start, end = m.span()
        out.append(DateMention(start, end, m.group(), value, precision, kind, rng))
    return out


def _plausible(m: re.Match, text: str) -> bool:
    """Filters month words that are ordinary words ("may", "march") and lower-case months."""
    g = m.groupdict()
    if g.get("month"):
        word = g["m3"]
        if not word[0].isupper():
            return False
        if word.lower().rstrip(".") in ("may", "march", "mar", "jan", "sat", "sun") \
                and not g.get("y3") and not g.get("mmod") \
                and not _AMBIGUOUS_MONTH_PRE.search(text[max(0, m.start() - 12):m.start()]):
            return False
        if word.lower() not in _FULL_MONTHS and not word.endswith(".") and not g.get("y3"):
            return False  # "Jan", "Oct" alone are too often names or acronyms
    for key in ("m1", "m2", "rm1", "qm2"):
        if g.get(key) and not g[key][0].isupper():
            return False
    return not (g.get("weekday") and not g["wd"][0].isupper())


def resolve(expression: str, story_date: str | date | None, *, future: bool = False,
            day_first: bool = False) -> tuple[str | None, str | None]:
    """Resolve one date expression to (ISO value, precision); (None, None) when it is none."""
    found = find_dates(expression.strip(), story_date, future=future, day_first=day_first)
    if not found:
        return None, None
    best = max(found, key=lambda d: d.end - d.start)
    return best.value, best.precision


def date_interval(value: str, precision: str) -> tuple[date, date]:
    """First and last day covered by a resolved date value."""
    if precision == "year":
        y = int(value[:4])
        return date(y, 1, 1), date(y, 12, 31)
    if precision == "month":
        y, m = int(value[:4]), int(value[5:7])
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    d = date.fromisoformat(value[:10])
    return d, d


def is_historical(value: str | None, precision: str | None, story_date: date | None,
                  margin_days: int = 7) -> bool:
    """True when the whole date lies clearly (more than `margin_days`) before the story date."""
    if not value or not precision or story_date is None:
        return False
    _, last = date_interval(value, precision)
    return last < story_date - timedelta(days=margin_days)
