"""`Lexicon.reads_after`: where no word of a sentence starts an after-slot of the verb's
patterns, the coder skips the walk for the words after the verb; `code_for` must then give
what it gives with those words."""

from __future__ import annotations

import random

from dateline.events import lexicon as lexmod


def test_code_for_ignores_following_words_that_start_no_pattern() -> None:
    lex = lexmod.load()
    rnd = random.Random(3)
    entries = [e for es in lex.forms.values() for e in es if lex.patterns.get(e.block)]
    vocab = sorted({w for es in lex.patterns.values() for p in es for s in p.after + p.before
                    for w in s} | {"the", "police", "said", "on", "monday"})
    checked = 0
    for entry in rnd.sample(entries, 300):
        for _ in range(10):
            words = rnd.sample(vocab, 12)
            after = [(w, w.rstrip("s")) for w in words[:8]]
            before = words[8:]
            forms = frozenset(f for pair in after for f in pair) | frozenset(before)
            if lex.reads_after(entry.block, forms):
                continue
            checked += 1
            assert lex.code_for(entry, after, before) == lex.code_for(entry, [], before)
    assert checked > 500


def test_a_following_word_that_starts_a_pattern_is_read() -> None:
    """'lifted the ban': "ban" starts a pattern of "lift", and the pattern codes."""
    lex = lexmod.load()
    entry = lex.lookup("lifted", (), "VERB")
    after = [("ban", "ban"), ("on", "on"), ("exports", "export")]
    assert lex.reads_after(entry.block, frozenset(f for pair in after for f in pair))
    assert lex.code_for(entry, after, [])[2] == "* ban"
    assert lex.code_for(entry, [], [])[2] is None
    assert not lex.reads_after(entry.block, frozenset({"quietly", "yesterday"}))
