"""Span matching shared by the end-to-end scorers.

Rule: a predicted span matches a gold span of the same role when their character ranges
overlap ("overlap") or are identical after trimming spaces and a leading article ("exact").
Matching is one-to-one and greedy by largest overlap, so one prediction never counts twice.
"""

from __future__ import annotations

from collections.abc import Iterable

_ARTICLES = ("the ", "a ", "an ")


def _norm(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and a leading article, so 'the Croatian government' == 'Croatian government'."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    low = text[start:end].lower()
    for art in _ARTICLES:
        if low.startswith(art) and end - start > len(art):
            start += len(art)
            break
    return start, end


def match_spans(gold: Iterable[tuple[int, int]], pred: Iterable[tuple[int, int]], text: str,
                rule: str = "overlap") -> int:
    """Number of one-to-one matches between gold and predicted (start, end) spans."""
    g = [_norm(text, a, b) for a, b in gold]
    p = [_norm(text, a, b) for a, b in pred]
    if rule == "exact":
        remaining = list(g)
        hits = 0
        for span in p:
            if span in remaining:
                remaining.remove(span)
                hits += 1
        return hits
    pairs = []
    for i, (ga, gb) in enumerate(g):
        for j, (pa, pb) in enumerate(p):
            ov = min(gb, pb) - max(ga, pa)
            if ov > 0:
                pairs.append((ov, i, j))
    used_g, used_p = set(), set()
    hits = 0
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            hits += 1
    return hits
