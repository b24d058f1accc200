"""anchored_matches tries the full pattern only up to each anchor: it finds what searching
each anchor's whole window (its definition, below) finds."""

from __future__ import annotations

import random
import re

from dateline.context import claims, dates
from dateline.context.dates import anchored_matches


def _by_search(text: str, anchor: re.Pattern[str], pattern: re.Pattern[str], before: int,
               after: int) -> list[re.Match[str]]:
    """The definition: search each anchor's window, take the first match holding it."""
    out: list[re.Match[str]] = []
    done = 0
    for pos in (a.start() for a in anchor.finditer(text)):
        if pos < done:
            continue
        m = pattern.search(text, max(done, pos - before), min(len(text), pos + after))
        while m is not None and m.end() <= pos:
            m = pattern.search(text, m.end(), min(len(text), pos + after))
        if m is None or m.start() > pos:
            continue
        out.append(m)
        done = m.end()
    return out


PIECES = ["on ", "Monday", "5 May", "May", "2019", "last week", "two years ago", "3/4/2020",
          "1,200", "troops", "killed", "at least ", "12", "-", " ", ", ", "and ", "March 3",
          "the ", "x", "ab", "a b", "aab", "bab", "2 to 3", "\n", "Jan. 4, 2018", "20 ",
          "million", "per cent", "yesterday", "2018-04"]
# Small patterns whose matches can end before an anchor, start after it, or chain.
SMALL = [(re.compile("a"), re.compile(r"a+b|b")), (re.compile("b"), re.compile(r"ab|a|b b")),
         (re.compile(r"\d"), re.compile(r"\d+(?: \w+)?"))]


def _texts(n: int) -> list[str]:
    rnd = random.Random(3)
    return ["".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 40))) for _ in range(n)]


def _spans(ms: list[re.Match[str]]) -> list[tuple]:
    return [(m.span(), m.groups()) for m in ms]


def test_anchored_matches_equal_the_window_searches():
    found = 0
    for text in _texts(1500):
        for anchor, pattern in SMALL:
            for before, after in ((0, 1), (1, 3), (3, 10)):
                want = _by_search(text, anchor, pattern, before, after)
                assert _spans(anchored_matches(text, anchor, pattern, before, after)) \
                    == _spans(want), (text, anchor.pattern, pattern.pattern)
                found += len(want)
        for anchor, pattern, before, after in (
                (dates._ANCHOR_RE, dates._DATE_RE, 30, 80),
                (claims._CLAIM_ANCHOR_RE, claims._CLAIM_RE, 4, 60)):
            want = _by_search(text, anchor, pattern, before, after)
            assert _spans(anchored_matches(text, anchor, pattern, before, after)) \
                == _spans(want), text
            found += len(want)
    assert found > 10_000
