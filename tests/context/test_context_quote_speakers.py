"""Speaker look-ups over the story's mentions (sorted by start, searched by bisection) find
what a scan of every mention finds."""

from __future__ import annotations

import random

from dateline.context import quotes
from dateline.context.quotes import _Candidate, _is_speaker
from dateline.records import Actor

KINDS = ["person", "title", "role", "org", "country", "pronoun:person", "pronoun:org",
         "pronoun:title", "other"]


def _cands(rnd: random.Random, n: int) -> list[_Candidate]:
    out = []
    for _ in range(n):
        start = rnd.randint(0, 300)
        end = start + rnd.randint(0, 12)  # empty spans too
        out.append(_Candidate(start, end, Actor(text=f"a{start}-{end}"), rnd.choice(KINDS)))
    return sorted(out, key=lambda c: c.start)


def _scan_actor_in(cands, start, end):
    inside = [c for c in cands if start <= c.start and c.end <= end and _is_speaker(c)]
    if not inside:
        return None
    return min(inside, key=lambda c: (quotes._rank(c) if not c.kind.startswith("pronoun")
                                      else 0, c.start)).actor


def _scan_last_person_before(cands, pos):
    before = [c for c in cands if c.end <= pos and c.kind.split(":")[-1] in ("person", "title")]
    return before[-1].actor if before else None


def test_lookups_equal_scans_of_every_mention():
    rnd = random.Random(7)
    checked = found = 0
    for _ in range(300):
        cands = _cands(rnd, rnd.randint(0, 40))
        for _ in range(20):
            a = rnd.randint(-5, 320)
            b = a + rnd.randint(0, 80)
            got = quotes._actor_in(cands, a, b)
            assert got is _scan_actor_in(cands, a, b)
            assert quotes._last_person_before(cands, a) is _scan_last_person_before(cands, a)
            assert quotes._within(cands, a, b) == [
                c for c in cands if a <= c.start and c.end <= b and _is_speaker(c)]
            checked += 1
            found += got is not None
    assert checked == 6000 and found > 1000
