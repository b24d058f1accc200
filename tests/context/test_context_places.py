"""Places: gazetteer resolution, disambiguation, datelines and event locations."""

from __future__ import annotations

import pytest

from dateline import nlp
from dateline.context.places import dateline_place, find_places, locate, resolve_place


def test_san_diego_in_a_us_story_is_the_californian_city():
    p = resolve_place("San Diego", countries={"USA"})
    assert (p.country, p.admin1, p.feature) == ("USA", "California", "city")
    assert abs(p.lat - 32.7) < 0.2 and abs(p.lon + 117.2) < 0.2


def test_san_diego_with_a_qualifier_follows_the_qualifier():
    assert resolve_place("San Diego", hint="California").admin1 == "California"
    assert resolve_place("San Diego", hint="Colombia").country == "COL"


def test_mexico_is_the_country_and_mexico_city_the_city_and_state_of_mexico_the_state():
    country = resolve_place("Mexico")
    city = resolve_place("Mexico City")
    state = resolve_place("State of Mexico")
    assert (country.feature, country.country, country.geonameid) == ("country", "MEX", 3996063)
    assert (city.feature, city.geonameid, city.admin1) == ("city", 3530597, "Mexico City")
    assert (state.feature, state.name, state.country) == ("admin1", "State of Mexico", "MEX")
    assert resolve_place("Estado de México") == state
    # nominal points are not the capital's coordinates
    assert (state.lat, state.lon) != (city.lat, city.lon)
    assert (country.lat, country.lon) != (city.lat, city.lon)


def test_unknown_name_resolves_to_nothing():
    assert resolve_place("Qwertyville") is None


@pytest.mark.parametrize("text,name,country", [
    ("Mexico City, Mexico — Officials met on Friday.", "Mexico City", "MEX"),
    ("MEXICO CITY — Officials met on Friday.", "Mexico City", "MEX"),
    ("KABUL, Afghanistan (AP) — A bomb exploded.", "Kabul", "AFG"),
    ("LONDON (Reuters) - Shares fell.", "London", "GBR"),
    ('Press "Enter" to skip to content\n\nTitle here\n\nTijuana, Mexico — Police said.',
     "Tijuana", "MEX"),
])
def test_dateline_is_detected(text, name, country):
    pm = dateline_place(text)
    assert pm is not None and pm.place.name == name and pm.place.country == country


def test_no_dateline_in_plain_prose():
    assert dateline_place("Officials met on Friday to discuss trade.\nThey agreed.") is None


def _locate(text: str, trigger_word: str):
    sdoc = nlp.parse(text)
    places = find_places(text, sdoc, [])
    trig = next(t for t in sdoc if t.text == trigger_word)
    return locate(sdoc, trig, places)


def test_locative_phrase_attached_to_trigger():
    pm = _locate("Two men were arrested in Tijuana on Monday.", "arrested")
    assert pm.place.name == "Tijuana" and pm.place.country == "MEX"


def test_arrested_in_mexico_is_the_country_level_place():
    pm = _locate("In February, two American men were arrested in Mexico for smuggling.",
                 "arrested")
    loc = pm.location
    assert (loc.name, loc.feature, loc.country) == ("Mexico", "country", "MEX")


def test_subject_country_is_not_the_location():
    assert _locate("Mexico and the United States signed the treaty.", "signed") is None


def test_affiliation_of_a_title_is_not_the_location():
    assert _locate("He met the Secretary of Homeland Security of the United States.",
                   "met") is None


def test_no_place_no_capital_default():
    assert _locate("The Mexican minister criticised the decision.", "criticised") is None


def test_most_specific_place_wins():
    pm = _locate("A bomb exploded in the Zafaraniya district of Baghdad on Sunday.", "exploded")
    assert pm.text == "Zafaraniya"


def test_bare_washington_is_the_capital_and_washington_state_the_state():
    assert resolve_place("Washington").admin1 == "District of Columbia"
    assert resolve_place("Washington state").feature == "admin1"
