"""Event extraction on sentences we wrote: roles, reciprocity, modality, evidence."""

from __future__ import annotations

import pytest


def codes(actors):
    return sorted(a.code for a in actors)


def only(events, etype):
    found = [e for e in events if e.type == etype]
    assert found, f"no {etype} event in {[(e.type, e.evidence.trigger) for e in events]}"
    return found[0]


def test_active_arrest_has_actor_and_recipient(code_with_fakes):
    ev = only(code_with_fakes("Mexican police arrested protesters in Tijuana on Monday."),
              "COERCE")
    assert (ev.mode, ev.cameo, ev.quad_class) == ("arrest", "173", 4)
    assert codes(ev.actors) == ["MEXCOP"]
    assert [a.sector for a in ev.recipients] == ["CVL"]
    assert ev.modality.factual and ev.goldstein == pytest.approx(-5.0)


def test_passive_voice_without_agent_leaves_actor_empty(code_with_fakes):
    ev = only(code_with_fakes("Two American men were arrested in Mexico for smuggling guns."),
              "COERCE")
    assert ev.actors == []
    assert [a.country for a in ev.recipients] == ["USA"]


def test_passive_voice_with_agent(code_with_fakes):
    ev = only(code_with_fakes("The rebels were attacked by the army near the border."),
              "ASSAULT")
    assert [a.sector for a in ev.actors] == ["MIL"]
    assert [a.sector for a in ev.recipients] == ["REB"]


def test_reported_attack_is_an_accusation_not_a_fact(code_with_fakes):
    events = code_with_fakes("Macron said the rebels attacked the army.")
    accuse = only(events, "ACCUSE")
    assert codes(accuse.actors) == ["FRAGOV"] and [a.sector for a in accuse.recipients] == ["REB"]
    for ev in events:
        if ev.type == "ASSAULT":
            assert not ev.modality.factual
            assert ev.confidence < accuse.confidence


@pytest.mark.parametrize("text", [
    "President Macron met with Chancellor Scholz in Berlin.",
    "Macron and Scholz met in Berlin.",
    "Macron met Scholz in Berlin on Tuesday.",
])
def test_meetings_make_every_party_an_actor(code_with_fakes, text):
    ev = only(code_with_fakes(text), "CONSULT")
    assert codes(ev.actors) == ["DEUGOV", "FRAGOV"]
    assert ev.recipients == []


def test_compound_role_of_two_countries_sits_down(code_with_fakes):
    ev = only(code_with_fakes("Secretaries of Mexico and the United States have sat down to "
                              "discuss issues including organized crime."), "CONSULT")
    assert codes(ev.actors) == ["MEXGOV", "USAGOV"]
    assert "sat down" in ev.evidence.trigger and "discuss" in ev.evidence.trigger


@pytest.mark.parametrize("text", ["Russia did not attack Ukraine.",
                                  "Russia never attacked Ukraine.",
                                  "Russia denied attacking Ukraine."])
def test_negated_events_are_marked(code_with_fakes, text):
    ev = only(code_with_fakes(text), "ASSAULT")
    assert ev.modality.negated and not ev.modality.factual


def test_conditional_sanctions_are_hypothetical(code_with_fakes):
    ev = only(code_with_fakes("China could impose sanctions on the United States if talks fail."),
              "COERCE")
    assert ev.modality.hypothetical
    assert codes(ev.actors) == ["CHN"] and codes(ev.recipients) == ["USA"]


def test_threat_is_coded_and_its_embedded_action_is_not_fact(code_with_fakes):
    events = code_with_fakes("Russia threatened to impose sanctions on Ukraine.")
    threat = only(events, "THREATEN")
    assert threat.modality.factual
    assert codes(threat.actors) == ["RUS"] and codes(threat.recipients) == ["UKR"]
    for ev in events:
        if ev is not threat:
            assert not ev.modality.factual


@pytest.mark.parametrize("text", ["Macron will meet Scholz next week.",
                                  "Macron plans to meet Scholz in June.",
                                  "Macron is expected to meet Scholz on Friday."])
def test_future_meetings_are_marked_future(code_with_fakes, text):
    ev = only(code_with_fakes(text), "CONSULT")
    assert ev.modality.future and not ev.modality.factual


def test_participants_from_different_sentences_are_not_joined(code_with_fakes):
    events = code_with_fakes("Macron spoke on Monday. The rebels were attacked.")
    for ev in events:
        assert "FRAGOV" not in codes(ev.actors) + codes(ev.recipients)


def test_a_resolved_pronoun_links_an_earlier_sentence(code_with_fakes):
    ev = only(code_with_fakes("Macron arrived in Moscow. He criticised Russia."), "ACCUSE")
    assert codes(ev.actors) == ["FRAGOV"] and codes(ev.recipients) == ["RUS"]


def test_no_participants_no_event(code_with_fakes):
    assert code_with_fakes("It was attacked overnight and later raided.") == []


def test_evidence_offsets_point_into_the_text(code_with_fakes):
    text = ("Paris, May 1.\n\nFirst, a quiet line with nothing in it.  "
            "Mexican police arrested protesters in Tijuana.\n\nMacron met Scholz.")
    events = code_with_fakes(text)
    assert len(events) >= 2
    for ev in events:
        e = ev.evidence
        assert text[e.start:e.end] == e.sentence
        assert text[e.trigger_start:e.trigger_end] == e.trigger
        assert e.start <= e.trigger_start < e.trigger_end <= e.end
        assert 0.0 < ev.confidence <= 1.0


def test_sentence_keeps_at_most_two_events(code_with_fakes):
    text = ("Police arrested protesters, attacked the rebels, detained soldiers and raided "
            "the opposition.")
    assert len(code_with_fakes(text)) <= 2


def test_a_rejection_is_not_a_negation(code_with_fakes):
    ev = only(code_with_fakes("Russia rejected the proposal."), "REJECT")
    assert codes(ev.actors) == ["RUS"] and ev.modality.factual


def test_coordinated_verbs_share_their_object_and_make_one_event(code_with_fakes):
    events = code_with_fakes("The army attacked and killed the rebels.")
    assert len(events) == 1
    ev = events[0]
    assert ev.type == "ASSAULT" and ev.evidence.trigger in ("attacked", "killed")
    assert [a.sector for a in ev.actors] == ["MIL"] and [a.sector for a in ev.recipients] == ["REB"]


def test_a_copied_actor_equals_the_dataclass_copy() -> None:
    """roles._copy copies without dataclasses.replace: same values, a new object, the code
    filled as __post_init__ fills it."""
    from dataclasses import replace

    from dateline.events.roles import _copy
    from dateline.records import Actor

    class _M:
        start, end = 5, 9

    for actor in (Actor(text="police", sector="COP"), Actor(text="Kabul", country="AFG",
                                                            start=1, end=6),
                  Actor(text="a man")):
        actor.code = None  # as if cleared after creation
        got = _copy(actor, _M())
        want = replace(actor)
        if want.start is None:
            want.start, want.end = 5, 9
        assert got == want and got is not actor and type(got) is Actor
    assert _copy(Actor(text="police", sector="COP"), _M()).code == "COP"


def test_only_coordinated_tokens_have_later_conjuncts() -> None:
    """roles._coordinated: every token with a conjunct after it is among them."""
    from dateline import nlp
    from dateline.events.roles import _coordinated

    doc = nlp.parse("Police and soldiers arrested the men and women in Kabul and Herat on "
                    "Monday, and the army said Russia, China and Iran agreed to talks.")
    marked = _coordinated(doc)
    later = {t.i for t in doc if any(c.i > t.i for c in t.conjuncts)}
    assert later and later <= marked
    assert len(marked) < len(doc) // 2  # it does leave most tokens out


def test_an_event_copies_its_modality() -> None:
    """records.shallow_copy gives what dataclasses.replace gives: equal values, a new object."""
    from dataclasses import replace

    from dateline.records import Modality, shallow_copy

    mod = Modality(negated=True, future=True)
    got = shallow_copy(mod)
    assert got == replace(mod) and got is not mod and type(got) is Modality
    got.hypothetical = True
    assert not mod.hypothetical
