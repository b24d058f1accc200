"""Milliseconds per story of the context stage (dateline.context.enrich) on the Guardian sample.

Usage: .venv/bin/python benchmarks/context_speed.py [N_STORIES]   (default 60; 1 process)

Times are CPU seconds of this process (time.process_time), so other jobs on a shared machine
do not inflate them. Earlier stages (parse, actors, events) are timed apart, so the context
stage's share of the coder's time can be read; one story runs first, untimed, to load
models, gazetteer and lexicons (a once-per-process cost, reported separately).
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import time
from pathlib import Path

from dateline import actors, context, events, nlp
from dateline.context import claims, dates, locator, places, quotes, topics
from dateline.records import CodedDocument, Document

clock = time.process_time
CORPUS = Path(__file__).resolve().parents[2] / "shared/data/corpora/guardian_sample.jsonl.gz"


def main(n: int = 60) -> None:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh][:n]
    t0 = clock()
    places.gazetteer()
    topics.lexicon()
    topics.context_hits("warm up the lexicon index")
    load_s = clock() - t0
    warm = Document(text=rows[0]["text"], published="2019-01-01")
    warm_sdoc = nlp.parse(warm.text, select=events.may_hold_event)
    warm_mentions = actors.find_mentions(warm, warm_sdoc)
    context.enrich(CodedDocument(doc=warm, events=events.extract_events(
        warm, warm_sdoc, warm_mentions)), warm_sdoc, warm_mentions)
    prepared = []
    earlier: list[float] = []
    for row in rows:
        doc = Document(text=row["text"], published=(row.get("date") or "")[:10] or None)
        t = clock()
        sdoc = nlp.parse(doc.text, select=events.may_hold_event)
        mentions = actors.find_mentions(doc, sdoc)
        evs = events.extract_events(doc, sdoc, mentions)
        earlier.append(clock() - t)
        prepared.append((doc, sdoc, mentions, evs))
    parts = {"dates": [], "places": [], "locate": [], "topics": [], "quotes": [], "claims": [],
             "enrich": []}
    n_events = 0
    for doc, sdoc, mentions, evs in prepared:
        text = doc.text
        t = clock()
        found = dates.find_dates(text, doc.published)
        parts["dates"].append(clock() - t)
        t = clock()
        found_places = places.find_places(text, sdoc, mentions)
        places.dateline_place(text)
        parts["places"].append(clock() - t)
        t = clock()  # every event's place (the learned locator), as enrich asks for it
        for ev in evs:
            trigger = context._trigger_token(sdoc, ev)
            if trigger is not None:
                places.locate(sdoc, trigger, found_places)
        parts["locate"].append(clock() - t)
        t = clock()
        topics.story_contexts(text)
        parts["topics"].append(clock() - t)
        t = clock()
        quotes.find_quotes(text, sdoc, mentions)
        parts["quotes"].append(clock() - t)
        t = clock()
        claims.find_claims(text, sdoc, mentions, found)
        parts["claims"].append(clock() - t)
        coded = CodedDocument(doc=doc, events=evs)
        for memo in (places._TOKENS, places._ROOTS, places._SENTS, places._ANCESTORS, locator._CANDIDATES,
                     locator._SENT_WORDS):
            memo.of(None)  # enrich must not reuse what the "locate" timing memoised
        t = clock()
        context.enrich(coded, sdoc, mentions)
        parts["enrich"].append(clock() - t)
        n_events += len(evs)
    words = statistics.mean(len(d.text.split()) for d, *_ in prepared)
    print(f"stories: {len(prepared)}  mean words: {words:.0f}  events: {n_events}")
    print(f"one-off load (gazetteer + lexicons): {load_s * 1000:.0f} ms CPU")
    print(f"locate: {sum(parts['locate']) * 1000 / max(1, n_events):.2f} ms CPU per event")
    before = statistics.median(earlier)
    share = statistics.median(parts["enrich"]) / (before + statistics.median(parts["enrich"]))
    print(f"earlier stages (parse+actors+events, one story at a time) median {before * 1000:.1f}"
          f" ms/story; context share of the coder's time (medians): {share:.1%}")
    for name, vals in parts.items():
        print(f"{name:8s} mean {statistics.mean(vals) * 1000:6.2f} ms/story   "
              f"median {statistics.median(vals) * 1000:6.2f}   max {max(vals) * 1000:6.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
