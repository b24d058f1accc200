"""Participants that are plain noun phrases, complements and pattern-only verbs."""

from __future__ import annotations


def _texts(actors):
    return [a.text for a in actors]


def test_unresolved_noun_phrase_is_a_participant_beside_a_named_party(code_with_fakes):
    events = code_with_fakes("Russia has launched an investigation into the aircraft maker.")
    ev = next(e for e in events if e.evidence.trigger.startswith("launched"))
    assert [a.code for a in ev.actors] == ["RUS"]
    # the party investigated is honest text with offsets and no invented codes
    (rec,) = [r for r in ev.recipients if "aircraft maker" in r.text]
    assert rec.country is None and rec.sector is None and rec.code is None
    text = "Russia has launched an investigation into the aircraft maker."
    assert text[rec.start:rec.end] == rec.text


def test_a_thing_imposed_is_no_party_when_a_named_one_is_there(code_with_fakes):
    ev = next(e for e in code_with_fakes("Germany imposed sanctions on Russia.")
              if e.type in ("COERCE", "SANCTION"))
    assert [r.code for r in ev.recipients] == ["RUS"]


def test_plain_phrases_alone_make_no_weak_event(code_with_fakes):
    # no named party and a bare default verb: nothing coded
    assert code_with_fakes("The old fence blocked the narrow road near the farm.") == []


def test_intent_takes_its_complements_recipient(code_with_fakes):
    events = code_with_fakes("Germany agreed to provide Ukraine with air defence systems.")
    agree = next(e for e in events if e.type == "AGREE")
    assert "UKR" in [r.code for r in agree.recipients]


def test_demand_that_someone_act_makes_them_the_recipient(code_with_fakes):
    events = code_with_fakes("The opposition demanded that the government release all prisoners.")
    ev = next(e for e in events if e.type == "REQUEST")
    assert [a.sector for a in ev.actors] == ["OPP"]
    assert [r.sector for r in ev.recipients] == ["GOV"]


def test_pattern_only_verb_selects_its_sentence(code_with_fakes):
    events = code_with_fakes("Russia closed its borders with Ukraine on Monday.")
    assert events, "a pattern-only verb ('closed ... borders') must select the sentence"
    assert any("UKR" in [r.code for r in e.recipients] for e in events)


def test_conjoined_plain_phrase_joins_a_named_party(code_with_fakes):
    events = code_with_fakes("France and its European allies agreed to send troops.")
    ev = next(e for e in events if e.type == "AGREE")
    assert any("allies" in t for t in _texts(ev.actors))
    assert "FRA" in [a.code for a in ev.actors]


def test_refused_concession_is_a_rejection(code_with_fakes):
    events = code_with_fakes("Russia will not lift the ban on Ukraine.")
    ev = next(e for e in events if e.evidence.trigger.startswith("lift"))
    assert ev.type == "REJECT" and ev.cameo.startswith("12") and ev.quad_class == 3
    assert [a.code for a in ev.actors] == ["RUS"] and not ev.modality.negated


def test_plain_negation_stays_negated(code_with_fakes):
    events = code_with_fakes("Russia did not lift the ban on Ukraine.")
    assert all(e.type != "REJECT" for e in events)
