"""Numeric claims: values, units, periods and sources; non-claims are skipped."""

from __future__ import annotations

import pytest

from dateline.context.claims import find_claims
from dateline.context.dates import find_dates


def claims(text: str):
    return find_claims(text, None, None, find_dates(text, "2018-03-23"))


def test_rate_with_study_source():
    text = ("According to a study by the Institute of Border Studies, an average of 180,000 "
            "rifles cross the border each year.")
    (c,) = claims(text)
    assert (c.value, c.unit, c.per) == (180000.0, "rifles", "year")
    assert c.text.startswith("an average of 180,000 rifles")
    assert c.attributed_to["name"] == "Institute of Border Studies"
    assert c.attributed_to["kind"] == "study"
    assert text[c.start:c.end] == c.text


def test_money_with_scale_word():
    (c,) = claims("The government spent $2.5 billion on the wall, officials said.")
    assert (c.value, c.unit) == (2.5e9, "USD")
    assert c.attributed_to["name"] == "officials" and c.attributed_to["kind"] == "org"


def test_percentage_with_according_to():
    (c,) = claims("Unemployment rose to 12% in March, according to the statistics office.")
    assert (c.value, c.unit) == (12.0, "percent")
    assert c.attributed_to["name"] == "statistics office"


def test_report_found_counts():
    (c,) = claims("A report by Amnesty International found that 1,200 people disappeared yearly.")
    assert (c.value, c.unit, c.per) == (1200.0, "people", "year")
    assert c.attributed_to == {"name": "Amnesty International", "kind": "report", "actor": None}


def test_person_source_of_a_count():
    (c,) = claims("Police chief Ana Ruiz said 14 suspects were arrested in the raid.")
    assert (c.value, c.unit) == (14.0, "suspects")
    assert c.attributed_to["name"] == "Police chief Ana Ruiz"


def test_spelled_out_count_with_source_is_a_claim():
    (c,) = claims("Three soldiers were killed in the ambush, the army said.")
    assert (c.value, c.unit) == (3.0, "soldiers")


@pytest.mark.parametrize("text", [
    "Two American men were arrested in Mexico.",
    "A 45-year-old man was shot at 10:30 on Route 9.",
    "The 3rd battalion returned in 2016.",
    "The law was passed on March 5, 2018.",
    "He was elected in 1998 and served 2 terms.",
])
def test_dates_ages_times_ordinals_and_unsourced_words_are_not_claims(text):
    found = [(c.value, c.unit) for c in claims(text)]
    assert (2.0, "terms") in found if "2 terms" in text else found == []
