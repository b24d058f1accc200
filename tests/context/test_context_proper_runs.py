"""The locator's proper-noun runs, read from the document's token table, are the runs a walk
over the spaCy tokens finds, with and without the story text noted."""

from __future__ import annotations

import gzip
import json

from dateline import nlp
from dateline.context import locator as locator_mod
from dateline.context.locator import _ARTICLES, _NOT_PLACE_ENTS, _sentence_candidates
from dateline.context.places import _NOT_PLACE_WORDS, PlaceMention, find_places, note_text

TEXTS = [
    ("Rebels stormed Al-Fijah and Tal al-Abyad on Friday, the U.N. said, while Kurdish fighters "
     "held Ras al-Ain and Deir ez-Zor, near Raqqa.\u00a0Saudi Arabia and the White House said "
     "nothing about Najarah in January."),
    ("President Trump met Prime Minister Theresa May at the White House on Monday; Mr Kim "
     "flew from Pyongyang to Hanoi\u2011Noi Bai for talks with the US delegation."),
]


def _token_runs(sdoc, sent, places):
    """The runs as a walk over Tokens finds them (the definition the table stands for)."""
    def propn(tok):
        return tok.tag_ in ("NNP", "NNPS") and (tok.text[:1].isupper() or tok.lower_ in _ARTICLES)

    in_sent = [p for p in places if sent.start_char <= p.start < sent.end_char]
    taken = [(p.start, p.end) for p in in_sent]
    extra, run = [], []

    def flush():
        while run and not run[-1].text[:1].isupper():
            run.pop()
        if not run:
            return
        start, end = run[0].idx, run[-1].idx + len(run[-1])
        if not any(t.ent_type_ in _NOT_PLACE_ENTS for t in run) and not any(
                t.lower_ in _NOT_PLACE_WORDS for t in run) and not any(
                s < end and start < e for s, e in taken):
            extra.append((start, end, sdoc[run[0].i:run[-1].i + 1].text))
        run.clear()

    for tok in sent:
        if propn(tok) and (not run or run[-1].i == tok.i - 1):
            run.append(tok)
        elif run and tok.text in ("-", "\u2011") and not tok.whitespace_ \
                and not run[-1].whitespace_:
            run.append(tok)  # a hyphen inside a name
        else:
            flush()
            if propn(tok):
                run.append(tok)
    flush()
    return sorted([(p.start, p.end, p.text) for p in in_sent] + extra)


def _runs(sdoc, sent, places):
    return sorted((p.start, p.end, p.text) for p in _sentence_candidates(sdoc, sent, places))


def _check(text: str) -> int:
    sdoc = nlp.parse(text)
    found = find_places(text, sdoc, [])
    n = 0
    for noted in (False, True):
        locator_mod._TAGS.of(None)
        if noted:
            note_text(sdoc, text)
        for sent in sdoc.sents:
            want = _token_runs(sdoc, sent, found)
            assert _runs(sdoc, sent, found) == want, sent.text
            n += len(want)
    return n


def test_runs_equal_the_token_walk():
    assert sum(_check(t) for t in TEXTS) >= 16
    sdoc = nlp.parse(TEXTS[0])
    sent = next(iter(sdoc.sents))
    texts = [p.text for p in _sentence_candidates(sdoc, sent, [])]
    assert "Al-Fijah" in texts and "Tal al-Abyad" in texts
    assert all(isinstance(p, PlaceMention) for p in _sentence_candidates(sdoc, sent, []))


def test_runs_equal_the_token_walk_on_news(shared_dir):
    path = shared_dir / "data" / "corpora" / "guardian_sample.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"][:3000] for _, line in zip(range(6), fh)]
    assert sum(_check(t) for t in texts) > 100
