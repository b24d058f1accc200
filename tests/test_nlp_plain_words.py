"""The tokenizer's plain-word shortcut (nlp._use_plain_word_shortcut): spaCy's English affix
rules never split a chunk of ASCII letters, so skipping them for such chunks gives the same
tokens, special cases ("cannot", "gonna") included."""

from __future__ import annotations

import itertools
import string

import pytest

from dateline import nlp


@pytest.fixture(scope="module")
def rules():
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    defaults = nlp.load().Defaults
    return (compile_prefix_regex(defaults.prefixes).search,
            compile_suffix_regex(defaults.suffixes).search,
            compile_infix_regex(defaults.infixes).finditer)


def test_no_affix_rule_matches_a_string_of_letters(rules):
    prefix, suffix, infix = rules
    for n in (1, 2, 3):
        for letters in itertools.product(string.ascii_letters, repeat=n):
            word = "".join(letters)
            assert prefix(word) is None and suffix(word) is None and not list(infix(word))


def test_the_shortcut_is_installed_and_tokens_are_unchanged(rules):
    tok = nlp.load().tokenizer
    # installed: the rules' own search is a method of a compiled pattern, the shortcut not
    assert getattr(tok.suffix_search, "__self__", None) is None
    assert getattr(rules[1], "__self__", None) is not None
    assert tok.suffix_search("Mayorkas") is None
    assert tok.suffix_search("Mayorkas,").group() == ","  # and hands the rest to the rules
    text = ("Mayorkas cannot say; Sánchez-Cordero (AP) said U.S. officials gonna meet "
            "in Mexico City at 10am on 3rd Feb., e.g. 253,000 guns/yr -- isn't it? "
            "Zorglubian\u00e9 co-operation, 4km, 50% and $3bn: don't.")
    model = nlp.load()
    with model.memory_zone():
        fast = [t.text for t in model.make_doc(text)]
    saved = tok.prefix_search, tok.suffix_search, tok.infix_finditer
    try:
        tok.prefix_search, tok.suffix_search, tok.infix_finditer = rules
        with model.memory_zone():
            plain = [t.text for t in model.make_doc(text)]
    finally:
        tok.prefix_search, tok.suffix_search, tok.infix_finditer = saved
    assert fast == plain
    assert fast[1:3] == ["can", "not"] and "gon" in fast  # special cases still split
    assert fast.count(",") >= 3


def test_rules_that_match_letters_keep_the_tokenizer_as_it_is():
    class Tok:
        prefix_search = staticmethod(lambda s: None)
        suffix_search = staticmethod(lambda s: s[-2:] == "ed" or None)  # a letters rule
        infix_finditer = staticmethod(lambda s: iter(()))

    class Pipeline:
        tokenizer = Tok()

    pipe = Pipeline()
    before = pipe.tokenizer.suffix_search
    nlp._use_plain_word_shortcut(pipe)
    assert pipe.tokenizer.suffix_search is before
