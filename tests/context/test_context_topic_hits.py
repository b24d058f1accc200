"""The story's lexicon scan (`context_hits`, which visits only the lexicon's words) finds what
a plain scan of every word finds, offsets included."""

from __future__ import annotations

import gzip
import json
import re

from dateline.context import topics
from dateline.context.topics import _index, _word_contexts, context_hits

_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


def _every_word_scan(text: str) -> list[tuple[int, str, int]]:
    """The lexicon scan word by word: each word's exact and prefix terms, then the phrases
    that open on its first three letters; one hit per context per phrase."""
    _, _, phrases = _index()
    matches = list(_WORD.finditer(text.lower().replace("\u2019", "'")))
    toks = [m.group() for m in matches]
    hits: list[tuple[int, str, int]] = []
    covered: dict[str, int] = {}
    for i, word in enumerate(toks):
        found = {name: (weight, 1) for name, weight in _word_contexts(word)}
        for pat, n, name, weight in phrases.get(word[:3], ()):
            if pat.fullmatch(" ".join(toks[i:i + n])):
                found[name] = max(found.get(name, (0, 1)), (weight, n))
        for name, (weight, span) in found.items():
            if covered.get(name, -1) > i:
                continue
            hits.append((matches[i].start(), name, weight))
            covered[name] = i + span
    return hits


TEXT = ("Cartels\u2019 drug-trafficking and human trafficking rose; the ministers discussed "
        "asylum seekers, human rights abuses and a ceasefire. Traffickers smuggled heroin. "
        "Election fraud: the vote-rigging claims of 2019 were rejected by the election "
        "commission.")


def test_hits_equal_a_scan_of_every_word():
    got = context_hits(TEXT)
    assert got == _every_word_scan(TEXT)
    assert {"illegal_drugs", "trafficking", "human_rights", "election"} <= {h[1] for h in got}
    assert context_hits("") == [] and context_hits("the weather was mild") == []


def test_hits_equal_a_scan_of_every_word_on_news(shared_dir):
    path = shared_dir / "data" / "corpora" / "guardian_sample.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(40), fh)]
    assert sum(len(context_hits(t)) for t in texts) > 400
    for text in texts:
        assert context_hits(text) == _every_word_scan(text)


def test_the_word_memo_starts_over_when_full(monkeypatch):
    monkeypatch.setattr(topics, "_SEEN", set())
    monkeypatch.setattr(topics, "_ENTRIES", {})
    want = _every_word_scan(TEXT)
    assert context_hits(TEXT) == want
    for k in range(topics._SEEN_BOUND + 1 - len(topics._SEEN)):
        topics._SEEN.add(f"w{k}")  # full: the next new words reset the memo
    assert context_hits(TEXT + " Refugees") == _every_word_scan(TEXT + " Refugees")
    assert len(topics._SEEN) < 1000
