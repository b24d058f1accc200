"""Announced material cooperation is an intent (CAMEO 03x, AGREE); a reported 'it' is the speaker."""

from __future__ import annotations


def test_a_release_announced_for_the_future_is_an_intent_to_yield(code_with_fakes):
    events = code_with_fakes("The rebels said they will release the soldiers.")
    ev = next(e for e in events if "release" in e.evidence.trigger)
    assert (ev.type, ev.cameo) == ("AGREE", "035")
    assert [a.code for a in ev.actors] == ["REB"]  # "they" is the speaker speaking of itself
    assert ev.modality.factual  # the announcement happened


def test_an_offer_to_send_troops_is_an_intent(code_with_fakes):
    events = code_with_fakes("France offered to send soldiers to Ukraine.")
    assert any(e.type == "AGREE" and "UKR" in [r.code for r in e.recipients] for e in events)
    assert not any(e.type in ("COOPERATE", "AID") for e in events)


def test_a_release_that_happened_stays_a_release(code_with_fakes):
    events = code_with_fakes("The rebels released the soldiers on Monday.")
    ev = next(e for e in events if "released" in e.evidence.trigger)
    assert ev.type in ("RETREAT", "CONCEDE")


def test_a_conditional_release_is_no_announcement(code_with_fakes):
    events = code_with_fakes("The rebels will release the soldiers if France pays.")
    assert not any(e.type == "AGREE" and "release" in e.evidence.trigger for e in events)


def test_a_refused_release_stays_a_rejection(code_with_fakes):
    events = code_with_fakes("The rebels will not release the soldiers.")
    assert not any(e.type == "AGREE" for e in events)


def test_a_speaker_reporting_its_own_act_accuses_nobody(code_with_fakes):
    events = code_with_fakes("The rebels said they will not end the strike.")
    assert not any(e.type == "ACCUSE" for e in events)
    events = code_with_fakes("France said Russia attacked Ukraine.")
    acc = next(e for e in events if e.type == "ACCUSE")
    assert [a.code for a in acc.recipients] == ["RUS"]
