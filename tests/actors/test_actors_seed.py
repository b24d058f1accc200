"""The seed story (../shared): who is who in the US-Mexico security meeting of 2018-03-23."""

from __future__ import annotations

import pytest
from mention_lookup import by_text


@pytest.fixture(scope="module")
def seed_mentions(seed_text, mentions_of):
    return mentions_of(seed_text, "2018-03-23")


def test_navarrete_prida_is_mexican_government(seed_mentions):
    named = [m for m in seed_mentions if "Navarrete Prida" in m.text]
    assert len(named) >= 3
    assert {m.actor.code for m in named} == {"MEXGOV"}
    assert named[0].actor.title == "Secretary of the Interior"


def test_nielsen_in_all_her_forms(seed_mentions):
    for surface in ("Kirstjen Nielsen", "US Kirstjen Nielsen", "Nielsen", "She"):
        m = by_text(seed_mentions, surface)
        assert (m.actor.code, m.actor.name) == ("USAGOV", "Kirstjen Nielsen"), surface
    official = next(m for m in seed_mentions if m.text.endswith("US official"))
    assert (official.actor.code, official.actor.name) == ("USAGOV", "Kirstjen Nielsen")


def test_titles_of_the_two_secretaries(seed_mentions):
    interior = by_text(seed_mentions, "Secretary of the Interior")
    assert (interior.actor.code, interior.actor.name) == ("MEXGOV", "Alfonso Navarrete Prida")
    dhs = by_text(seed_mentions, "Secretary of National Security of the United States")
    assert (dhs.actor.code, dhs.actor.name) == ("USAGOV", "Kirstjen Nielsen")


def test_he_is_navarrete_prida(seed_mentions):
    hes = [m for m in seed_mentions if m.text == "He"]
    assert hes and all(m.actor.name == "Alfonso Navarrete Prida" for m in hes)


def test_two_american_men_are_us_civilians(seed_mentions):
    men = next(m for m in seed_mentions if m.text.endswith("American men"))
    assert men.actor.country == "USA" and men.actor.sector in ("CVL", None)


def test_criminal_actors(seed_mentions):
    assert by_text(seed_mentions, "drug traffickers").actor.sector == "CRM"
    assert by_text(seed_mentions, "cartels").actor.sector == "CRM"


def test_study_author_is_a_us_university(seed_mentions):
    assert by_text(seed_mentions, "University of San Diego").actor.code == "USAEDU"


def test_trump_in_2016_is_not_government(seed_mentions):
    trump = by_text(seed_mentions, "Donald Trump")
    assert trump.actor.country == "USA" and trump.actor.sector != "GOV"


def test_nobody_in_the_story_has_a_wrong_sector(seed_mentions):
    allowed = {"GOV", "CRM", "CVL", "EDU", "JRN", "ELI", None}
    assert {m.actor.sector for m in seed_mentions} <= allowed
    assert {m.actor.country for m in seed_mentions} <= {"USA", "MEX", None}


def test_dateline_city_is_not_an_actor(seed_mentions):
    assert all(m.text != "Mexico City" for m in seed_mentions)


def test_seed_actors_with_the_coders_partial_parse(seed_text):
    """The coder parses only event sentences: the actors must come out the same."""
    from dateline import events, nlp
    from dateline.actors import find_mentions
    from dateline.records import Document

    sdoc = nlp.parse(seed_text, select=events.may_hold_event)
    ms = find_mentions(Document(text=seed_text, published="2018-03-23"), sdoc)
    for surface, name in (("Kirstjen Nielsen", "Kirstjen Nielsen"), ("She", "Kirstjen Nielsen"),
                          ("Alfonso Navarrete Prida", "Alfonso Navarrete Prida"),
                          ("He", "Alfonso Navarrete Prida")):
        m = by_text(ms, surface)
        assert m.actor.name == name and m.actor.sector == "GOV", surface
    assert by_text(ms, "Donald Trump").actor.sector != "GOV"
    for m in ms:
        assert seed_text[m.start:m.end] == m.text
        assert m.token_start <= m.head < m.token_end
