"""Matching skips phrase lengths whose first two words start no phrase: same matches."""

from __future__ import annotations

import gzip
import json

from dateline.actors import load_dictionary
from dateline.actors.dictionary import split_phrase
from dateline.actors.matching import make_tokens, match_tokens


class _Everything:
    def __contains__(self, _pair) -> bool:
        return True


def _found(toks, dictionary):
    return [(m.start, m.end, m.entry.kind, m.entry.name)
            for m in match_tokens(toks, dictionary)]


def test_the_pair_filter_changes_no_match(shared_dir, monkeypatch):
    dictionary = load_dictionary()
    path = shared_dir / "data" / "corpora" / "guardian_sample.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(15), fh)]
    texts.append("The United Nations Security Council and the New York Police Department "
                 "met Kirstjen Nielsen, the US Secretary of Homeland Security, in New Delhi.")
    stories = [make_tokens(split_phrase(t)) for t in texts]
    with_filter = [_found(toks, dictionary) for toks in stories]
    monkeypatch.setattr(type(dictionary), "first_pairs", lambda self: _Everything())
    without = [_found(toks, dictionary) for toks in stories]
    assert with_filter == without
    assert sum(len(f) for f in with_filter) > 100
    assert any(end - start >= 3 for start, end, _, _ in with_filter[-1])  # long phrases too
