"""A sentence opening on an occasion ('At the summit in Lima, ...'): the parser may hang the
clause's subjects on it as conjuncts of the place; they are the actors, and the occasion
names no party. Sentences are ours."""

from __future__ import annotations

import pytest

from dateline.coder import code_text


@pytest.mark.parametrize("text,actors", [
    ("At the summit in Lima, Chile and Peru signed a treaty on fishing rights.",
     ["CHL", "PER"]),
    ("At the conference in Nairobi, Kenya and Uganda agreed to reopen the border.",
     ["KEN", "UGA"]),
    ("After the meeting in Brasilia, Argentina and Brazil signed a trade deal.",
     ["ARG", "BRA"]),
    ("At talks in Geneva on Monday, Iran and Russia signed an accord on nuclear fuel.",
     ["IRN", "RUS"]),
])
def test_the_subjects_after_an_opening_occasion_are_the_actors(text, actors):
    ev = next(e for e in code_text(text).events if e.type in ("SUPPORT", "AGREE"))
    assert sorted(a.code for a in ev.actors) == actors
    # neither the occasion nor its place nor the actors themselves are recipients
    assert not any(r.code in actors for r in ev.recipients)
    assert not any(w in r.text for r in ev.recipients
                   for w in ("summit", "conference", "meeting", "talks", "Lima", "Nairobi",
                             "Brasilia", "Geneva"))


def test_an_opening_country_name_can_still_be_the_recipient():
    ev = next(e for e in code_text("In Colombia, the ELN declared a ceasefire on Monday.").events
              if e.actors)
    assert [a.code for a in ev.actors] == ["COLREB"]
    assert [r.code for r in ev.recipients] == ["COL"]


@pytest.mark.parametrize("text,parties", [
    ("At the summit in Lima, Chile and Peru signed a treaty on fishing rights.", ["CHL", "PER"]),
    ("At talks in Geneva on Monday, Iran and Russia signed an accord on nuclear fuel.",
     ["IRN", "RUS"]),
])
def test_those_who_act_at_an_opening_meeting_met(text, parties):
    ev = next(e for e in code_text(text).events if e.type == "CONSULT")
    assert sorted(a.code for a in ev.actors) == parties and not ev.recipients
    assert ev.mode is None  # two states meeting: no multilateral setting


def test_a_meeting_after_which_they_act_is_not_read_as_theirs():
    events = code_text("Before the talks in Geneva, Iran and Russia signed an accord.").events
    assert not any(e.type == "CONSULT" and e.actors for e in events)


def test_an_alliance_meeting_keeps_its_multilateral_setting():
    ev = next(e for e in code_text("NATO foreign ministers met in Brussels on Tuesday.").events
              if e.type == "CONSULT")
    assert ev.mode == "multilateral"
