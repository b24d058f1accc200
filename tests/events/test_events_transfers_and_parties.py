"""Session 3 coder fixes, end to end through the real coder: transfers of a thing to a named
party, verbal defence, an actor's own troops, and coordinated parties. Sentences are ours."""

from __future__ import annotations

import pytest

from dateline.coder import code_text


def _events(text: str):
    return code_text(text).events


def _by_trigger(events, word: str):
    return next(e for e in events if e.evidence.trigger.startswith(word))


def test_returning_property_to_a_government_is_a_return():
    ev = _by_trigger(_events("Canada returned forty stolen paintings to the government of "
                             "Peru on Monday."), "returned")
    assert (ev.type, ev.cameo) == ("RETREAT", "0842")
    assert [a.country for a in ev.actors] == ["CAN"]
    assert [a.country for a in ev.recipients] == ["PER"]


def test_returning_home_is_no_transfer():
    events = _events("The delegation from Chile returned home to Santiago on Monday.")
    assert not any(e.cameo == "0842" for e in events)


@pytest.mark.parametrize("text", [
    "The Norwegian government provided an extra $5 million in assistance to Malawi.",
    "Sweden donated two million vaccine doses to Malawi last week.",
])
def test_giving_a_thing_to_a_country_is_aid(text):
    events = _events(text)
    ev = next(e for e in events if e.type == "AID")
    assert "MWI" in [a.country for a in ev.recipients]


def test_giving_a_deadline_is_not_aid():
    events = _events("Norway gave Sweden a deadline to answer the request.")
    assert not any(e.type == "AID" for e in events)


def test_defending_a_decision_is_verbal_support():
    ev = _by_trigger(_events("The Kenyan president defended Uganda over its handling of the "
                             "election."), "defended")
    assert ev.type == "SUPPORT"
    assert [a.country for a in ev.recipients] == ["UGA"]


def test_the_troops_a_country_withdraws_are_its_own():
    ev = _by_trigger(_events("Turkey withdrew its troops from Iraq on Friday."), "withdrew")
    assert [a.country for a in ev.actors] == ["TUR"]
    assert [a.code for a in ev.recipients] == ["IRQ"]  # not Iraqi troops


def test_an_ambassador_recalled_from_a_country_leaves_that_country_the_party():
    ev = _by_trigger(_events("Brazil recalled its ambassador from Paraguay."), "recalled")
    assert [a.code for a in ev.recipients] == ["PRY"]


def test_both_conjoined_parties_are_actors():
    ev = _by_trigger(_events("Ghana and the European Union signed a fisheries agreement in "
                             "Accra."), "signed")
    assert {a.country for a in ev.actors} >= {"GHA", "EUR"}


def test_a_country_before_a_time_phrase_is_still_a_country():
    # "to Malawi last week": the name heads its own phrase, it does not modify "last week"
    ev = next(e for e in _events("Sweden donated two million vaccine doses to Malawi last "
                                 "week.") if e.type == "AID")
    assert [a.code for a in ev.recipients] == ["MWI"]


@pytest.mark.parametrize("text", ["Norway reduced humanitarian aid to Zambia this year.",
                                  "Norway suspended food supplies to Zambia in March."])
def test_reducing_or_stopping_aid_is_a_sanction_not_aid(text):
    events = _events(text)
    assert [e.type for e in events] == ["SANCTION"]
    assert events[0].cameo == "162"
    assert [a.code for a in events[0].recipients] == ["ZMB"]


def test_an_adjective_role_word_is_no_party():
    ev = next(e for e in _events("Norway reduced military aid to Zambia.") if e.type == "SANCTION")
    assert [a.code for a in ev.recipients] == ["ZMB"]  # "military" only describes the aid


def test_a_merged_trigger_lends_its_doer():
    ev = next(e for e in _events("Nine villagers were killed as Malian soldiers launched air "
                                 "strikes against the rebel-held town of Kidal.")
              if e.type == "ASSAULT")
    assert [a.code for a in ev.actors] == ["MLIMIL"]


@pytest.mark.parametrize("attribution", ["a monitor said", "two sources said",
                                         "the state news agency reported"])
def test_a_news_attribution_accuses_nobody(attribution):
    events = _events(f"Malian soldiers killed nine villagers near Kidal, {attribution}.")
    assert not any(e.type == "ACCUSE" for e in events)
    assert any(e.type == "ASSAULT" for e in events)


def test_a_government_saying_anothers_troops_attacked_accuses_them():
    events = _events("The Malian government said Burkinabe soldiers attacked a village.")
    acc = next(e for e in events if e.type == "ACCUSE")
    assert [a.code for a in acc.actors] == ["MLIGOV"]
    assert [a.code for a in acc.recipients] == ["BFAMIL"]


@pytest.mark.parametrize("text", ["Norway rejected accusations by Sweden of spying on its ships.",
                                  "Norway denied charges by Sweden that it spied on its ships."])
def test_rejecting_an_accusation_is_a_rejection_of_the_accuser(text):
    ev = next(e for e in _events(text) if e.type == "REJECT")
    assert [a.code for a in ev.actors] == ["NOR"]
    assert [a.code for a in ev.recipients] == ["SWE"]


def test_a_denial_accuses_nobody():
    events = _events("The Malian minister denied that soldiers had beaten protesters.")
    assert not any(e.type == "ACCUSE" for e in events)


def test_a_veto_is_a_rejection():
    ev = next(e for e in _events("China vetoed a draft resolution of the Security Council.")
              if e.evidence.trigger.startswith("vetoed"))
    assert ev.type == "REJECT"


def test_calling_a_named_leader_is_a_telephone_consultation():
    ev = next(e for e in _events("Chancellor Scholz called President Ramaphosa on Tuesday.")
              if e.evidence.trigger.startswith("called"))
    assert (ev.type, ev.cameo) == ("CONSULT", "041")
    assert len(ev.actors) == 2


@pytest.mark.parametrize("text", ["Scholz called Ramaphosa a reliable partner.",
                                  "The union called a general strike in Durban."])
def test_calling_someone_something_or_calling_a_strike_is_no_phone_call(text):
    assert not any(e.cameo == "041" for e in _events(text))


def test_ordering_a_named_party_to_act_is_a_demand():
    ev = next(e for e in _events("A court in Kenya ordered the former minister Amina Mohamed "
                                 "to appear for questioning.")
              if e.evidence.trigger.startswith("ordered"))
    assert (ev.type, ev.cameo) == ("REQUEST", "100")
    assert ev.recipients


def test_a_place_deep_in_the_objects_phrase_is_the_recipient():
    ev = next(e for e in _events("Sudanese authorities imposed a curfew in parts of Darfur to "
                                 "stop the riots.") if e.type == "COERCE")
    assert [r.text for r in ev.recipients] == ["Darfur"]


def test_those_who_stop_a_riot_are_not_its_rioters():
    events = _events("Sudanese authorities imposed a curfew in parts of Darfur to stop the riots.")
    assert not any(e.type == "PROTEST" and any(a.code == "SDNGOV" for a in e.actors)
                   for e in events)


def test_an_attack_is_not_its_own_recipient():
    ev = next(e for e in _events("Rebels launched an attack on the convoy near Goma.")
              if e.type == "ASSAULT")
    assert not any(r.text.endswith("attack") for r in ev.recipients)


def test_a_state_reporting_its_own_forces_accuses_nobody():
    events = _events("Police in Sonora detained nine suspects, state officials said.")
    assert not any(e.type == "ACCUSE" for e in events)


def test_shared_intelligence_is_no_spy_agency():
    events = _events("Chile and Peru agreed to share intelligence on drug smuggling.")
    assert not any(a.sector == "SPY" for e in events for a in e.actors + e.recipients)


@pytest.mark.parametrize("text,etype", [
    ("The Chilean government eased restrictions on public gatherings in Santiago.", "CONCEDE"),
    ("The Chilean government accepted the demands of the striking miners.", "CONCEDE"),
    ("The Chilean government denied entry to a Bolivian delegation.", "REJECT"),
    ("The Chilean government outlawed the militia in March.", "COERCE"),
])
def test_a_past_tense_after_government_is_the_verb(text, etype):
    events = _events(text)
    assert any(e.type == etype and [a.code for a in e.actors] == ["CHLGOV"] for e in events)


def test_a_cessation_of_hostilities_is_a_ceasefire_not_its_own_recipient():
    ev = next(e for e in _events("Sudan declared a cessation of hostilities in Darfur.")
              if e.cameo == "0871")
    assert not any("hostilities" in r.text for r in ev.recipients)


@pytest.mark.parametrize("text,actor", [
    ("Police in Oaxaca arrested seven suspected kidnappers, state officials said.", "MEXCOP"),
    ("Kenyan police arrested 14 protesters in Nairobi, the government said.", "KENCOP"),
    ("Syrian troops shelled rebel positions near Idlib, the army said.", "SYRMIL"),
])
def test_a_state_reporting_its_own_forces_act_reports_a_fact(text, actor):
    ev = next(e for e in _events(text) if e.quad_class in (3, 4) and e.type != "ACCUSE")
    assert [a.code for a in ev.actors] == [actor]
    assert not ev.modality.hypothetical


@pytest.mark.parametrize("text", [
    "Witnesses said soldiers shot three protesters in Khartoum on Friday.",
    "Human rights groups said police tortured detainees in Cairo.",
    "Russia said Ukraine shelled Donetsk on Tuesday.",
    "Russian officials said Ukrainian troops shelled a village near Donetsk.",
    "Police arrested two journalists in Nairobi, a rights group said.",
])
def test_a_conflict_reported_by_an_outsider_stays_their_claim(text):
    ev = next(e for e in _events(text) if e.quad_class in (3, 4) and e.type != "ACCUSE")
    assert ev.modality.hypothetical
