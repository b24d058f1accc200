"""Dictionary loading: the phrase splitter, CAMEO code slots, dated roles, user files."""

from __future__ import annotations

import pytest

from dateline.actors import resolve_actor
from dateline.actors.codes import split_code
from dateline.actors.dictionary import ENV_VAR, ActorDictionary, load_dictionary, phrase_tokens

NAMES = ["Ban Ki-moon", "U.S.", "the U.S. official", "Cote d'Ivoire", "Xi's", "Mr. Obama",
         "Kirstjen M. Nielsen", "al-Qaeda", "López Obrador", "U.N. Security Council",
         "Washington, D.C.", "Mexico's Secretary of the Interior", "MS-13", "(PRI)",
         "Department of Homeland Security", "St. Petersburg", "O'Rourke"]


@pytest.mark.parametrize("name", NAMES)
def test_phrase_tokens_split_names_as_spacy_does(nlp, name):
    expected = tuple(t.lower_.replace("\u2019", "'") for t in nlp.tokenizer(name))
    expected = tuple(t.replace("ó", "o") for t in expected)
    assert phrase_tokens(name) == expected


@pytest.mark.parametrize("code, slots", [
    ("USAGOVLEG", ("USA", "LEG")), ("MEXCOP", ("MEX", "COP")), ("~COP", (None, "COP")),
    ("IGOUNO", ("UNO", None)), ("IGOEUREEC", ("EUR", None)), ("NGOHRIAMN", ("NGO", None)),
    ("IMGMUSALQ", ("IMG", "REB")), ("USAGOVMIL", ("USA", "GOV")), ("~MED", (None, "JRN")),
    ("~HLH", (None, "MED")), ("MNC", ("MNC", "BUS")), ("USA", ("USA", None)),
    ("---", (None, None)), ("", (None, None)),
])
def test_split_code_fills_country_and_plover_sector(code, slots):
    assert split_code(code) == slots


def test_roles_follow_the_story_date():
    nielsen = [resolve_actor("Kirstjen Nielsen", d) for d in
               ("2018-03-23", "2017-12-06", "2019-04-10", "2019-06-01", "2016-05-01")]
    assert [a.code for a in nielsen] == ["USAGOV", "USAGOV", "USAGOV", "USAELI", "USAELI"]
    assert nielsen[0].title == "Secretary of Homeland Security"
    # before 2017-12-06 she is not the Secretary: an earlier post (GOV) or none, never that title
    assert resolve_actor("Kirstjen Nielsen", "2017-12-05").title != "Secretary of Homeland Security"


@pytest.mark.parametrize("day, code", [
    ("2016-08-31", "USAELI"), ("2017-01-19", "USAELI"), ("2017-01-20", "USAGOV"),
    ("2018-03-23", "USAGOV"), ("2021-01-20", "USAELI"), ("2023-05-01", "USAELI"),
    ("2025-01-20", "USAGOV"), ("2026-11-01", "USAGOV")])
def test_trump_is_government_only_in_office(day, code):
    assert resolve_actor("Donald Trump", day).code == code


@pytest.mark.parametrize("name, day, code", [
    ("Joe Biden", "2022-06-01", "USAGOV"), ("Joe Biden", "2026-01-01", "USAELI"),
    ("López Obrador", "2019-05-01", "MEXGOV"), ("AMLO", "2024-10-02", "MEXELI"),
    ("Claudia Sheinbaum", "2024-10-01", "MEXGOV"), ("Enrique Pena Nieto", "2018-03-23", "MEXGOV"),
    ("Navarrete Prida", "2018-03-23", "MEXGOV"), ("Alfonso Navarrete Prida", "2019-03-01", "MEXELI"),
    ("Felipe Calderon", "2018-01-01", "MEXELI"),
])
def test_curated_office_holders(name, day, code):
    assert resolve_actor(name, day).code == code


@pytest.mark.parametrize("phrase, code", [
    ("the Department of Homeland Security", "USAGOV"), ("the United Nations", "UNO"),
    ("Amnesty International", "NGO"), ("Sinaloa cartel", "MEXCRM"), ("Mexican police", "MEXCOP"),
    ("the Kremlin", "RUSGOV"), ("University of San Diego", "USAEDU"), ("rebels", "REB"),
    ("border patrol", "COP"), ("journalists", "JRN"), ("lawmakers", "LEG"), ("judge", "JUD"),
    ("soldiers", "MIL"), ("protesters", "CVL"), ("drug traffickers", "CRM"),
    ("foreign minister", "GOV"), ("Russian foreign minister", "RUSGOV"),
])
def test_resolve_actor_phrases(phrase, code):
    actor = resolve_actor(phrase, "2018-03-23")
    assert actor is not None and actor.code == code


def test_unknown_phrase_resolves_to_none():
    assert resolve_actor("a blue teapot", "2018-03-23") is None
    assert resolve_actor("", None) is None


USER_FILE = """# my additions
kind\tname\taliases\tcode\tfrom\tuntil\ttitle\tgender
person\tZora Quillfeather\tQuillfeather|Minister Quillfeather\tMEXELI\t\t\t\tf
person\tZora Quillfeather\t\tMEXGOV\t2019-02-01\t2021-06-30\tSecretary of Tourism\t
org\tBlue Teapot Collective\tBTC\tNGO\t\t\t\t
"""


def test_user_dictionary_adds_a_person_without_code_changes(tmp_path, monkeypatch):
    path = tmp_path / "mine.tsv"
    path.write_text(USER_FILE, encoding="utf-8")
    assert resolve_actor("Zora Quillfeather", "2020-01-01") is None
    actor = resolve_actor("Zora Quillfeather", "2020-01-01", dictionaries=[path])
    assert (actor.code, actor.title) == ("MEXGOV", "Secretary of Tourism")
    assert resolve_actor("Quillfeather", "2022-01-01", dictionaries=[path]).code == "MEXELI"
    monkeypatch.setenv(ENV_VAR, str(path))
    assert resolve_actor("the Blue Teapot Collective").code == "NGO"


def test_user_file_with_a_bad_row_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("person\tSomeone\t\tUSAGOV\t2019-13\t\t\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.tsv:1"):
        load_dictionary([bad])
    with pytest.raises(FileNotFoundError):
        load_dictionary([tmp_path / "missing.tsv"])


def test_later_file_overrides_roles_but_keeps_old_spellings():
    d = ActorDictionary()
    d.add_file("a.tsv", 0, "person\tAna Ruiz\tA. Ruiz\tCOLGOV\t2001-01-01\t2002-01-01\t\t\n")
    d.add_file("b.tsv", 1, "person\tAna Ruiz\t\tCOLELI\t\t\t\t\n")
    d.build_index()
    (entry,) = d.lookup(("a.", "ruiz"))
    assert entry.role_on("2001-06-01").code == "COLELI"


def test_open_ended_roles_are_capped_at_the_source_date():
    d = ActorDictionary()
    d.add_file("p.tsv", 0, "# open-ended-until: 2014-01-30\n"
                           "person\tOld Minister\t\tXYZGOV\t2010-01-01\t\t\t\n")
    d.build_index()
    (entry,) = d.lookup(("old", "minister"))
    assert entry.role_on("2013-01-01").sector == "GOV"
    # after the dictionary's date the role is unknown: the country only, never GOV
    assert entry.role_on("2020-01-01").sector is None


def test_user_file_redefines_a_shipped_person_without_changing_the_shipped_one(tmp_path):
    path = tmp_path / "override.tsv"
    path.write_text("person\tKirstjen Nielsen\t\tUSAELI\t2018-01-01\t2018-12-31\tConsultant\t\n",
                    encoding="utf-8")
    mine = resolve_actor("Secretary Nielsen", "2018-03-23", dictionaries=[path])
    assert (mine.code, mine.title) == ("USAELI", "Consultant")
    assert resolve_actor("Secretary Nielsen", "2018-03-23").code == "USAGOV"


def test_cabinet_of_2018_treasury_and_chinese_vice_premier():
    from dateline.coder import code_document
    from dateline.records import Document

    coded = code_document(Document(text="Treasury Secretary Steven Mnuchin met Vice Premier "
                                   "Liu He in Beijing on Thursday.", published="2018-05-03"))
    codes = {a.code for e in coded.events for a in e.actors}
    assert {"USAGOV", "CHNGOV"} <= codes
