"""The morphology cache's sorted arrays (nlp._MorphTable) give what its dict gives, merges and
fingerprint collisions included."""

from __future__ import annotations

import numpy

from dateline import nlp

TEXT = ("The ministers met in Mexico City on Friday and agreed to send troops. Police said "
        "they had arrested three men, who were running towards the border. The talks, which "
        "were held behind closed doors, ended without a deal; officials will meet again.")


def _analysed(text: str):
    pipeline = nlp.load()
    doc = pipeline.make_doc(text)
    pipes = [p for p in nlp._analysis_pipes() if p != "ner"]
    nlp._analyse(pipeline, pipes, [doc])
    return doc


def _morph(morph, doc):
    morph(doc)
    return doc.to_array(["POS", "LEMMA"]).copy()


def test_table_merges_and_collisions_give_the_dicts_answers(monkeypatch):
    docs = [_analysed(TEXT), _analysed(TEXT.upper()), _analysed(TEXT.replace("The", "A"))]
    dict_only = nlp._Morphology(nlp.load())
    monkeypatch.setattr(nlp, "_MORPH_MERGE", 10**9)
    expected = [_morph(dict_only, d) for d in docs]
    assert len(dict_only._table) == 0 and len(dict_only.cache) > 20

    # merge after every few new keys, with a fingerprint that collides all the time
    monkeypatch.setattr(nlp, "_MORPH_MERGE", 3)
    monkeypatch.setattr(nlp, "_fingerprints",
                        lambda keys: (keys[:, 0] & numpy.uint64(3)) if len(keys)
                        else numpy.zeros(0, dtype="uint64"))
    tabled = nlp._Morphology(nlp.load())
    for _ in range(3):  # first from the dict, then from the table
        for d, want in zip(docs, expected):
            assert (_morph(tabled, d) == want).all()
    assert 0 < len(tabled._table) <= 4  # one entry per fingerprint; the rest stay in the dict
    assert len(tabled.cache) > 10


def test_pos_and_lemmas_are_set():
    doc = _analysed(TEXT)
    nlp._morphology()(doc)
    by_word = {t.text: (t.pos_, t.lemma_) for t in doc}
    assert by_word["met"] == ("VERB", "meet")
    assert by_word["ministers"] == ("NOUN", "minister")
    assert by_word["arrested"][1] == "arrest"


def test_merged_tables_stay_sorted_and_hold_every_key(monkeypatch):
    docs = [_analysed(TEXT), _analysed(TEXT.lower())]
    monkeypatch.setattr(nlp, "_MORPH_MERGE", 4)
    morph = nlp._Morphology(nlp.load())
    for d in docs:
        morph(d)
    table = morph._table
    assert len(table) > 30 and len(morph.cache) < 4  # merged in several steps
    assert (table.prints[1:] > table.prints[:-1]).all()
    assert (table.prints == nlp._fingerprints(table.keys)).all()
    pos, lemma = table.find(table.keys)
    assert (lemma != nlp._NOT_FOUND).all() and (pos == table.pos).all()
