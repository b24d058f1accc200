"""The gazetteer kept as rows: a pickled one gives the same places, one object per place."""

from __future__ import annotations

import pickle

from dateline.context import places


def test_rows_make_the_same_places_once():
    gaz = places.gazetteer()
    again = pickle.loads(pickle.dumps(gaz))
    for name in ("Mosul", "Washington", "Georgia", "Gaza", "Baja California", "Kenya"):
        want = gaz.candidates(name)
        got = again.candidates(name)
        assert got == want and got, name
        assert again.candidates(name)[0][0] is got[0][0]  # made once, then shared
    iraq = again.country("IRQ")
    assert iraq is not None and iraq.feature == "country"
    assert any(p is iraq for p, _ in again.candidates("Iraq"))
    assert again.country("XXX") is None and again.candidates("Nowhereville") == []


def test_place_rows_round_trip():
    place = places.gazetteer().candidates("Mosul")[0][0]
    assert places.Place(*places.astuple_place(place)) == place
