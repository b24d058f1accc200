"""The context stage on hand-built events: dates, historical, places, contexts, robustness."""

from __future__ import annotations

from dateline import nlp
from dateline.context import enrich
from dateline.records import CodedDocument, Document, Event, Evidence, Modality

STORY = (
    "TIJUANA, Mexico — Police arrested three men on Tuesday in Rosarito.\n\n"
    "In August 2016, the group attacked a bank in Ensenada, officials said.\n\n"
    "The ministers will meet on Friday to discuss the case.\n\n"
    "The mayor criticised the police.\n"
)


def event_at(text: str, trigger: str, type_: str = "COERCE", cameo: str = "173",
             future: bool = False) -> Event:
    t0 = text.index(trigger)
    s0 = text.rfind("\n", 0, t0) + 1
    s1 = text.find("\n", t0)
    return Event(type=type_, cameo=cameo,
                 evidence=Evidence(sentence=text[s0:s1], start=s0, end=s1, trigger=trigger,
                                   trigger_start=t0, trigger_end=t0 + len(trigger)),
                 modality=Modality(future=future))


def coded_story(published: str | None = "2018-03-23") -> CodedDocument:
    doc = Document(text=STORY, published=published)
    events = [event_at(STORY, "arrested"), event_at(STORY, "attacked", "ASSAULT", "180"),
              event_at(STORY, "meet", "CONSULT", "040", future=True),
              event_at(STORY, "criticised", "ACCUSE", "111")]
    coded = CodedDocument(doc=doc, events=events)
    enrich(coded, nlp.parse(STORY), [])
    return coded


def test_dates_from_governing_clause_and_story_date():
    arrest, attack, meeting, critic = coded_story().events
    assert (arrest.date, arrest.date_precision) == ("2018-03-20", "day")  # last Tuesday
    assert (attack.date, attack.date_precision) == ("2016-08", "month")
    assert (meeting.date, meeting.date_precision) == ("2018-03-30", "day")  # the next Friday
    assert (critic.date, critic.date_precision) == ("2018-03-23", "day")  # the story date


def test_historical_only_for_clearly_earlier_events():
    arrest, attack, meeting, _critic = coded_story().events
    assert attack.modality.historical
    assert not arrest.modality.historical and not meeting.modality.historical


def test_locations_from_clause_else_dateline():
    arrest, attack, meeting, critic = coded_story().events
    assert arrest.location.name == "Rosarito" and arrest.location.country == "MEX"
    assert attack.location.name == "Ensenada"
    assert meeting.location.name == "Tijuana"  # no place in the clause: the dateline
    assert critic.location.name == "Tijuana"


def test_no_story_date_gives_null_dates_unless_text_has_one():
    arrest, attack, _meeting, critic = coded_story(published=None).events
    assert attack.date == "2016-08"
    assert critic.date is None and critic.date_precision is None
    assert arrest.date is None


def test_event_and_story_contexts():
    coded = coded_story()
    assert "crime" in coded.contexts
    arrest = coded.events[0]
    assert "crime" in arrest.contexts


def test_enrich_survives_no_parse_and_empty_documents():
    doc = Document(text=STORY, published="2018-03-23")
    coded = CodedDocument(doc=doc, events=[event_at(STORY, "attacked", "ASSAULT", "180"),
                                           event_at(STORY, "criticised", "ACCUSE", "111")])
    enrich(coded, None, None)
    attack, critic = coded.events
    assert attack.date == "2016-08" and attack.modality.historical
    assert attack.location is None  # a past event does not take the dateline's place
    assert critic.location.name == "Tijuana"  # the dateline, even without a parse
    empty = CodedDocument(doc=Document(text="", published=None))
    enrich(empty, None, None)
    assert empty.quotes == [] and empty.claims == []
    enrich(CodedDocument(doc=None), None, None)


def test_numeric_dates_follow_the_story_locale():
    text = "Police arrested three men on 3/4/2018 in Rosarito.\n"
    for url, expected in ((None, "2018-03-04"), ("https://www.bbc.co.uk/news/1", "2018-04-03"),
                          ("https://example.com/a", "2018-03-04")):
        coded = CodedDocument(doc=Document(text=text, published="2018-05-01", url=url),
                              events=[event_at(text, "arrested")])
        enrich(coded, nlp.parse(text), [])
        assert coded.events[0].date == expected
    coded = CodedDocument(doc=Document(text=text, published="2018-05-01"),
                          events=[event_at(text, "arrested")])
    enrich(coded, nlp.parse(text), [], day_first=True)
    assert coded.events[0].date == "2018-04-03"
