"""The --out line of a coded document: byte for byte the JSON of its ``asdict`` form, which
`CodedDocument.to_line` builds without copying the record first."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from dateline.records import (
    Actor,
    Claim,
    CodedDocument,
    Document,
    Event,
    Evidence,
    Location,
    Modality,
    Quote,
    Rejected,
)


def _full_record() -> CodedDocument:
    doc = Document(text="Ministers met in Ciudad de México — «talks» went on.", title="Talks",
                   published="2018-03-22", source="test", origin="a.txt")
    mexico = Actor(text="Mexico", name="Mexico", country="MEX", sector="GOV", start=17, end=23)
    usa = Actor(text="the US", country="USA")
    event = Event(type="CONSULT", evidence=Evidence(sentence="Ministers met.", start=0, end=14,
                                                    trigger="met", trigger_start=10,
                                                    trigger_end=13),
                  mode="visit", cameo="042", quad_class=1, goldstein=1.9,
                  actors=[mexico, usa], recipients=[], contexts=["crime", "trafficking"],
                  date="2018-02", date_precision="month",
                  location=Location(name="Mexico City", country="MEX", lat=19.43, lon=-99.13,
                                    geonameid=3530597, feature="city"),
                  modality=Modality(negated=True), confidence=0.87)
    event.assign_id(doc.id)
    bare = Event(type="ASSAULT", evidence=Evidence(sentence="x", start=1, end=2, trigger="y"))
    quote = Quote(text="We have a lot to discuss", start=3, end=27, speaker=mexico)
    claim = Claim(text="253,000 firearms a year", start=30, end=52, value=253000.0,
                  unit="firearms", per="year",
                  # a record inside a plain dict: asdict converts it too
                  attributed_to={"name": "University of San Diego", "kind": "study",
                                 "actor": usa, "also": (1, 2.5, None)})
    return CodedDocument(doc=doc, events=[event, bare], quotes=[quote, Quote("q", 0, 1)],
                         claims=[claim], contexts=["crime"], origin="a.txt")


def test_the_line_is_the_json_of_asdict_byte_for_byte():
    coded = _full_record()
    assert coded.to_line() == json.dumps(asdict(coded), ensure_ascii=False)
    assert "Ciudad de México — «talks»" in coded.to_line()  # not escaped


def test_a_rejection_line_is_unchanged_too():
    coded = CodedDocument.rejection(Rejected(origin="b.bin", reason="binary", language=None))
    assert coded.to_line() == json.dumps(asdict(coded), ensure_ascii=False)


def test_a_value_json_cannot_write_still_fails():
    coded = _full_record()
    coded.contexts = [object()]
    with pytest.raises(TypeError, match="not JSON serializable"):
        coded.to_line()
