"""find_mentions on sentences written for these tests: sectors, countries, titles, dates,
surnames, pronouns and compound actors."""

from __future__ import annotations

from mention_lookup import by_text


def codes(mentions):
    return [(m.text, m.actor.code) for m in mentions]


def test_country_adjective_and_role_noun_make_one_actor(mentions_of):
    ms = mentions_of("Mexican police arrested three suspects on Tuesday.")
    m = by_text(ms, "Mexican police")
    assert (m.actor.country, m.actor.sector, m.kind) == ("MEX", "COP", "role")
    assert m.head == 1  # "police" is the head


def test_government_body_and_capital_metonym(mentions_of):
    ms = mentions_of("Washington said the Department of Homeland Security would send agents.")
    assert by_text(ms, "Washington").actor.code == "USAGOV"
    assert by_text(ms, "Department of Homeland Security").actor.code == "USAGOV"


def test_capital_as_a_place_is_no_actor(mentions_of):
    ms = mentions_of("The talks were held in Beijing last week.")
    assert all(m.text != "Beijing" for m in ms)


def test_seats_of_government(mentions_of):
    ms = mentions_of("The Kremlin rejected the offer, and Beijing warned Tokyo.")
    assert by_text(ms, "Kremlin").actor.code == "RUSGOV"
    assert by_text(ms, "Beijing").actor.code == "CHNGOV"


def test_nielsen_is_secretary_only_from_december_2017(mentions_of):
    text = "Kirstjen Nielsen met Mexican officials in Mexico City."
    in_office = by_text(mentions_of(text, "2018-03-23"), "Kirstjen Nielsen").actor
    assert (in_office.code, in_office.title) == ("USAGOV", "Secretary of Homeland Security")
    before = by_text(mentions_of(text, "2017-06-01"), "Kirstjen Nielsen").actor
    assert before.title != "Secretary of Homeland Security"
    after = by_text(mentions_of(text, "2020-02-01"), "Kirstjen Nielsen").actor
    assert after.sector != "GOV"


def test_trump_by_story_date(mentions_of):
    text = "Donald Trump spoke to reporters in Ohio."
    got = {day: by_text(mentions_of(text, day), "Donald Trump").actor.sector
           for day in ("2016-08-31", "2018-03-23", "2023-06-01", "2025-03-01")}
    assert got["2016-08-31"] != "GOV" and got["2023-06-01"] != "GOV"
    assert got["2018-03-23"] == "GOV" and got["2025-03-01"] == "GOV"


def test_then_candidate_title_beats_the_story_date(mentions_of):
    ms = mentions_of("In 2016, then-presidential candidate Donald Trump visited Mexico City.",
                     "2018-03-23")
    trump = by_text(ms, "Donald Trump").actor
    assert (trump.country, trump.sector) == ("USA", "ELI")
    assert trump.title == "then-presidential candidate"


def test_former_title_makes_an_elite(mentions_of):
    ms = mentions_of("Former Secretary of State John Kerry criticised the deal.", "2014-05-01")
    kerry = next(m for m in ms if m.text.endswith("John Kerry")).actor
    assert (kerry.country, kerry.sector) == ("USA", "ELI")


def test_pronoun_takes_the_antecedent_actor(mentions_of):
    ms = mentions_of("Kirstjen Nielsen arrived on Monday. She said the talks went well.")
    she = by_text(ms, "She")
    assert she.kind == "pronoun" and she.actor.code == "USAGOV"
    assert ms[she.antecedent].text == "Kirstjen Nielsen"
    assert (she.actor.start, she.actor.end) == (she.start, she.end)


def test_pronoun_gender_picks_the_right_person(mentions_of):
    ms = mentions_of("Alfonso Navarrete Prida met Kirstjen Nielsen. He said the meeting was useful.")
    assert by_text(ms, "He").actor.name == "Alfonso Navarrete Prida"


def test_surname_refers_to_the_full_name(mentions_of):
    ms = mentions_of("Alfonso Navarrete Prida spoke first. Later, Navarrete Prida thanked the US.")
    later = next(m for m in ms if m.text == "Navarrete Prida")
    assert later.actor.code == "MEXGOV" and ms[later.antecedent].text == "Alfonso Navarrete Prida"


def test_unknown_person_named_with_a_title(mentions_of):
    ms = mentions_of("Brazilian Foreign Minister Marta Quintela Alves said the plan was fair.")
    person = next(m for m in ms if m.kind == "person")
    assert person.actor.country == "BRA" and person.actor.sector == "GOV"
    assert "Alves" in person.text


def test_compound_actor_is_a_list_with_one_group(mentions_of):
    ms = mentions_of("Mexico and the United States signed an agreement.")
    mex, usa = by_text(ms, "Mexico"), by_text(ms, "United States")
    assert mex.group is not None and mex.group == usa.group
    assert (mex.actor.country, usa.actor.country) == ("MEX", "USA")


def test_role_of_two_countries_is_distributed(mentions_of):
    ms = mentions_of("Secretaries of Mexico and the US have sat down to discuss crime.")
    mexico = next(m for m in ms if m.actor.country == "MEX")
    us = next(m for m in ms if m.actor.country == "USA")
    assert mexico.actor.sector == us.actor.sector == "GOV"
    assert mexico.group == us.group is not None


def test_they_refers_to_the_people_meeting(mentions_of):
    ms = mentions_of("Alfonso Navarrete Prida met Kirstjen Nielsen and they discussed arms.")
    they = [m for m in ms if m.text == "they"]
    assert {m.actor.code for m in they} == {"MEXGOV", "USAGOV"}
    assert len({m.group for m in they}) == 1


def test_role_takes_country_from_an_unambiguous_place(mentions_of):
    ms = mentions_of("Police in Tijuana detained two men.")
    assert by_text(ms, "Police in Tijuana").actor.code == "MEXCOP"


def test_role_nouns_map_to_sectors(mentions_of):
    text = ("Rebels attacked soldiers while journalists watched. Lawmakers and a judge "
            "condemned the cartel, and protesters marched.")
    got = dict(codes(mentions_of(text)))
    assert got["Rebels"] == "REB" and got["soldiers"] == "MIL" and got["journalists"] == "JRN"
    assert got["Lawmakers"] == "LEG" and got["judge"] == "JUD" and got["cartel"] == "CRM"
    assert got["protesters"] == "CVL"


def test_us_pronoun_is_not_the_united_states(mentions_of):
    ms = mentions_of("They told us that the US would help.")
    assert [m.text for m in ms if m.actor.country == "USA"] == ["US"]


def test_igo_and_ngo(mentions_of):
    ms = mentions_of("The United Nations and Amnesty International criticised the raid.")
    assert by_text(ms, "United Nations").actor.country == "UNO"
    assert by_text(ms, "Amnesty International").actor.country == "NGO"


def test_offsets_point_into_the_text(mentions_of):
    text = "Mexico\u2019s Navarrete Prida explained the plan to the US\u00a0government."
    for m in mentions_of(text):
        assert text[m.start:m.end] == m.text == m.actor.text


def test_no_story_date_uses_the_default_role(mentions_of):
    ms = mentions_of("Kirstjen Nielsen spoke.", published=None)
    assert by_text(ms, "Kirstjen Nielsen").actor.country == "USA"


def test_empty_and_odd_input(mentions_of, nlp):
    from dateline.actors import find_mentions
    from dateline.records import Document

    assert mentions_of("") == []
    assert mentions_of("   \n\n  ") == []
    assert find_mentions(Document(text="x"), None) == []
    assert isinstance(mentions_of("\u2014 ,,, ;; US!!", "not a date"), list)


def test_country_names_that_are_also_words(mentions_of):
    ms = mentions_of("China and Turkey criticised Jordan, while Chad and Georgia abstained.")
    assert {m.actor.country for m in ms} >= {"CHN", "TUR", "JOR", "TCD", "GEO"}


def test_role_takes_the_only_country_of_the_story(mentions_of):
    ms = mentions_of("Police in the Indian state of Gujarat arrested 12 men. Police said the "
                     "men had attacked a temple.")
    assert {m.actor.country for m in ms if m.actor.sector == "COP"} == {"IND"}


def test_role_stays_without_country_when_the_story_names_several(mentions_of):
    ms = mentions_of("Officials from Mexico and Canada met. Police said nothing.")
    assert by_text(ms, "Police").actor.country is None


def test_user_dictionary_in_find_mentions(mentions_of, tmp_path):
    path = tmp_path / "people.tsv"
    path.write_text("person\tZora Quillfeather\tQuillfeather\tMEXGOV\t2019-02-01\t\t"
                    "Secretary of Tourism\tf\n", encoding="utf-8")
    text = "Zora Quillfeather opened the fair. Later Quillfeather said she was pleased."
    ms = mentions_of(text, "2020-03-01", dictionaries=[path])
    assert by_text(ms, "Zora Quillfeather").actor.code == "MEXGOV"
    assert by_text(ms, "she").actor.name == "Zora Quillfeather"
    assert by_text(mentions_of(text, "2020-03-01"), "Zora Quillfeather").actor.code is None


def test_possessive_country_title(mentions_of):
    ms = mentions_of("Mexico's Secretary of the Interior said the talks were useful.")
    title = next(m for m in ms if "Secretary of the Interior" in m.text)
    assert title.actor.code == "MEXGOV" and title.text.startswith("Mexico")


def test_title_before_a_known_name_on_the_story_date(mentions_of):
    ms = mentions_of("Russian Foreign Minister Sergei Lavrov met his Chinese counterpart, "
                     "Wang Yi, in Beijing.", "2019-09-27")
    lavrov = by_text(ms, "Sergei Lavrov")
    assert (lavrov.actor.code, lavrov.actor.title) == ("RUSGOV", "Foreign Minister of Russia")
    assert by_text(ms, "Wang Yi").actor.code == "CHNGOV"
    title = next(m for m in ms if m.kind == "title" and "Foreign Minister" in m.text)
    assert ms[title.antecedent].text == "Sergei Lavrov"


def test_they_after_a_plural_subject_but_not_an_object(mentions_of):
    ms = mentions_of("Mexican soldiers entered the town on Monday. They arrested three men.")
    they = by_text(ms, "They")
    assert they.actor.code == "MEXMIL"
    ms = mentions_of("Police told reporters they had arrested two men.")
    assert by_text(ms, "they").actor.sector == "COP"


def test_place_in_two_countries_gives_no_country(mentions_of, tmp_path):
    path = tmp_path / "places.tsv"
    path.write_text("place\tSan Quirino, Honduras\tSan Quirino\tHND\t\t\t\t\n"
                    "place\tSan Quirino, Guatemala\tSan Quirino\tGTM\t\t\t\t\n"
                    "place\tVilla Norte\t\tGTM\t\t\t\t\n", encoding="utf-8")
    ms = mentions_of("Police in San Quirino detained a man.", dictionaries=[path])
    assert by_text(ms, "Police").actor.country is None
    ms = mentions_of("Police in Villa Norte detained a man.", dictionaries=[path])
    assert by_text(ms, "Police in Villa Norte").actor.country == "GTM"


def test_a_name_no_dictionary_knows_is_linked_when_repeated(mentions_of):
    ms = mentions_of("Brett McGurk resigned on Friday. Brett McGurk had led the coalition. "
                     "McGurk said he disagreed.")
    names = [m for m in ms if "McGurk" in m.text]
    assert len(names) == 3 and names[1].antecedent == names[2].antecedent == ms.index(names[0])
