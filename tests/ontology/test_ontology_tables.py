"""The shipped PLOVER/CAMEO tables and the lookups every stage relies on."""

from __future__ import annotations

from dateline import ontology
from dateline.records import PLOVER_TYPES


def test_the_sixteen_plover_types_with_their_quad_classes() -> None:
    types = ontology.event_types()
    assert tuple(types) == PLOVER_TYPES
    assert types["CONSULT"].quad_class == 1 and types["AID"].quad_class == 2
    assert types["ACCUSE"].quad_class == 3 and types["ASSAULT"].quad_class == 4


def test_crosswalk_maps_cameo_to_plover_type_mode_and_contexts() -> None:
    arrest = ontology.plover_for("173")
    assert (arrest.plover, arrest.mode, arrest.contexts) == ("COERCE", "arrest", ("legal",))
    # an unlisted code falls back to its nearest parent
    assert ontology.plover_for("0431").plover == "CONSULT"
    assert ontology.plover_for("99") is None


def test_every_type_has_a_cameo_code_whose_crosswalk_gives_it_back() -> None:
    for name in PLOVER_TYPES:
        code = ontology.cameo_for(name)
        assert code is not None, name
        assert ontology.plover_for(code).plover == name, (name, code)
    assert ontology.cameo_for("COERCE", "arrest") == "173"
    assert ontology.cameo_for("CONSULT", "visit") == "042"


def test_goldstein_and_gdelt_quad_class_by_root_code() -> None:
    assert ontology.goldstein("173") == -5.0
    assert ontology.goldstein("1731") == -5.0  # parent's score
    assert ontology.goldstein(None) is None
    assert ontology.gdelt_quad_class("042") == 1 and ontology.gdelt_quad_class("190") == 4


def test_plover_scores_prefer_the_mode() -> None:
    assert ontology.plover_score("ASSAULT") == -9
    assert ontology.plover_score("CONSULT", "visit") == 4
    assert ontology.plover_score("CONSULT", "no-such-mode") == 2.5


def test_contexts_sectors_and_fips() -> None:
    assert len(ontology.contexts()) == 37 and "illegal_drugs" in ontology.contexts()
    assert {"GOV", "COP", "CRM", "MIL"} <= set(ontology.sectors())
    assert ontology.iso3_to_fips()["MEX"] == "MX" and ontology.fips_to_iso3()["UK"] == "GBR"
