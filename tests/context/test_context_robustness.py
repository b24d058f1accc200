"""The context finders never crash on arbitrary text and keep their offsets inside it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.context import enrich
from dateline.context.claims import find_claims
from dateline.context.dates import find_dates
from dateline.context.quotes import find_quotes
from dateline.context.topics import story_contexts
from dateline.records import CodedDocument, Document

PIECES = st.sampled_from([
    "“", "”", '"', "'", " said ", "he", "March", "May", "5", "31", "/", "2018", "-", "$",
    "%", "Feb 30", "13/45/2018", "2018-13-45", " in ", "Tijuana", ",", ".", "\n", "\n\n",
    "according to", " a study by ", "University", "last", "Friday", "ago", "two", "€1.5bn",
    "from", "to", "between", "and", "on", "the", "State of Mexico", "—", " ", "ü", "😀",
])
TEXTS = st.lists(PIECES, max_size=60).map("".join) | st.text(max_size=300)


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.sampled_from([None, "2018-03-23", "not a date", "2020-02-29"]))
def test_finders_survive_any_text(text, published):
    for d in find_dates(text, published if published != "not a date" else None):
        assert 0 <= d.start < d.end <= len(text)
    for q in find_quotes(text, None, None):
        assert 0 <= q.start <= q.end <= len(text)
    for c in find_claims(text, None, None, []):
        assert 0 <= c.start <= c.end <= len(text) and text[c.start:c.end] == c.text
    story_contexts(text)


@settings(max_examples=60, deadline=None)
@given(TEXTS, st.sampled_from([None, "2018-03-23", "garbage"]))
def test_enrich_survives_any_document_without_parse(text, published):
    coded = CodedDocument(doc=Document(text=text, published=published))
    enrich(coded, None, None)
    assert isinstance(coded.contexts, list)
