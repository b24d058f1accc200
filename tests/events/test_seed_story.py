"""The seed story (../shared, a US-Mexico security meeting, 2018-03-23) coded end to end."""

from __future__ import annotations

import pytest

from dateline.coder import code_text

pytestmark = pytest.mark.shared

COOPERATIVE = {"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"}


@pytest.fixture(scope="module")
def coded(seed_text):
    result = code_text(seed_text, published="2018-03-23", source="seed")
    assert result.rejected is None
    return result


def parties(ev):
    return ev.actors + ev.recipients


def test_meeting_is_a_consult_between_navarrete_prida_and_nielsen(coded):
    meetings = [e for e in coded.events if e.type == "CONSULT"
                and {a.name for a in e.actors} >= {"Alfonso Navarrete Prida", "Kirstjen Nielsen"}]
    assert meetings, [(e.type, [a.name for a in e.actors]) for e in coded.events]
    ev = meetings[0]
    codes = {a.name: a.code for a in ev.actors}
    assert codes["Alfonso Navarrete Prida"] == "MEXGOV"
    assert codes["Kirstjen Nielsen"] == "USAGOV"
    assert ev.recipients == []  # reciprocal: every party is an actor
    assert ev.quad_class == 1 and ev.modality.factual


def test_meeting_is_placed_in_mexico_city(coded):
    consults = [e for e in coded.events if e.type == "CONSULT" and e.location is not None]
    assert consults
    assert all(e.location.name == "Mexico City" for e in consults)


def test_secretaries_of_both_countries_sit_down_as_actors(coded):
    ev = next(e for e in coded.events if "sat down" in e.evidence.trigger)
    assert ev.type == "CONSULT"
    assert sorted(a.code for a in ev.actors) == ["MEXGOV", "USAGOV"]


def test_february_arrest_of_two_americans_is_coerce_arrest(coded):
    arrests = [e for e in coded.events if "arrested" in e.evidence.trigger]
    assert len(arrests) == 1
    ev = arrests[0]
    assert (ev.type, ev.mode, ev.cameo, ev.quad_class) == ("COERCE", "arrest", "173", 4)
    assert ev.recipients and all(r.country == "USA" for r in ev.recipients)
    assert all(r.sector not in ("GOV", "MIL", "COP") for r in ev.recipients)
    assert ev.actors == []  # the text names no arresting authority
    assert ev.date == "2018-02" and ev.modality.historical


def test_nielsen_commitment_is_verbal_cooperation(coded):
    evs = [e for e in coded.events if "strong and healthy relationship" in e.evidence.sentence]
    assert evs
    ev = evs[0]
    assert ev.quad_class == 1 and ev.type in ("AGREE", "SUPPORT")
    assert ev.actors and all(a.country == "USA" and a.sector == "GOV" for a in ev.actors)
    assert [r.country for r in ev.recipients] == ["MEX"]


def test_trump_2016_words_are_not_a_present_event(coded):
    for ev in coded.events:
        if "then-presidential candidate Donald Trump" in ev.evidence.sentence:
            assert ev.modality.historical or not ev.modality.factual


def test_nobody_has_the_wrong_sector(coded):
    expected = {"Alfonso Navarrete Prida": "MEXGOV", "Kirstjen Nielsen": "USAGOV",
                "Department of Homeland Security": "USAGOV"}
    for ev in coded.events:
        for a in parties(ev):
            if a.name in expected:
                assert a.code == expected[a.name]
            if a.name == "Donald Trump":
                assert a.sector != "GOV"  # a candidate in 2016
            if ev.type in COOPERATIVE:
                assert a.sector not in ("CRM", "REB", "JRN", "EDU"), (ev.type, a)


def test_every_event_carries_checkable_evidence(coded):
    text = coded.doc.text
    assert coded.events
    for ev in coded.events:
        e = ev.evidence
        assert text[e.start:e.end] == e.sentence
        assert text[e.trigger_start:e.trigger_end] == e.trigger
        assert 0 < ev.confidence <= 1
        assert ev.id


def test_precision_at_most_one_and_a_half_events_per_sentence(coded):
    sentences = {e.evidence.start for e in coded.events}
    assert len(coded.events) <= 1.5 * len(sentences)
    assert len(coded.events) <= 12
