"""The merge rule field by field, on hand-made mentions."""

from __future__ import annotations

import datetime as dt

import pytest

from dateline.store.dedup import (
    Mention,
    Place,
    cluster_mentions,
    compare,
    compatible,
    place_level,
)

MEXICO_CITY = Place("Mexico City", "MEX", "Mexico City", 3530597, "city")
TIJUANA = Place("Tijuana", "MEX", "Baja California", 3981609, "city")
CULIACAN = Place("Culiacan", "MEX", "Sinaloa", 4014875, "city")
BAJA = Place("Baja California", "MEX", "Baja California", None, "admin1")
MEXICO = Place("Mexico", "MEX", None, None, "country")


def mention(mid: str, type_: str = "COERCE", day: str = "2018-03-20", precision="day",
            actors=(("MEX", "COP"),), recipients=(("MEX", "CRM"),), place=TIJUANA,
            mode="arrest", factual=True, origin="dateline") -> Mention:
    return Mention(id=mid, doc_id=f"doc-{mid}", origin=origin, type=type_, mode=mode,
                   factual=factual, precision=precision, day=dt.date.fromisoformat(day),
                   actors=tuple(actors), recipients=tuple(recipients), place=place)


def failing(a: Mention, b: Mention) -> set[str]:
    checks = compare(a, b)
    assert compatible(a, b) == all(c.ok for c in checks)
    return {c.field for c in checks if not c.ok}


def test_same_arrest_reported_twice_merges():
    assert failing(mention("a"), mention("b", day="2018-03-21", mode=None)) == set()


def test_arrests_in_two_cities_the_same_day_stay_apart():
    assert failing(mention("a"), mention("b", place=CULIACAN)) == {"place"}


def test_city_lies_in_its_state_and_country_but_not_in_another_state():
    assert failing(mention("a"), mention("b", place=BAJA)) == set()
    assert failing(mention("a"), mention("b", place=MEXICO)) == set()
    assert failing(mention("a", place=CULIACAN), mention("b", place=BAJA)) == {"place"}
    assert failing(mention("a"), mention("b", place=None)) == set()


def test_dates_day_window_month_and_year_precision():
    assert failing(mention("a"), mention("b", day="2018-03-22")) == {"date"}
    assert failing(mention("a"), mention("b", day="2018-03-01", precision="month")) == set()
    assert failing(mention("a"), mention("b", day="2018-04-01", precision="month")) == {"date"}
    assert failing(mention("a"), mention("b", day="2018-01-01", precision="year")) == set()


def test_meeting_and_the_agreement_signed_at_it_stay_apart():
    meet = mention("a", "CONSULT", actors=(("USA", "GOV"), ("MEX", "GOV")), recipients=(),
                   mode=None, place=MEXICO_CITY)
    agree = mention("b", "AGREE", actors=(("USA", "GOV"), ("MEX", "GOV")), recipients=(),
                    mode=None, place=MEXICO_CITY)
    assert "type" in failing(meet, agree)


def test_reciprocal_parties_are_unordered_directed_ones_are_not():
    a = mention("a", "CONSULT", actors=(("USA", "GOV"), ("MEX", "GOV")), recipients=(),
                mode=None)
    b = mention("b", "CONSULT", actors=(("MEX", "GOV"),), recipients=(("USA", "GOV"),),
                mode=None)
    assert failing(a, b) == set()
    accuse = mention("c", "ACCUSE", actors=(("RUS", "GOV"),), recipients=(("GBR", "GOV"),),
                     mode=None, place=None)
    back = mention("d", "ACCUSE", actors=(("GBR", "GOV"),), recipients=(("RUS", "GOV"),),
                   mode=None, place=None)
    assert failing(accuse, back) == {"parties"}


def test_unknown_country_stands_in_only_when_the_sector_fits():
    named = mention("a", recipients=(("MEX", "CRM"),))
    assert failing(named, mention("b", recipients=((None, "CRM"),))) == set()
    assert failing(named, mention("c", recipients=((None, "CVL"),))) == {"parties"}
    assert failing(named, mention("d", actors=((None, "COP"),))) == set()
    assert failing(named, mention("e", actors=(("USA", "COP"),))) == {"parties"}
    assert failing(named, mention("f", recipients=())) == set()  # recipient unknown


def test_modal_and_imported_mentions_never_merge():
    assert "modality" in failing(mention("a"), mention("b", factual=False))
    assert "origin" in failing(mention("a", origin="gdelt"), mention("b", origin="gdelt"))


def test_complete_link_never_chains_distinct_events():
    # b is compatible with a (country-level place) and with c (other city); a and c are not.
    a = mention("a")
    b = mention("b", place=MEXICO)
    c = mention("c", place=CULIACAN)
    clusters = cluster_mentions([c, b, a])
    assert sorted(sorted(m.id for m in cl) for cl in clusters) in (
        [["a", "b"], ["c"]], [["a"], ["b", "c"]])
    assert clusters == cluster_mentions([a, b, c])  # same result in any order


@pytest.mark.parametrize("name,admin1,level", [("Mexico", None, "country"),
                                                ("the United States", None, "country"),
                                                ("Baja California", "Baja California", "admin1"),
                                                ("Tijuana", "Baja California", "city")])
def test_place_level(name, admin1, level):
    country = "USA" if "United" in name else "MEX"
    assert place_level(name, country, admin1) == level


def test_civilians_match_a_more_precise_sector_of_the_same_country_only():
    # "ten men" (CVL) and "ten gang members" (CRM) arrested by the same police, same day
    men = mention("a", recipients=(("MEX", "CVL"),))
    assert failing(men, mention("b", recipients=(("MEX", "CRM"),))) == set()
    # near misses stay apart: another country, or two precise sectors that differ
    assert failing(men, mention("c", recipients=(("USA", "CRM"),))) == {"parties"}
    assert failing(mention("d", recipients=(("MEX", "GOV"),)),
                   mention("e", recipients=(("MEX", "CRM"),))) == {"parties"}
    # an unknown country does not stand in for MEX when the sector does not fit
    assert failing(mention("f", recipients=((None, "CVL"),)),
                   mention("g", recipients=(("MEX", "CRM"),))) == {"parties"}


def test_a_party_with_nothing_known_stands_in_for_any_named_one():
    both = mention("a", "CONSULT", actors=(("USA", "GOV"), ("MEX", "GOV")), recipients=(),
                   mode=None, place=MEXICO_CITY)
    vague = mention("b", "CONSULT", actors=(("MEX", "GOV"),), recipients=((None, None),),
                    mode=None, place=MEXICO_CITY)
    assert failing(both, vague) == set()
    passive = mention("c", actors=((None, None),))  # "ten men were arrested in Tijuana"
    assert failing(mention("d"), passive) == set()
    # near misses stay apart: a meeting with another named party, an arrest elsewhere
    other = mention("e", "CONSULT", actors=(("USA", "GOV"), ("CAN", "GOV")), recipients=(),
                    mode=None, place=MEXICO_CITY)
    assert failing(both, other) == {"parties"}
    assert failing(mention("f", place=CULIACAN), passive) == {"place"}


def test_a_vague_report_joins_one_of_two_meetings_never_both():
    usa_mex = mention("a", "CONSULT", actors=(("USA", "GOV"), ("MEX", "GOV")), recipients=(),
                      mode=None, place=MEXICO_CITY)
    usa_can = mention("b", "CONSULT", actors=(("USA", "GOV"), ("CAN", "GOV")), recipients=(),
                      mode=None, place=MEXICO_CITY)
    vague = mention("c", "CONSULT", actors=(("USA", "GOV"), (None, None)), recipients=(),
                    mode=None, place=MEXICO_CITY)
    clusters = sorted(sorted(m.id for m in cl) for cl in cluster_mentions([usa_mex, usa_can,
                                                                           vague]))
    assert clusters in ([["a"], ["b", "c"]], [["a", "c"], ["b"]])


def test_a_meeting_reported_with_one_party_leaves_the_other_unknown():
    both = mention("a", "CONSULT", actors=(("USA", "GOV"), ("MEX", "GOV")), recipients=(),
                   mode=None, place=MEXICO_CITY)
    one = mention("b", "CONSULT", actors=(("USA", "GOV"),), recipients=(), mode=None,
                  place=MEXICO_CITY)
    assert failing(both, one) == set()
    # near misses stay apart: the one named party is not among the other meeting's parties
    other = mention("c", "CONSULT", actors=(("CAN", "GOV"),), recipients=(), mode=None,
                    place=MEXICO_CITY)
    assert failing(both, other) == {"parties"}
    # a directed event naming one party is not widened
    assert failing(mention("d", recipients=()), mention("e", actors=(("USA", "COP"),),
                                                         recipients=())) == {"parties"}
