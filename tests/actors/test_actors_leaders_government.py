"""'the <leader> government' is the leader's country's government, not the leader.
Sentences are ours."""

from __future__ import annotations

import pytest
from mention_lookup import by_text


@pytest.mark.parametrize("text,span,day,code", [
    ("Students marched against the Maduro government in Valencia.", "Maduro government",
     "2019-01-10", "VENGOV"),
    ("Farmers protested against Trump's administration in Iowa.", "Trump's administration",
     "2019-05-01", "USAGOV"),
])
def test_a_government_named_after_its_leader_is_that_countrys_government(
        mentions_of, text, span, day, code):
    m = by_text(mentions_of(text, day), span)
    assert (m.actor.code, m.kind, m.actor.name) == (code, "role", None)


def test_the_leader_alone_stays_a_person(mentions_of):
    m = by_text(mentions_of("Maduro met the Cuban foreign minister in Havana.", "2018-04-02"),
                "Maduro")
    assert m.kind == "person" and m.actor.country == "VEN"


def test_a_leaders_officials_are_not_a_government_named_after_him(mentions_of):
    ms = mentions_of("Maduro's government officials denied the report.", "2018-04-02")
    assert by_text(ms, "Maduro").kind == "person"
