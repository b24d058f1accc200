"""The Phoenix converter on a small dictionary written in the TABARI format."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location(
        "build_actor_dictionaries", ROOT / "scripts" / "build_actor_dictionaries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ACTORS = """# a comment
FREEDONIA_  [FRD]
+FREEDONIAN_
+FREEDONIANS_
+FREEDONIA_CITY_
+SYLVANIA_BORDERLANDS
RUFUS_T._FIREFLY_  # CountryInfo.txt
+FIREFLY_
\t[FRDELI 300101-330601]
\t[FRDGOV 330601-331231]
\t[FRDELI]
FREEDONIAN_ARMY_
+FREEDONIA_ARMED_FORCES
\t[FRDMIL]
UN_ [IGOUNO]
U.N._

UN_SECRETARY_GENERAL
+UNSG
\t[IGOUNO]
"""

AGENTS = """!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON
POLICE {} [~COP]
POLICE!PERSON! [~COP]
REBEL [~REB]
"""


def test_tabari_dates(build):
    assert build.phoenix_date("061201") == "2006-12-01"
    assert build.phoenix_date("800101") == "1980-01-01"
    assert build.phoenix_date("19290101") == "1929-01-01"
    assert build.phoenix_date("2004017") is None
    assert build.parse_code("MEXGOV 061201-121130") == ("MEXGOV", "2006-12-01", "2012-11-30")
    assert build.parse_code("USAGOV >090120") == ("USAGOV", "2009-01-20", None)
    assert build.parse_code("HTIOPPMED <061231") == ("HTIOPPMED", None, "2006-12-31")
    assert build.parse_code("---") is None


def test_blocks_and_synonyms(build, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ACTORS, encoding="utf-8")
    blocks = build.read_blocks(path)
    names = [b["names"][0] for b in blocks]
    assert names == ["FREEDONIA_", "RUFUS_T._FIREFLY_", "FREEDONIAN_ARMY_", "UN_", "U.N._"]
    firefly = blocks[1]
    assert firefly["codes"] == [("FRDELI", "1930-01-01", "1933-06-01"),
                                ("FRDGOV", "1933-06-01", "1933-12-31"), ("FRDELI", None, None)]
    # a name line after a block that has no code yet is one more synonym of it
    assert blocks[4]["names"] == ["U.N._", "UN_SECRETARY_GENERAL", "UNSG"]
    assert blocks[4]["codes"] == [("IGOUNO", None, None)]


def test_agents_expand_macros_and_plurals(build, tmp_path):
    (tmp_path / "Phoenix.agents.txt").write_text(AGENTS, encoding="utf-8")
    rows = build.build_agents(tmp_path)
    got = {r[1]: (r[2], r[3]) for r in rows}
    assert got["police"] == ("", "~COP")
    assert got["policeman"][0].split("|") == ["policemen", "policewoman", "policewomen",
                                              "policeperson"]
    assert got["rebel"] == ("rebels", "~REB")


def test_compiled_json_is_one_entity_per_item(build, tmp_path):
    out = tmp_path / "x.json"
    build.write(out, "test", "test", [
        ["person", "Rufus T. Firefly", "Firefly", "FRDGOV", "1933-06-01", "1933-12-31", "", ""],
        ["person", "Rufus T. Firefly", "", "FRDELI", "", "", "", ""]])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["open_ended_until"] == "2014-01-30"
    (entry,) = data["entries"]
    assert entry[0:2] == ["person", "Rufus T. Firefly"]
    assert entry[2] == ["rufus t. firefly", "firefly"]
    assert entry[3] == [["FRDGOV", "1933-06-01", "1933-12-31", None], ["FRDELI", None, None, None]]
