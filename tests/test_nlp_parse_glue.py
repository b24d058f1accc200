"""The parse stage's own glue gives what spaCy's generic machinery gave: the sentence rules
(spaCy's Sentencizer), the analysis Docs (made from words), the components run one by one."""

from __future__ import annotations

import gzip
import json

import numpy
import pytest
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from dateline import nlp

# The reference for odd spaces: every one of nlp._SPACES becomes a plain space.
_PLAIN = str.maketrans(dict.fromkeys(nlp._SPACES, " "))
ODD = ["", ".", "...", "Hello", "Hello.", "Hi! Bye? Ok.", "Wait... what?! No!!", "U.S. officials said.",
       "He said: \"Go.\" Then left.", "(See below.) Next", "End.\n\nNew paragraph",
       "Ends with mark。 Next one｡ 𑁇 done", "Numbers 3.5 and 4. Then", "!!!", ". . . a",
       "“Quoted.” Said he. — Dash", "a.b.c. d"]


def _texts(shared_dir, n=40):
    path = shared_dir / "data" / "corpora" / "guardian_sample.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        stories = [json.loads(line)["text"] for _, line in zip(range(n), fh)]
    return ODD + stories


def test_punctuation_starts_are_spacys_sentencizer(shared_dir):
    pipeline = nlp.load()
    for text in _texts(shared_dir):
        text = text.translate(_PLAIN)
        doc = pipeline.make_doc(text)
        if not len(doc):
            continue
        theirs = numpy.array(Sentencizer().predict([doc])[0])
        arr = doc.to_array(["IDX", "LENGTH", "IS_PUNCT"]).astype("int64")
        ours = nlp._punctuation_starts(text, arr[:, 0], arr[:, 1], arr[:, 2].astype(bool))
        assert ((ours == 1) == theirs).all(), text[:60]


def _old_analysis_docs(doc, spans):
    """The pieces as the coder made them before: Docs from the words' texts."""
    words_all = [t.text for t in doc]
    spaces_all = [bool(t.whitespace_) for t in doc]
    words, spaces, starts = [], [], []
    for a, b in spans:
        words.extend(words_all[a:b])
        sp = spaces_all[a:b]
        sp[-1] = True
        spaces.extend(sp)
        starts.extend([True] + [False] * (b - a - 1))
    return Doc(doc.vocab, words=words, spaces=spaces, sent_starts=starts)


@pytest.mark.parametrize("limit", [nlp._BATCH_TOKENS, 40])
def test_analysis_docs_hold_the_selected_sentences_with_their_starts(shared_dir, limit,
                                                                      monkeypatch):
    monkeypatch.setattr(nlp, "_BATCH_TOKENS", limit)
    pipeline = nlp.load()
    text = _texts(shared_dir, 3)[-1].translate(_PLAIN)
    doc = pipeline.make_doc(text)
    nlp._split_sentences(doc, text)
    spans = [(s.start, s.end) for s in doc.sents][1::2]  # every other sentence
    pieces = nlp._analysis_docs(doc, spans, nlp._token_table(doc))
    assert len(pieces) >= (2 if limit == 40 else 1)
    got = 0
    for piece, index in pieces:
        chosen = [(a, b) for a, b in spans if a in set(index.tolist())]
        old = _old_analysis_docs(doc, chosen)
        assert [t.text for t in piece] == [t.text for t in old]
        assert piece.text == old.text
        assert [t.is_sent_start for t in piece] == [t.is_sent_start for t in old]
        assert index.tolist() == [i for a, b in chosen for i in range(a, b)]
        got += len(chosen)
    assert got == len(spans)


def test_components_run_one_by_one_tag_parse_and_name_as_language_pipe(shared_dir):
    pipeline = nlp.load()
    text = _texts(shared_dir, 2)[-1].translate(_PLAIN)
    pipes = [p for p in nlp._analysis_pipes() if p != "ner"]
    docs_a = [pipeline.make_doc(text[:3000]), pipeline.make_doc(text[3000:6000])]
    docs_b = [pipeline.make_doc(text[:3000]), pipeline.make_doc(text[3000:6000])]
    nlp._analyse(pipeline, pipes + ["ner"], docs_a)
    with pipeline.select_pipes(enable=pipes + ["ner"]):
        docs_b = list(pipeline.pipe(docs_b, batch_size=2))
    attrs = ["TAG", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"]
    for a, b in zip(docs_a, docs_b):
        assert (a.to_array(attrs) == b.to_array(attrs)).all()
        assert a.has_annotation("DEP") and a.has_annotation("ENT_IOB")


def test_odd_spaces_become_plain_spaces_only_where_there_are_some():
    odd = "Paris\u00a0— a\u2009b\u202fc\u3000d\u2007e\u200af “quoted”"
    assert nlp._plain_spaces(odd) == odd.translate(_PLAIN)
    assert " " in nlp._plain_spaces(odd) and "\u00a0" not in nlp._plain_spaces(odd)
    plain = "No odd spaces here: “quoted”, em—dash, café."
    assert nlp._plain_spaces(plain) is plain


def test_name_windows_keep_the_words_near_names_and_numbers():
    text = ("The two ministers met in Mexico City on Friday to discuss security. In a long "
            "statement that was issued late last night after hours of talks the ministry of "
            "the interior said nothing at all about what the European Union wanted.")
    pipeline = nlp.load()
    doc = pipeline.make_doc(text)
    nlp._split_sentences(doc, text)
    spans = [(s.start, s.end) for s in doc.sents]
    windows = nlp._name_windows(doc, spans)
    words = [t.text for t in doc]
    kept = {words[i] for a, b in windows for i in range(a, b)}
    assert {"The", "two", "Mexico", "City", "Friday", "European", "Union", "In"} <= kept
    assert "hours" not in kept and "talks" not in kept  # far from any name or number
    assert all(a < b for a, b in windows)
    assert all(any(sa <= a and b <= sb for sa, sb in spans) for a, b in windows)
    default = {(e.text, e.label_) for e in nlp.parse(text, ner="names").ents}
    windowed = {(e.text, e.label_) for e in nlp.parse(text, ner="windows").ents}
    assert {("Mexico City", "GPE"), ("the European Union", "ORG")} <= windowed <= default
