"""PLOVER contexts (topics) of a story and of each event, from a keyword lexicon.

The lexicon is ``data/contexts.tsv``: per context, terms with a weight. A story has a context
when its weighted hits reach 2 (title hits count twice); an event has the contexts of its
CAMEO code in the CAMEO->PLOVER crosswalk plus the story contexts its own sentence supports.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from dateline import ontology


@lru_cache(maxsize=1)
def lexicon() -> tuple[tuple[str, int, re.Pattern[str]], ...]:
    """(context, weight, compiled pattern) for every context in the lexicon file."""
    text = (resources.files("dateline") / "data" / "contexts.tsv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    known = set(ontology.contexts())
    out = []
    for row in csv.DictReader(lines, delimiter="\t"):
        name = row["context"].strip()
        if name not in known:
            raise ValueError(f"contexts.tsv: {name!r} is not a PLOVER context")
        alts = []
        for term in row["terms"].split("|"):
            term = term.strip().lower()
            if not term:
                continue
            pat = re.escape(term).replace(r"\*", r"[\w-]*").replace(r"\(", "(?:")
            pat = pat.replace(r"\)", ")").replace(r"\|", "|").replace(r"\ ", r"\s+")
            alts.append(pat)
        alts.sort(key=len, reverse=True)
        out.append((name, int(row["weight"]), re.compile(r"\b(?:" + "|".join(alts) + r")\b")))
    return tuple(out)


def context_scores(text: str) -> dict[str, int]:
    """Weighted lexicon hits per context in a text."""
    low = text.lower()
    scores: dict[str, int] = {}
    for name, weight, pattern in lexicon():
        n = sum(1 for _ in pattern.finditer(low))
        if n:
            scores[name] = n * weight
    return scores


def story_contexts(text: str, title: str | None = None, threshold: int | None = None
                   ) -> list[str]:
    """PLOVER contexts of a whole story, in the order of the PLOVER list.

    The default threshold grows with length (2 + one per 400 words) so that a long story
    does not collect every context it touches once or twice.
    """
    if threshold is None:
        threshold = 2 + len(text.split()) // 400
    scores = context_scores(text)
    for name, s in context_scores(title or "").items():
        scores[name] = scores.get(name, 0) + 2 * s
    return [c for c in ontology.contexts() if scores.get(c, 0) >= threshold]


def event_contexts(sentence: str, cameo: str | None, story: list[str]) -> list[str]:
    """Contexts of one event: its CAMEO code's crosswalk contexts plus the story contexts
    (or decisive terms) its sentence supports."""
    found: set[str] = set()
    if cameo:
        entry = ontology.plover_for(cameo)
        if entry is not None:
            found.update(entry.contexts)
    scores = context_scores(sentence)
    for name, s in scores.items():
        if name in story or s >= 2:
            found.add(name)
    return [c for c in ontology.contexts() if c in found]
