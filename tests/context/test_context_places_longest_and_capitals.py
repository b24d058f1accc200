"""Places: the longest gazetteer name wins over the NER's pieces, 'the <demonym> capital' is
that country's capital, and a bare demonym is no place. Sentences are ours."""

from __future__ import annotations

import pytest

from dateline import nlp
from dateline.context.places import capital_of, demonym_country, find_places, resolve_place


def _places(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(p.text, p.place and p.place.name, p.place and p.place.country)
            for p in find_places(text, nlp.parse(text))]


@pytest.mark.parametrize("text,name", [
    ("Police in Baja California seized a tonne of cocaine on Monday.", "Baja California"),
    ("Flooding hit Baja California Sur on Monday.", "Baja California Sur"),
])
def test_the_longest_name_wins_over_a_shorter_one_inside_it(text, name):
    assert _places(text) == [(name, name, "MEX")]


def test_two_separate_names_stay_two_places():
    got = _places("Protesters marched in New Mexico and California.")
    assert [(t, c) for t, _, c in got] == [("New Mexico", "USA"), ("California", "USA")]


@pytest.mark.parametrize("text,city,country", [
    ("Protesters gathered in the Kenyan capital on Friday.", "Nairobi", "KEN"),
    ("Talks were held in the French capital last week.", "Paris", "FRA"),
    ("Monks marched in the Thai capital Tuesday.", "Bangkok", "THA"),
])
def test_a_countrys_capital_named_by_demonym_or_name_is_its_capital_city(text, city, country):
    assert [(n, c) for _, n, c in _places(text)] == [(city, country)]


def test_a_capital_named_next_is_its_own_place():
    got = _places("Students rallied in the Chilean capital of Santiago on Monday.")
    assert [(t, n) for t, n, _ in got] == [("Santiago", "Santiago")]


def test_a_bare_demonym_is_no_place():
    got = _places("Two soldiers were held in Israeli custody near Nablus.")
    assert not any(t.startswith("Israeli") for t, _, _ in got)


def test_demonyms_and_capitals_lookups():
    assert demonym_country("Venezuelan") == "VEN"
    assert demonym_country("Venezuela") is None  # the country's own name
    assert demonym_country("Police") is None
    assert capital_of("VEN").name == "Caracas"
    assert resolve_place("Chilean capital").name == "Santiago"
    assert resolve_place("the capital") is None
