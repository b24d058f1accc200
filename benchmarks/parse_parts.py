"""CPU of the pieces of the parse stage (and the other stages), one story at a time.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/parse_parts.py [--start 0] [--end 200]

Codes Guardian stories with `code_document` (as the CLI's workers) and prints CPU ms/story per
piece: spaCy's analysis (tok2vec+tagger+parser, NER), the tokenizer (`make_doc`: the warm-up's
and the story's; `warm` includes its own), sentence selection (`may_hold_event`), morphology,
and our glue; then the other stages. The pieces are timed by wrapping the module functions, so
nested pieces are also inside their callers' figures (`parse_many` holds most of them).
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import defaultdict
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpora" / \
    "guardian_sample.jsonl.gz"
T: dict[str, float] = defaultdict(float)
N: dict[str, int] = defaultdict(int)
clock = time.process_time


def wrap(owner, name: str, key=None) -> None:
    """Replace owner.name by a wrapper that adds its CPU time to T[key(args) or name]."""
    f = getattr(owner, name)

    def timed(*a, **k):
        kk = key(a, k) if key else name
        t = clock()
        try:
            return f(*a, **k)
        finally:
            T[kk] += clock() - t
            N[kk] += 1

    setattr(owner, name, timed)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--end", type=int, default=200)
    ap.add_argument("--corpus", default=str(CORPUS))
    args = ap.parse_args()

    from dateline import actors, coder, context, events, nlp
    from dateline.records import Document

    wrap(nlp, "_analyse",
         key=lambda a, k: "analyse: " + ("ner" if list(a[1]) == ["ner"] else "tok2vec+tagger+parser"))
    for name in ("_split_sentences", "_analysis_docs", "_copy_parse", "_restore_sentence_starts",
                 "warm", "_token_texts", "_name_flags", "parse_many"):
        wrap(nlp, name)
    wrap(nlp._Morphology, "__call__", key=lambda a, k: "morphology")
    wrap(events, "may_hold_event")
    wrap(actors, "find_mentions")
    wrap(events, "extract_events")
    wrap(context, "enrich")
    pipeline = nlp.load()
    make_doc = pipeline.make_doc

    def timed_make_doc(text):
        t = clock()
        try:
            return make_doc(text)
        finally:
            T["make_doc"] += clock() - t
            N["make_doc"] += 1

    pipeline.make_doc = timed_make_doc
    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    docs = [Document(text=r["text"], published=(r.get("date") or "")[:10] or None,
                     source=r.get("source")) for r in rows]
    for d in docs[-2:]:
        coder.code_document(d)  # model loads, outside the measured stories
    T.clear()
    N.clear()
    todo = docs[args.start:args.end]
    t = clock()
    for d in todo:
        coder.code_document(d)
    n = max(1, len(todo))
    print(f"{len(todo)} stories: {1000 * (clock() - t) / n:.1f} CPU ms/story in all")
    for k, v in sorted(T.items(), key=lambda x: -x[1]):
        print(f"  {k:32s} {1000 * v / n:7.2f} ms/story  ({N[k]} calls)")


if __name__ == "__main__":
    main()
