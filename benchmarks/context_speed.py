"""Milliseconds per story of the context stage (dateline.context.enrich) on the Guardian sample.

Usage: .venv/bin/python benchmarks/context_speed.py [N_STORIES]   (default 60; 1 process)
       .venv/bin/python benchmarks/context_speed.py --ab REF_SRC [N_STORIES] [ROUNDS]
       .venv/bin/python benchmarks/context_speed.py --min-ab REF_SRC [N_STORIES] [REPEATS]
       .venv/bin/python benchmarks/context_speed.py --locate-ab REF_SRC [N_STORIES] [ROUNDS]
       .venv/bin/python benchmarks/context_speed.py --topics-ab REF_SRC [N_STORIES] [ROUNDS]
       .venv/bin/python benchmarks/context_speed.py --load-ab REF_SRC   (gazetteer start-up)

--ab compares the events and context stages of another source tree (REF_SRC: a `src` folder
holding `dateline`, e.g. an older commit's `git archive`) with this one in one process: the
reference is copied and renamed `dateline_ref`, every story is parsed once, and the two trees'
`extract_events` + `enrich` run alternately on each story (the order flips every story and
round), so load from other jobs falls on both alike.

--min-ab times `enrich` alone, the reference's and this tree's, REPEATS times each per story
(alternating, the per-document memos of both trees emptied before every run, events copied
afresh), and sums each tree's fastest run per story: the minimum drops the runs other jobs
slowed down. On a busy machine (load 5 on 2 cores) --ab's sums moved up to 20 % between two
copies of the same tree; the minima agree within a few percent.

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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reftree import renamed_copy  # benchmarks/ is the script's folder

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
        for memo in _doc_memos("dateline"):
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


def _parsed(n: int) -> Iterator[tuple[Document, Any, list]]:
    """The first `n` Guardian stories, parsed and with their actor mentions, as the coder
    has them when its events and context stages run."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh][:n]
    for row in rows:
        doc = Document(text=row["text"], published=(row.get("date") or "")[:10] or None)
        sdoc = nlp.parse(doc.text, select=events.may_hold_event)
        yield doc, sdoc, actors.find_mentions(doc, sdoc)


def ab(ref_src: str, n: int = 60, rounds: int = 4) -> None:
    """CPU ms/story of extract_events and enrich: the reference tree against this one."""
    import importlib

    sys.path.insert(0, renamed_copy(ref_src))
    ref_events = importlib.import_module("dateline_ref.events")
    ref_context = importlib.import_module("dateline_ref.context")
    ref_coded = importlib.import_module("dateline_ref.records").CodedDocument
    data = list(_parsed(n))
    trees = {"reference": (ref_events, ref_context, ref_coded),
             "this tree": (events, context, CodedDocument)}
    for ev, cx, coded in trees.values():  # warm up both: models, lexicons, gazetteer
        d, s, m = data[0]
        cx.enrich(coded(doc=d, events=ev.extract_events(d, s, m)), s, m)
    total = {k: [0.0, 0.0] for k in trees}
    for r in range(rounds):
        for i, (d, s, m) in enumerate(data):
            order = list(trees) if (i + r) % 2 == 0 else list(trees)[::-1]
            for k in order:
                ev, cx, coded = trees[k]
                t0 = clock()
                evs = ev.extract_events(d, s, m)
                t1 = clock()
                cx.enrich(coded(doc=d, events=evs), s, m)
                total[k][0] += t1 - t0
                total[k][1] += clock() - t1
    runs = len(data) * rounds
    print(f"stories: {len(data)} x {rounds} rounds, CPU ms/story")
    for k, (e, c) in total.items():
        print(f"{k:10s} events {1000 * e / runs:6.2f}  context {1000 * c / runs:6.2f}  "
              f"sum {1000 * (e + c) / runs:6.2f}")


def _doc_memos(package: str) -> list[Any]:
    """Every per-document memo (DocMemo) of a tree's context modules."""
    import importlib

    memo_type = importlib.import_module(package + ".context.memo").DocMemo
    out = []
    for name in ("claims", "dates", "locator", "places", "quotes", "topics"):
        mod = importlib.import_module(f"{package}.context.{name}")
        out.extend(v for v in vars(mod).values() if isinstance(v, memo_type))
    return out


def min_ab(ref_src: str, n: int = 60, repeats: int = 5) -> None:
    """CPU ms/story of enrich, the reference tree against this one: per story the fastest of
    `repeats` runs each (alternating, memos emptied, events copied afresh), summed."""
    import copy
    import importlib

    sys.path.insert(0, renamed_copy(ref_src))
    ref_events = importlib.import_module("dateline_ref.events")
    trees = {"reference": (importlib.import_module("dateline_ref.context"),
                           importlib.import_module("dateline_ref.records").CodedDocument,
                           _doc_memos("dateline_ref")),
             "this tree": (context, CodedDocument, _doc_memos("dateline"))}
    data = [(d, s, m, ref_events.extract_events(d, s, m)) for d, s, m in _parsed(n)]
    for cx, coded, _ in trees.values():  # warm up both: lexicons, gazetteer, caches
        for d, s, m, evs in data:
            cx.enrich(coded(doc=d, events=copy.deepcopy(evs)), s, m)
    best = {k: [float("inf")] * len(data) for k in trees}
    for r in range(repeats):
        for i, (d, s, m, evs) in enumerate(data):
            for k in (list(trees) if (i + r) % 2 == 0 else list(trees)[::-1]):
                cx, coded, memos = trees[k]
                for memo in memos:
                    memo.of(None)
                doc = coded(doc=d, events=copy.deepcopy(evs))
                t0 = clock()
                cx.enrich(doc, s, m)
                best[k][i] = min(best[k][i], clock() - t0)
    ref, new = sum(best["reference"]), sum(best["this tree"])
    print(f"stories: {len(data)}, fastest of {repeats} runs each, CPU ms/story of enrich")
    print(f"reference {1000 * ref / len(data):6.2f}   this tree {1000 * new / len(data):6.2f}"
          f"   change {100 * (new - ref) / ref:+.1f} %")


def locate_ab(ref_src: str, n: int = 150, rounds: int = 2) -> None:
    """CPU ms/story of every event's `places.locate`, the reference tree against this one
    (alternating per story), after checking that both choose the same place with the same
    probability for every event."""
    import importlib

    sys.path.insert(0, renamed_copy(ref_src))
    trees = {"reference": (importlib.import_module("dateline_ref.context.places"),
                           importlib.import_module("dateline_ref.context.locator")),
             "this tree": (places, locator)}
    data = []
    for doc, sdoc, mentions in _parsed(n):
        triggers = [context._trigger_token(sdoc, ev)
                    for ev in events.extract_events(doc, sdoc, mentions)]
        triggers = [t for t in triggers if t is not None and context._analysed(t)]
        found = {k: pl.find_places(doc.text, sdoc, mentions) for k, (pl, _) in trees.items()}
        data.append((doc.text, sdoc, triggers, found))

    def best(k: str, text: str, sdoc: Any, trig: Any, found: list) -> Any:
        pl, loc = trees[k]
        if hasattr(pl, "note_text"):
            pl.note_text(sdoc, text)
        got = loc.load_locator().best(trig, loc.sentence_candidates(sdoc, trig.sent, found))
        return None if got is None else ((got[0].start, got[0].end, got[0].text), got[1])

    differ = sum(1 for text, sdoc, trigs, found in data for t in trigs
                 if best("reference", text, sdoc, t, found["reference"])
                 != best("this tree", text, sdoc, t, found["this tree"]))
    total = dict.fromkeys(trees, 0.0)
    for r in range(rounds):
        for i, (text, sdoc, trigs, found) in enumerate(data):
            for k in (list(trees) if (i + r) % 2 == 0 else list(trees)[::-1]):
                pl = trees[k][0]
                t0 = clock()
                if hasattr(pl, "note_text"):
                    pl.note_text(sdoc, text)
                for t in trigs:
                    pl.locate(sdoc, t, found[k])
                total[k] += clock() - t0
    print(f"stories: {len(data)} x {rounds} rounds, events: {sum(len(d[2]) for d in data)}, "
          f"events whose place or probability differ: {differ}")
    for k, v in total.items():
        print(f"{k:10s} locate {1000 * v / (len(data) * rounds):6.2f} ms CPU/story")


def topics_ab(ref_src: str, n: int = 100, rounds: int = 5) -> None:
    """CPU ms/story of the story's lexicon scan (`topics.context_hits`), the reference tree
    against this one (alternating per round), after checking that both find the same hits."""
    import importlib

    sys.path.insert(0, renamed_copy(ref_src))
    trees = {"reference": importlib.import_module("dateline_ref.context.topics").context_hits,
             "this tree": topics.context_hits}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh][:n]
    differ = sum(1 for t in texts if trees["reference"](t) != trees["this tree"](t))
    total = dict.fromkeys(trees, 0.0)
    for r in range(rounds):
        for k in (list(trees) if r % 2 else list(trees)[::-1]):
            t0 = clock()
            for text in texts:
                trees[k](text)
            total[k] += clock() - t0
    print(f"stories: {len(texts)} x {rounds} rounds, stories whose hits differ: {differ}")
    for k, v in total.items():
        print(f"{k:10s} context_hits {1000 * v / (len(texts) * rounds):6.3f} ms CPU/story")


def load_ab(ref_src: str, rounds: int = 6) -> None:
    """A worker's start-up cost of the gazetteer: unpickling it (the garbage collector off,
    as the start-up cache does) and the next full collection (the worker's settle), the
    reference tree's structure against this one's, alternately in one process."""
    import gc
    import importlib
    import pickle

    sys.path.insert(0, renamed_copy(ref_src))
    ref_places = importlib.import_module("dateline_ref.context.places")
    blobs = {"reference": pickle.dumps(ref_places.Gazetteer(), protocol=pickle.HIGHEST_PROTOCOL),
             "this tree": pickle.dumps(places.Gazetteer(), protocol=pickle.HIGHEST_PROTOCOL)}
    gc.collect()
    gc.freeze()  # what is loaded so far is not walked by the timed collections
    times: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in blobs}
    for r in range(rounds):
        for k in (list(blobs) if r % 2 else list(blobs)[::-1]):
            gc.disable()
            t0 = clock()
            loaded = pickle.loads(blobs[k])
            t1 = clock()
            gc.enable()
            gc.collect()
            times[k][0].append(t1 - t0)
            times[k][1].append(clock() - t1)
            del loaded
            gc.collect()
    for k, (load, collect) in times.items():
        print(f"{k:10s} pickle {len(blobs[k]) / 1e6:.1f} MB  unpickle median "
              f"{statistics.median(load) * 1000:.0f} ms CPU  full collection after it median "
              f"{statistics.median(collect) * 1000:.0f} ms CPU")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--ab":
        ab(sys.argv[2], *(int(a) for a in sys.argv[3:5]))
    elif len(sys.argv) > 2 and sys.argv[1] == "--min-ab":
        min_ab(sys.argv[2], *(int(a) for a in sys.argv[3:5]))
    elif len(sys.argv) > 2 and sys.argv[1] == "--locate-ab":
        locate_ab(sys.argv[2], *(int(a) for a in sys.argv[3:5]))
    elif len(sys.argv) > 2 and sys.argv[1] == "--topics-ab":
        topics_ab(sys.argv[2], *(int(a) for a in sys.argv[3:5]))
    elif len(sys.argv) > 2 and sys.argv[1] == "--load-ab":
        load_ab(sys.argv[2])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
