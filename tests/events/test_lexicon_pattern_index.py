"""The per-block pattern index of the verb lexicon picks exactly what a full scan picks."""

from __future__ import annotations

import random

from dateline.events import lexicon as lexmod


def _full_scan(lex, entry, after, before):
    """The plain definition: every coding pattern of the block, longest match, first wins."""
    best = None
    before_set = set(before)
    for pat in lex.patterns.get(entry.block, ()):
        if not (pat.code or pat.code2) or not pat.after and not pat.before:
            continue
        if pat.before and not all(slot & before_set for slot in pat.before):
            continue
        if pat.after and not lexmod._in_order(pat.after, after):
            continue
        score = len(pat.after) + len(pat.before)
        if best is None or score > best[0]:
            best = (score, pat)
    if best is not None:
        return best[1].code, best[1].code2, best[1].text
    return entry.code, entry.code2, None


def test_index_agrees_with_a_full_scan_on_contexts_built_from_pattern_words():
    lex = lexmod.load()
    rng = random.Random(7)
    entries = {e.block: e for es in lex.forms.values() for e in es if lex.patterns.get(e.block)}
    assert len(entries) > 100
    matched = 0
    for block, entry in sorted(entries.items()):
        words = sorted({w for p in lex.patterns[block] for slot in p.after + p.before
                        for w in slot} | {"the", "of", "talks", "said"})
        for _ in range(20):
            after = [(w, w.rstrip("s")) for w in rng.choices(words, k=rng.randint(0, 8))]
            before = rng.choices(words, k=rng.randint(0, 3))
            expected = _full_scan(lex, entry, after, before)
            assert lex.code_for(entry, after, before) == expected, (block, after, before)
            matched += expected[2] is not None
    assert matched > 500  # the contexts do exercise patterns, not only defaults
