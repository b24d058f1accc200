"""PLOVER contexts of stories and events from the lexicon and the crosswalk."""

from __future__ import annotations

from dateline import ontology
from dateline.context.topics import event_contexts, lexicon, story_contexts

STORY = (
    "Officials from both countries held talks on drug trafficking and organized crime.\n"
    "The ministers discussed how cartels smuggle fentanyl and heroin across the border and "
    "how migrants seeking asylum are treated.\n"
    "They also agreed to expand trade and investment, and to protect the human rights of "
    "migrants, the foreign ministry said after the bilateral meeting.\n"
)


def test_every_lexicon_context_is_a_plover_context():
    names = {name for name, _, _ in lexicon()}
    assert names <= set(ontology.contexts())
    assert len(names) == len(ontology.contexts())


def test_story_contexts_cover_the_topics_and_nothing_wild():
    found = story_contexts(STORY)
    for ctx in ("illegal_drugs", "trafficking", "crime", "migration", "asylum", "economic",
                "human_rights", "diplomatic"):
        assert ctx in found
    for wrong in ("lgbt", "cyber", "cbrn", "disasters", "election", "health"):
        assert wrong not in found


def test_short_neutral_story_has_no_contexts():
    assert story_contexts("The weather was mild and the market opened late.") == []


def test_title_words_count_double():
    assert "election" not in story_contexts("The vote is on Sunday.")
    assert "election" in story_contexts("The vote is on Sunday.", title="Election day vote")


def test_event_contexts_from_crosswalk_and_supporting_sentence():
    story = story_contexts(STORY)
    sentence = "The ministers discussed how cartels smuggle fentanyl across the border."
    ctx = event_contexts(sentence, "040", story)
    assert {"illegal_drugs", "trafficking", "crime"} <= set(ctx)
    assert "economic" not in ctx  # in the story, but not supported by this sentence


def test_event_contexts_include_the_crosswalk_contexts_of_the_cameo_code():
    for code, entry in list(ontology.crosswalk().items())[:80]:
        if entry.contexts:
            assert set(entry.contexts) <= set(event_contexts("", code, []))
            break
    else:
        raise AssertionError("no crosswalk entry with contexts")
