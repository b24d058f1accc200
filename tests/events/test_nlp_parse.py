"""dateline.nlp: one pipeline per process, offsets kept, only selected sentences analysed."""

from __future__ import annotations

from dateline import nlp

TEXT = ("PARIS, France \u2014 Police arrested\u00a0two men on Monday.\n\n"
        "The weather was mild. Children played in the park\n"
        "President Macron met Chancellor Scholz in Berlin.")


def test_pipeline_is_loaded_once():
    assert nlp.load() is nlp.load()
    assert "tagger" in nlp.load().pipe_names


def test_offsets_point_into_the_original_text():
    doc = nlp.parse(TEXT)
    assert len(doc.text) == len(TEXT)
    for tok in doc:
        original = TEXT[tok.idx:tok.idx + len(tok)]
        assert original.replace("\u00a0", " ") == tok.text
    assert all(tok.text != "\u00a0" for tok in doc)  # no-break spaces are not tokens


def test_paragraph_breaks_and_datelines_end_sentences():
    sents = [s.text.strip() for s in nlp.parse(TEXT).sents]
    assert sents[0] == "PARIS, France \u2014"
    assert sents[1].startswith("Police arrested")
    assert "Children played in the park" in sents
    assert sents[-1].startswith("President Macron met")


def test_only_selected_sentences_are_analysed():
    doc = nlp.parse(TEXT, select=lambda s: "arrested" in s.text)
    analysed = [s for s in doc.sents if nlp.is_analysed(s)]
    assert [s.text.strip() for s in analysed] == ["Police arrested two men on Monday."]
    arrested = next(t for t in doc if t.text == "arrested")
    assert (arrested.pos_, arrested.lemma_, arrested.dep_) == ("VERB", "arrest", "ROOT")
    assert arrested.head.i == arrested.i
    men = next(t for t in doc if t.text == "men")
    assert men.head.i == arrested.i and men.dep_ == "dobj"
    children = next(t for t in doc if t.text == "Children")
    assert not nlp.is_analysed(children) and children.dep_ == ""
    assert all(nlp.is_analysed(e[0]) for e in doc.ents)


def test_default_analyses_everything_with_lemmas_and_entities():
    doc = nlp.parse(TEXT, ner="all")
    assert all(nlp.is_analysed(s) for s in doc.sents if s.text.strip())
    assert next(t for t in doc if t.text == "Children").lemma_ == "child"
    assert any(e.label_ == "PERSON" for e in doc.ents)
    assert not nlp.parse(TEXT, ner="none").ents


def test_parse_many_matches_parse():
    texts = [TEXT, "Russia did not attack Ukraine.", ""]
    many = nlp.parse_many(texts)
    assert [d.text for d in many] == [nlp.parse(t).text for t in texts]
    assert [t.dep_ for t in many[1]] == [t.dep_ for t in nlp.parse(texts[1])]
