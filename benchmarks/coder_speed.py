"""Coder throughput on real stories, split by stage (one process).

    .venv/bin/python benchmarks/coder_speed.py [--n 50] [--corpus PATH] [--full-parse] [--settle]

Prints CPU ms/story for nlp.parse (selective, with the tokenizer warm-up), actors.find_mentions,
events.extract_events, context.enrich (each story inside a memory zone, as the coder runs), and
the share of sentences analysed; then the end-to-end rate of code_documents (batched) and of
code_document (one story at a time, as the CLI and its workers) on the next --n stories and the
--n after those, so that no pass reuses words an earlier pass kept (nlp.warm).
--full-parse also times the full spaCy pipeline on every sentence, for comparison.
--settle freezes what the warm-up loaded, as the CLI's worker processes do (coder.settle_worker).
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "guardian_sample.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--full-parse", action="store_true")
    ap.add_argument("--settle", action="store_true")
    args = ap.parse_args()

    from dateline import actors, context, events, nlp
    from dateline.coder import code_document, code_documents
    from dateline.records import CodedDocument, Document

    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    every = [Document(text=r["text"], published=(r.get("date") or "")[:10] or None,
                      source=r.get("source")) for r in rows]
    docs = every[: args.n]
    # disjoint stories for the two end-to-end passes where the corpus has enough
    batched = every[args.n: 2 * args.n] if len(every) >= 2 * args.n else docs
    single = every[2 * args.n: 3 * args.n] if len(every) >= 3 * args.n else batched
    words = sum(len(d.text.split()) for d in docs)

    warm = getattr(nlp, "warm", lambda texts: 0)  # absent before session 3
    # warm up: model loads, dictionaries, classifier
    list(code_documents(docs[:2]))
    if args.settle:
        from dateline.coder import settle_worker

        settle_worker()

    # CPU time of this process: on a shared machine wall time mostly measures the neighbours.
    clock = time.process_time
    t = {"parse": 0.0, "actors": 0.0, "events": 0.0, "context": 0.0}
    n_sents = n_analysed = n_events = 0
    wall0 = time.perf_counter()
    for d in docs:
        # as coder.code_document does: warm the tokenizer, then code inside a memory zone
        t0 = clock()
        warm([d.text])
        with nlp.zone():
            sdoc = nlp.parse(d.text, select=events.may_hold_event)
            t1 = clock()
            mentions = actors.find_mentions(d, sdoc)
            t2 = clock()
            evs = events.extract_events(d, sdoc, mentions)
            t3 = clock()
            context.enrich(CodedDocument(doc=d, events=evs), sdoc, mentions)
            t4 = clock()
            sents = list(sdoc.sents)
            n_sents += len(sents)
            n_analysed += sum(1 for s in sents if nlp.is_analysed(s))
        t["parse"] += t1 - t0
        t["actors"] += t2 - t1
        t["events"] += t3 - t2
        t["context"] += t4 - t3
        n_events += len(evs)
    wall = time.perf_counter() - wall0
    n = len(docs)
    print(f"stories: {n}, words/story: {words / n:.0f}, pipeline: {nlp.pipeline_name()}")
    print(f"per stage, CPU ms/story (wall for the loop: {1000 * wall / n:.1f} ms/story)")
    for k, v in t.items():
        print(f"  {k:8s} {1000 * v / n:7.1f} ms/story")
    total = sum(t.values())
    print(f"  {'sum':8s} {1000 * total / n:7.1f} ms/story  ({n / total:.1f} stories/s, "
          f"{words / total:.0f} words/s)")
    print(f"sentences analysed: {n_analysed}/{n_sents} ({n_analysed / max(1, n_sents):.0%}); "
          f"events: {n_events} ({n_events / max(1, n_analysed):.2f} per analysed sentence, "
          f"{n_events / n:.1f} per story)")

    t0, c0 = time.perf_counter(), clock()
    out = list(code_documents(batched))
    dt, dc = time.perf_counter() - t0, clock() - c0
    rejected = sum(1 for c in out if c.rejected)
    nb, wb = len(batched), sum(len(d.text.split()) for d in batched)
    print(f"end to end code_documents (batched, {wb / nb:.0f} words/story): CPU "
          f"{1000 * dc / nb:.1f} ms/story ({nb / dc:.1f} stories/s per core, {wb / dc:.0f} "
          f"words/s), wall {1000 * dt / nb:.1f} ms/story; rejected: {rejected}")
    t0, c0 = time.perf_counter(), clock()
    out = [code_document(d) for d in single]
    dt, dc = time.perf_counter() - t0, clock() - c0
    ns, ws = len(single), sum(len(d.text.split()) for d in single)
    print(f"end to end code_document (one at a time, as the CLI and its workers; "
          f"{ws / ns:.0f} words/story): CPU {1000 * dc / ns:.1f} ms/story ({ns / dc:.1f} "
          f"stories/s per core, {ws / dc:.0f} words/s), wall {1000 * dt / ns:.1f} ms/story")

    if args.full_parse:
        full = nlp.load()
        c0 = clock()
        list(full.pipe([d.text for d in docs]))
        dc = clock() - c0
        print(f"reference: spaCy full pipeline on the whole text: CPU {1000 * dc / n:.1f} ms/story")


if __name__ == "__main__":
    main()
