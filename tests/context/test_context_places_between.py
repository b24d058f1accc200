"""A sentence's places found by binary search equal the scan of the whole list, for a list in
text order; a list out of order is scanned."""

from __future__ import annotations

import random

from dateline.context.locator import _places_between
from dateline.context.places import PlaceMention


class _Doc:
    """A stand-in document: the memo matches documents by identity only."""


def _scan(places: list[PlaceMention], lo: int, hi: int) -> list[PlaceMention]:
    return [p for p in places if lo <= p.start < hi]


def test_places_between_equals_the_scan():
    rnd = random.Random(5)
    for _ in range(300):
        starts = sorted(rnd.randrange(200) for _ in range(rnd.randrange(12)))  # ties included
        places = [PlaceMention(s, s + 3, "X", None, "GPE") for s in starts]
        doc = _Doc()
        for _ in range(20):
            lo = rnd.randrange(-5, 210)
            hi = lo + rnd.randrange(0, 80)
            got = _places_between(doc, places, lo, hi)
            assert got == _scan(places, lo, hi)
            assert all(a is b for a, b in zip(got, _scan(places, lo, hi)))


def test_a_list_out_of_text_order_is_scanned():
    places = [PlaceMention(s, s + 3, "X", None, "GPE") for s in (50, 10, 30, 10)]
    doc = _Doc()
    assert [p.start for p in _places_between(doc, places, 10, 40)] == [10, 30, 10]
    assert _places_between(doc, places, 0, 5) == []
    # the same document with another list (or the list grown) is read afresh
    more = places + [PlaceMention(35, 38, "Y", None, "GPE")]
    assert [p.start for p in _places_between(doc, more, 30, 40)] == [30, 35]
