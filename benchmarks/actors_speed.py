"""Actor mention finding speed on real stories: parse once, then time only find_mentions.

    .venv/bin/python benchmarks/actors_speed.py [--n 50] [--full-parse] [--corpus PATH]

By default stories are parsed the way the coder parses them (dateline.nlp.parse with the
event-sentence selector); --full-parse runs the whole spaCy pipeline on every sentence.
Prints dictionary load time, ms per story for find_mentions, and mention counts by kind.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "corpora" / "guardian_sample.jsonl.gz"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3, help="timed passes over the stories")
    ap.add_argument("--full-parse", action="store_true")
    ap.add_argument("--show", type=int, default=0, help="print the mentions of N stories")
    args = ap.parse_args(argv)

    from dateline import events, nlp
    from dateline.actors import find_mentions, load_dictionary
    from dateline.records import Document

    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(args.n), fh)]
    docs = [Document(text=r["text"], published=(r.get("date") or "")[:10] or None)
            for r in rows]
    words = sum(len(d.text.split()) for d in docs)

    t0, c0 = time.perf_counter(), time.process_time()
    load_dictionary()
    load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0

    t0 = time.perf_counter()
    if args.full_parse:
        model = nlp.load()
        sdocs = list(model.pipe([d.text for d in docs]))
    else:
        sdocs = nlp.parse_many([d.text for d in docs], select=events.may_hold_event)
    parse_s = time.perf_counter() - t0

    per_story: list[float] = []
    cpu_ms = 0.0
    kinds: Counter[str] = Counter()
    coded: Counter[str] = Counter()
    for rep in range(args.repeat):
        for doc, sdoc in zip(docs, sdocs):
            t, c = time.perf_counter(), time.process_time()
            mentions = find_mentions(doc, sdoc)
            per_story.append((time.perf_counter() - t) * 1000)
            cpu_ms += (time.process_time() - c) * 1000
            if rep == 0:
                kinds.update(m.kind for m in mentions)
                coded.update("coded" if m.actor.code else "uncoded" for m in mentions)
    if args.show:
        for doc, sdoc in list(zip(docs, sdocs))[:args.show]:
            print("----", doc.published, doc.text[:80].replace("\n", " "))
            for m in find_mentions(doc, sdoc):
                print(f"  {m.kind:8} {m.actor.code or '-':10} {m.text!r} -> {m.actor.name}")

    print(f"stories: {len(docs)}  words: {words} ({words / len(docs):.0f}/story)")
    print(f"parse ({'full' if args.full_parse else 'coder selection'}): {parse_s:.1f} s")
    print(f"dictionary load: {load_s:.2f} s wall, {load_cpu:.2f} s CPU")
    print(f"find_mentions: mean {statistics.mean(per_story):.2f} ms/story, "
          f"median {statistics.median(per_story):.2f}, "
          f"p95 {sorted(per_story)[int(0.95 * len(per_story)) - 1]:.2f} "
          f"({args.repeat} passes, wall clock); CPU {cpu_ms / len(per_story):.2f} ms/story")
    total = sum(kinds.values())
    print(f"mentions: {total} ({total / len(docs):.1f}/story) "
          + ", ".join(f"{k} {v}" for k, v in kinds.most_common())
          + f"; with a code: {coded['coded']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
