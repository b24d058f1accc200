"""Dictionary matching over a token sequence: longest phrase first, left to right."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress

from dateline.actors.dictionary import ActorDictionary, Entry, fold

# Which kind wins when one phrase names several entities of equal priority.
_KIND_ORDER = {"person": 0, "org": 1, "country": 2, "capital": 3, "agent": 4, "place": 5}
# Single words that are names only when written in capitals ("US" vs "us", "WHO" vs "who").
_COMMON = frozenset({
    "us", "who", "it", "am", "an", "in", "on", "is", "as", "at", "be", "by", "do", "go", "he",
    "me", "my", "no", "of", "or", "so", "to", "up", "we", "us.", "un", "hi", "oh", "ok", "may",
    "will", "march", "nice", "reading"})
NAMED_KINDS = frozenset({"person", "org", "country", "capital", "place"})


@dataclass(slots=True)  # slots: the actors stage keeps thousands (see actors._STRINGS)
class Token:
    """What matching needs from a token: folded form, surface and whether it is capitalised."""

    norm: str
    text: str
    cap: bool  # starts with an upper-case letter or a digit


def make_tokens(texts: Sequence[str]) -> list[Token]:
    """Tokens of surface strings (a folded form equal to its surface shares its string)."""
    out = []
    for t in texts:
        norm = fold(t)
        out.append(Token(t if norm == t else norm, t,
                         bool(t[:1]) and (t[:1].isupper() or t[:1].isdigit())))
    return out


@dataclass
class Match:
    start: int  # token index
    end: int  # exclusive
    entry: Entry
    entries: list[Entry]
    as_kind: str | None = None  # e.g. an "org" entry that the parse shows to be a person

    @property
    def kind(self) -> str:
        return self.as_kind or self.entry.kind


def _choose(entries: list[Entry]) -> Entry:
    top = entries[0].priority
    best = [e for e in entries if e.priority == top]
    return min(best, key=lambda e: _KIND_ORDER.get(e.kind, 9))


def _acceptable(entries: list[Entry], toks: Sequence[Token], i: int, j: int,
                lowercase_doc: bool) -> list[Entry]:
    """Drop readings the surface rules out: lower-case names, 'us' as the United States."""
    first = toks[i]
    out = []
    for e in entries:
        if e.kind in NAMED_KINDS and not lowercase_doc:
            if not first.cap:
                continue
            if j - i == 1 and first.norm in _COMMON and not first.text.isupper():
                continue
        if e.kind in NAMED_KINDS and j - i == 1 and first.norm in _COMMON and lowercase_doc:
            continue
        out.append(e)
    return out


def match_tokens(toks: Sequence[Token], dictionary: ActorDictionary,
                 lowercase_doc: bool = False, norms: list[str] | None = None) -> list[Match]:
    """Greedy longest matches of dictionary phrases; a leading 'the' is skipped, not matched.

    `norms` are the tokens' folded forms when the caller has them as a list already."""
    out: list[Match] = []
    n = len(toks)
    first = dictionary.first
    index = dictionary.index
    pairs = dictionary.first_pairs()
    if norms is None:
        norms = [t.norm for t in toks]
    done = 0  # tokens before this index are inside an earlier match
    singles = dictionary.single_words()
    # only positions whose word starts some phrase can start a match
    for i in compress(range(n), map(first.__contains__, norms)):
        if i < done:
            continue
        word = norms[i]
        # a phrase of two or more tokens needs its first two here; without them only the
        # word alone can match (most starting words, "in", "a", "said", start longer ones only)
        if i + 1 < n and (word, norms[i + 1]) in pairs:
            lengths = first[word]
        elif word in singles:
            lengths = (1,)
        else:
            continue
        for length in lengths:
            j = i + length
            if j > n:
                continue
            entries = index.get(tuple(norms[i:j]))
            if not entries:
                continue
            entries = _acceptable(entries, toks, i, j, lowercase_doc)
            if entries:
                found = Match(i, j, _choose(entries), entries)
                # a stop entry (code "---") blocks the phrase and yields nothing
                if found.entry.default is not None or found.entry.dated:
                    out.append(found)
                done = j
                break
    return out
