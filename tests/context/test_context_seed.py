"""The seed story through the whole coder: quotes, the claim, dates, places and contexts."""

from __future__ import annotations

import pytest

from dateline.coder import code_text

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def coded(seed_text):
    return code_text(seed_text, published="2018-03-23")


def test_five_quotes_with_their_speakers(coded):
    speakers = [(q.speaker.name or q.speaker.text) if q.speaker else None for q in coded.quotes]
    assert len(speakers) == 5
    assert ["Navarrete Prida" in speakers[0], "Navarrete Prida" in speakers[1],
            "Nielsen" in speakers[2], "Nielsen" in speakers[3], "Trump" in speakers[4]] == [True] * 5
    assert coded.quotes[0].text.startswith("which")
    assert coded.quotes[1].text.startswith("to stop the entry to Mexico")
    assert coded.quotes[2].text.startswith("We have a lot to discuss.")
    assert coded.quotes[4].text.startswith("No one wins")
    text = coded.doc.text
    for q in coded.quotes:
        assert q.text[:20] in text[q.start:q.end]


def test_firearms_claim_with_its_study(coded):
    (claim,) = [c for c in coded.claims if c.value == 253000]
    assert (claim.unit, claim.per) == ("firearms", "year")
    assert claim.attributed_to["kind"] == "study"
    assert "University of San Diego" in claim.attributed_to["name"]
    assert coded.doc.text[claim.start:claim.end] == claim.text


def test_february_arrest_is_dated_and_historical(coded):
    (arrest,) = [e for e in coded.events if "arrest" in e.evidence.trigger]
    assert (arrest.date, arrest.date_precision) == ("2018-02", "month")
    assert arrest.modality.historical
    assert (arrest.location.name, arrest.location.feature) == ("Mexico", "country")


def test_meeting_is_placed_in_mexico_city_on_the_story_date(coded):
    # Trump's "visit to Mexico City in August 2016" is a CONSULT too, dated by its own clause.
    for e in coded.events:
        if e.type == "CONSULT" and "visit" in e.evidence.trigger:
            assert (e.date, e.date_precision) == ("2016-08", "month")
            assert e.modality.historical
    meetings = [e for e in coded.events if e.type == "CONSULT"
                and "visit" not in e.evidence.trigger]
    assert meetings
    for e in meetings:
        assert e.location.name == "Mexico City" and e.location.country == "MEX"
        assert e.location.geonameid == 3530597
        assert (e.date, e.date_precision) == ("2018-03-23", "day")
        assert not e.modality.historical


def test_story_contexts(coded):
    for ctx in ("crime", "trafficking", "illegal_drugs", "human_rights", "migration", "asylum",
                "diplomatic", "economic"):
        assert ctx in coded.contexts
    for wrong in ("lgbt", "cyber", "cbrn", "election", "disasters", "health", "environment",
                  "terrorism", "military"):
        assert wrong not in coded.contexts


def test_no_event_from_trumps_2016_sentence_is_current(coded):
    for e in coded.events:
        if "Trump" in e.evidence.sentence:
            assert e.modality.historical and e.date == "2016-08"
