"""find_mentions never crashes and keeps its promises on any text and any Doc."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.actors import find_mentions
from dateline.records import Document

WORDS = ["Mexico", "the", "US", "police", "said", "Nielsen", "Kirstjen", "he", "she", "they",
         "and", ",", ".", "Secretary", "of", "Interior", "Washington", "cartel", "former",
         "then-", "Trump", "Donald", "\n\n", "\u00a0", "’s", "Mexican", "in", "Tijuana", "us",
         "UN", "Amnesty", "International", "Kremlin", "rebels", "ÉLYSÉE", "—"]


@pytest.fixture(scope="module")
def blank():
    spacy = pytest.importorskip("spacy")
    return spacy.blank("en")


def test_tokens_only_doc(blank):
    text = "Kirstjen Nielsen met Mexican police in Tijuana. She said they agreed."
    ms = find_mentions(Document(text=text, published="2018-03-23"), blank(text))
    got = {m.text: m.actor.code for m in ms}
    assert got["Kirstjen Nielsen"] == "USAGOV" and got["Mexican police"] == "MEXCOP"
    assert got["She"] == "USAGOV"
    assert all(text[m.start:m.end] == m.text for m in ms)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), min_size=0, max_size=40),
       st.sampled_from([None, "2018-03-23", "2016-05-01", "bad date", "2030-01-01"]))
def test_any_word_salad_keeps_the_contract(blank, words, published):
    text = " ".join(words)
    ms = find_mentions(Document(text=text or " ", published=published), blank(text or " "))
    starts = [m.start for m in ms]
    assert starts == sorted(starts)
    for m in ms:
        assert text[m.start:m.end] == m.text == m.actor.text
        assert m.token_start <= m.head < m.token_end
        assert m.antecedent is None or 0 <= m.antecedent < len(ms)
        assert m.kind in ("person", "country", "org", "role", "pronoun", "title")
