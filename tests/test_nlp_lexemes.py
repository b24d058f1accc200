"""The faster lexeme getters (nlp._fast_lexeme_getters) give spaCy's values for every string."""

from __future__ import annotations

import gzip
import json
from functools import partial

import pytest

from dateline import nlp

ODD = ["", " ", "\n\n", "\u00a0", "a", "A", "I", "US", "U.S.", "u.s.", "Mr.", "e.g.", "...", "—",
       "–", "--", "-", "'s", "’s", "'", "''", "``", '"', "“", "”", "«", "»", "‹", "❮", "(", ")",
       "[", "{", "<", ">", "$", "£", "€", "US$", "¥", "%", "&", "@", "#", "3", "3,500", "1.5",
       "-4", "+4", "±2", "~3", "1/2", "1/2/3", "21st", "2nd", "3rd", "4th", "st", "1990s",
       "twenty", "Twenty", "TWENTY", "first", "First", "millionth", "one-third", "http://x.com",
       "https://example.org/a?b=c", "www.bbc.co.uk", "www.", "bbc.co.uk", "example.com/",
       "foo.bar", "a.b.c", "x@y.com", "john.doe@example.co.uk", "@handle", "a@b", "localhost:80",
       "Xxxxx", "xxxxxxxxxx", "AAAAAAAAAA", "1111111111", "aaaaBBBBcccc", "a" * 99, "a" * 100,
       "a" * 150, "Ünïcödé", "ÀÉÎ", "straße", "İstanbul", "ǅ", "ﬁ", "Ⅻ", "½", "٣", "३", "一",
       "中国", "😀", "a😀b", "x\u0301", "\u200b", "Al-Assad", "Russell-Moyle", "co-operation",
       "o'clock", "don't", "n't", "'ll", "cuz", "cos", "'cause", "favourite", "colour", "Colour",
       "B52", "F-16", "COVID-19", "#MeToo", "½lb", "10%", "$5", "5$", "!!", "?!", "…", "।", "。"]


@pytest.fixture(scope="module")
def getters():
    import spacy

    vocab = nlp.load().vocab
    # spaCy's own getters: the same pipeline package, loaded by spaCy alone
    plain = spacy.load(nlp.load().meta["lang"] + "_" + nlp.load().meta["name"])
    return vocab.lex_attr_getters, dict(plain.vocab.lex_attr_getters)


def _value(f, text):
    try:
        return ("ok", f(text))
    except Exception as exc:  # noqa: BLE001 - an error must be the same error
        return ("error", type(exc))


def _words(shared_dir, n=120):
    out = set(ODD)
    path = shared_dir / "data" / "corpora" / "guardian_sample.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k >= n:
                break
            text = json.loads(line)["text"]
            out.update(text.split())
            out.update(t.text for t in nlp.load().make_doc(text))
    return sorted(out)


def test_the_pipeline_uses_the_fast_getters(getters):
    fast, spacy_own = getters
    assert set(fast) == set(spacy_own)
    # not spaCy's functions (nor a partial of one, like the language code's)
    replaced = [a for a, f in fast.items() if not isinstance(f, partial)
                and not (getattr(f, "__module__", None) or "").startswith("spacy")]
    assert not [a for a, f in spacy_own.items() if a in replaced and f is fast[a]]
    assert len(replaced) >= 20  # all but the word shape and the language code


def test_every_getter_gives_spacys_value_on_odd_strings_and_real_words(getters, shared_dir):
    fast, spacy_own = getters
    words = _words(shared_dir)
    assert len(words) > 10_000
    for attr, own in spacy_own.items():
        differ = [w for w in words if _value(fast[attr], w) != _value(own, w)]
        assert not differ, (attr, differ[:5])


def test_new_words_get_spacys_lexeme_attributes(getters):
    fast, spacy_own = getters
    vocab = nlp.load().vocab
    text = "Zqxjv-Blorf visited Ksnaptopolis on 12th Octember, emailing zq@blorf.example at " \
           "www.blorf.example: “Ünïcödé works!!!!!” — 3,500 quintillionths of XXXXXXXXXXX cuz"
    seen = []
    for getters_now in (fast, spacy_own):
        vocab.lex_attr_getters = getters_now
        try:
            with nlp.zone():  # the words are new in each pass: their lexemes are made afresh
                seen.append([(t.norm_, t.shape_, t.prefix_, t.suffix_, t.like_num, t.like_url,
                              t.like_email, t.is_punct, t.is_stop, t.is_currency, t.is_quote,
                              t.is_title, t.is_ascii) for t in nlp.load().make_doc(text)])
        finally:
            vocab.lex_attr_getters = fast
    assert seen[0] == seen[1]
    assert ("cause", "xxx") not in [(s[0], s[1]) for s in seen[0]]
    assert seen[0][-1][0] == "because"  # the norm table's "cuz"
