"""Recipients found further down the trigger's own phrases when the usual slots name none."""

from __future__ import annotations


def _codes(actors):
    return [a.code for a in actors]


def test_the_place_withdrawn_from_is_the_recipient_not_the_troops(code_with_fakes):
    events = code_with_fakes("Russia withdrew its troops from Ukraine.")
    ev = next(e for e in events if e.evidence.trigger.startswith("withdrew"))
    assert _codes(ev.actors) == ["RUS"]
    assert _codes(ev.recipients) == ["UKR"]  # "its troops" is no party beside a named one


def test_the_party_investigated_sits_inside_the_objects_phrase(code_with_fakes):
    events = code_with_fakes("France opened an investigation into the sale of weapons to "
                             "Ukraine.")
    ev = next(e for e in events if e.evidence.trigger.startswith("opened"))
    assert "UKR" in _codes(ev.recipients)
    assert not any(r.text.startswith("an investigation") for r in ev.recipients)


def test_a_summoned_envoy_is_the_recipient_of_the_purpose(code_with_fakes):
    events = code_with_fakes("Germany summoned the envoy of China to complain about the raids.")
    ev = next(e for e in events if e.evidence.trigger.startswith("complain"))
    assert _codes(ev.actors) == ["DEU"]
    assert "CHN" in _codes(ev.recipients)


def test_a_topic_discussed_lends_no_recipient(code_with_fakes):
    # "discussed issues such as ... the rebels": the rebels are a topic, not a party
    events = code_with_fakes("France and Germany discussed issues including the rebels.")
    for ev in events:
        assert "REB" not in _codes(ev.actors + ev.recipients)


def test_a_named_recipient_stops_the_search(code_with_fakes):
    events = code_with_fakes("Germany imposed sanctions on Russia over its war in Ukraine.")
    ev = next(e for e in events if e.type in ("COERCE", "SANCTION"))
    assert _codes(ev.recipients) == ["RUS"]


def test_an_unrecognised_place_name_is_the_recipient_over_a_plain_phrase(code_with_fakes):
    # the fake actor finder knows no Lahore: its proper nouns still name where it happened
    events = code_with_fakes("The army imposed blockades in Lahore and Multan.")
    ev = next(e for e in events if e.evidence.trigger.startswith("imposed"))
    assert [r.text for r in ev.recipients] == ["Lahore", "Multan"]
    assert all(r.code is None and r.country is None for r in ev.recipients)
