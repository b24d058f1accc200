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
from itertools import accumulate, compress, count

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
        for term in _split_terms(row["terms"]):
            term = term.strip().lower()
            if not term:
                continue
            pat = re.escape(term).replace(r"\*", r"[\w-]*").replace(r"\(", "(?:")
            pat = pat.replace(r"\)", ")").replace(r"\|", "|").replace(r"\ ", r"\s+")
            alts.append(pat)
        alts.sort(key=len, reverse=True)
        out.append((name, int(row["weight"]), re.compile(r"\b(?:" + "|".join(alts) + r")\b")))
    return tuple(out)


def _split_terms(terms: str) -> list[str]:
    """Terms of a lexicon row, split on "|" outside parentheses ("primar(y|ies)" is one)."""
    out, depth, cur = [], 0, ""
    for ch in terms:
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


@lru_cache(maxsize=1)
def _index() -> tuple[dict, dict, dict]:
    """Term lookup tables: exact words, word prefixes ("traffick*"), and phrases by the first
    three letters of their first word (checked with a full match on the following words)."""
    text = (resources.files("dateline") / "data" / "contexts.tsv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    exact: dict[str, list[tuple[str, int]]] = {}
    prefix: dict[str, list[tuple[str, int]]] = {}
    phrases: dict[str, list[tuple[re.Pattern[str], int, str, int]]] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        name, weight = row["context"].strip(), int(row["weight"])
        for term in _split_terms(row["terms"]):
            term = term.strip().lower()
            if not term:
                continue
            plain = not any(ch in term for ch in " ()*")
            if plain:
                exact.setdefault(term, []).append((name, weight))
            elif " " not in term and "(" not in term and term.endswith("*") \
                    and term.count("*") == 1:
                prefix.setdefault(term[:-1], []).append((name, weight))
            else:
                pat = re.escape(term).replace(r"\*", r"[\w'-]*").replace(r"\(", "(?:")
                pat = pat.replace(r"\)", ")").replace(r"\|", "|").replace(r"\ ", " ")
                words = term.split()
                phrases.setdefault(words[0][:3], []).append(
                    (re.compile(pat), len(words), name, weight))
    return exact, prefix, phrases


def _word_contexts(word: str) -> tuple[tuple[str, int], ...]:
    """(context, weight) of one word through the exact and prefix tables (asked once per
    word: `_note_words` keeps the answers that hold anything)."""
    exact, prefix, _ = _index()
    found: dict[str, int] = {}
    for name, weight in exact.get(word, ()):
        found[name] = max(found.get(name, 0), weight)
    for n in range(3, len(word) + 1):
        for name, weight in prefix.get(word[:n], ()):
            found[name] = max(found.get(name, 0), weight)
    return tuple(found.items())


_TOKEN_SPLIT_RE = re.compile("(" + _TOKEN_RE.pattern + ")")
_Phrase = tuple[re.Pattern[str], int, str, int]
_SEEN: set[str] = set()  # words looked up in the lexicon (those with entries are in _ENTRIES)
# Words kept in _SEEN before both are emptied: ~90 B a word, so ~2 MiB at most (the
# Guardian sample's 249 stories hold ~15,500 words).
_SEEN_BOUND = 25_000
_ENTRIES: dict[str, tuple[tuple[tuple[str, int], ...], tuple[_Phrase, ...]]] = {}


@lru_cache(maxsize=1)
def _first_words() -> dict[int, re.Pattern[str] | None]:
    """Per phrase pattern (by id): the pattern of its first word, which the phrase's first
    token must match (words hold no spaces, nor do the term's wildcards); None when the
    first word cannot be cut out (a bracket holding a space)."""
    out: dict[int, re.Pattern[str] | None] = {}
    for cands in _index()[2].values():
        for pat, _, _, _ in cands:
            head = pat.pattern.split(" ")[0]
            try:
                out[id(pat)] = re.compile(head) if head.count("(") == head.count(")") else None
            except re.error:
                out[id(pat)] = None
    return out


def _note_words(words: set[str], phrases: dict[str, list[_Phrase]]) -> None:
    """Look up the words not met before: their exact and prefix terms, and the phrases that
    may open on them (`_ENTRIES`, for words with any)."""
    new = words - _SEEN
    if not new:
        return
    if len(_SEEN) + len(new) > _SEEN_BOUND:  # a bound on memory over a long run
        _SEEN.clear()
        _ENTRIES.clear()
        new = words
    first = _first_words()
    for word in new:
        starts = tuple(c for c in phrases.get(word[:3], ())
                       if first[id(c[0])] is None or first[id(c[0])].fullmatch(word))
        wc = _word_contexts(word)
        if wc or starts:
            _ENTRIES[word] = (wc, starts)
    _SEEN.update(new)


def context_hits(text: str) -> list[tuple[int, str, int]]:
    """(char offset, context, weight) of every lexicon hit, one per context per phrase."""
    _, _, phrases = _index()
    # Words and the gaps between them, alternately: a word's offset is the sum of the lengths
    # before it, and only the few words with lexicon entries are visited one by one.
    parts = _TOKEN_SPLIT_RE.split(text.lower().replace("’", "'"))
    toks = parts[1::2]
    _note_words(set(toks), phrases)
    entries = _ENTRIES
    hits: list[tuple[int, str, int]] = []
    covered: dict[str, int] = {}  # context -> token index its last phrase hit reaches
    ends: list[int] | None = None
    for i in compress(count(), map(entries.__contains__, toks)):
        wc, starts = entries[toks[i]]
        found = {name: (weight, 1) for name, weight in wc}
        for pat, n, name, weight in starts:
            if pat.fullmatch(" ".join(toks[i:i + n])):
                found[name] = max(found.get(name, (0, 1)), (weight, n))
        for name, (weight, span) in found.items():
            if covered.get(name, -1) > i:
                continue
            if ends is None:
                ends = list(accumulate(map(len, parts)))
            hits.append((ends[2 * i], name, weight))
            covered[name] = i + span
    return hits


def _scores(hits: list[tuple[int, str, int]], lo: int = 0, hi: int | None = None
            ) -> dict[str, int]:
    scores: dict[str, int] = {}
    for pos, name, weight in hits:
        if pos >= lo and (hi is None or pos < hi):
            scores[name] = scores.get(name, 0) + weight
    return scores


def context_scores(text: str) -> dict[str, int]:
    """Weighted lexicon hits per context in a text."""
    return _scores(context_hits(text))


def story_contexts(text: str, title: str | None = None, threshold: int | None = None,
                   hits: list[tuple[int, str, int]] | None = None) -> list[str]:
    """PLOVER contexts of a whole story, in the order of the PLOVER list.

    The default threshold grows with length (2 + one per 400 words) so that a long story
    does not collect every context it touches once or twice. `hits` may be passed when
    already computed with `context_hits(text)`.
    """
    if threshold is None:
        threshold = 2 + len(text.split()) // 400
    scores = _scores(hits if hits is not None else context_hits(text))
    for name, s in (context_scores(title) if title else {}).items():
        scores[name] = scores.get(name, 0) + 2 * s
    return [c for c in ontology.contexts() if scores.get(c, 0) >= threshold]


def event_contexts(sentence: str, cameo: str | None, story: list[str],
                   hits: list[tuple[int, str, int]] | None = None,
                   span: tuple[int, int] | None = None) -> list[str]:
    """Contexts of one event: its CAMEO code's crosswalk contexts plus the story contexts
    (or decisive terms) its sentence supports. With `hits` (story hits) and `span` (the
    sentence's offsets) the sentence is not scanned again."""
    found: set[str] = set()
    if cameo:
        entry = ontology.plover_for(cameo)
        if entry is not None:
            found.update(entry.contexts)
    if hits is not None and span is not None:
        scores = _scores(hits, span[0], span[1])
    else:
        scores = context_scores(sentence)
    for name, s in scores.items():
        if name in story or s >= 2:
            found.add(name)
    return [c for c in ontology.contexts() if c in found]
