"""The trigger lexicon compiled from the PETRARCH-2 verb dictionary, plus our additions."""

from __future__ import annotations

from dateline.events import lexicon


def test_compiled_dictionary_keeps_all_blocks_and_patterns():
    lex = lexicon.load()
    blocks = {e.block for entries in lex.forms.values() for e in entries
              if not e.block.startswith("DATELINE:")}
    assert len(blocks) == 397
    ours = len(lexicon._rows("pattern_additions.tsv"))  # our own additions
    assert ours >= 1
    assert sum(len(p) for p in lex.patterns.values()) == 4668 + ours  # PETRARCH's + ours


def test_inflected_and_multiword_forms_are_found():
    lex = lexicon.load()
    assert lex.lookup("arrested").lemma == "arrest"
    assert lex.lookup("met", ("with", "the")).lemma == "meet with"
    assert lex.lookup("met", ("in", "paris")).lemma == "meet"
    assert lex.lookup("talks", pos="NOUN").code == "046"
    assert lex.lookup("talks", pos="VERB").lemma == "talk"
    assert lex.lookup("xyzzy") is None


def test_verb_patterns_refine_the_code():
    lex = lexicon.load()
    entry = lex.lookup("requested")
    words = [(w, w) for w in ["the", "extradition", "of", "the", "suspect"]]
    assert lex.code_for(entry, words)[0] == "0213"
    assert lex.code_for(entry, [("a", "a"), ("pause", "pause")])[0] == "020"


def test_silenced_verbs_code_nothing():
    lex = lexicon.load()
    entry = lex.lookup("addressed")
    words = [("the", "the"), ("concerns", "concern")]
    assert lexicon.plover_coding(lex.code_for(entry, words)[0]) is None


def test_cameo_codes_map_to_plover():
    assert lexicon.plover_coding("010") is None  # statements are no events
    assert lexicon.plover_coding("020").type == "REQUEST"
    coding = lexicon.plover_coding("173")
    assert (coding.type, coding.mode) == ("COERCE", "arrest")
    assert lexicon.plover_coding("042").mode == "visit"


def test_sentence_selection_needs_an_event_word():
    assert lexicon.sentence_has_trigger(["police", "arrested", "two", "men"])
    assert lexicon.sentence_has_trigger(["the", "ministers", "held", "talks"])
    assert not lexicon.sentence_has_trigger(["the", "weather", "was", "mild", "and", "sunny"])
    assert not lexicon.sentence_has_trigger(["he", "said", "it", "was", "quiet"])


def test_a_sentence_whose_only_trigger_is_a_noun_after_an_article_is_coded(code_with_fakes):
    # "a suspension": a nominal trigger after a determiner still selects its sentence
    events = code_with_fakes("Germany announced a suspension of aid to China.")
    ev = next(e for e in events if e.type == "SANCTION")
    assert [a.code for a in ev.actors] == ["DEU"]
    assert [r.code for r in ev.recipients] == ["CHN"]


def test_strikes_carried_out_against_a_party_are_attacks_not_protests(code_with_fakes):
    events = code_with_fakes("France carried out strikes against the rebels.")
    assert any(e.type == "ASSAULT" and [r.code for r in e.recipients] == ["REB"]
               for e in events)
    assert not any(e.type == "PROTEST" for e in events)


def test_a_labour_strike_stays_a_protest(code_with_fakes):
    events = code_with_fakes("The protesters held a strike against the government.")
    assert not any(e.type == "ASSAULT" for e in events)
