"""CPU of the pieces of the parse stage (and the other stages), one story at a time.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/parse_parts.py [--start 0] [--end 200]

Codes Guardian stories with `code_document` (as the CLI's workers) and prints CPU ms/story per
piece: spaCy's analysis (tok2vec+tagger+parser, NER), the tokenizer (`make_doc`: the warm-up's
and the story's; `warm` includes its own), sentence selection (`may_hold_event`), morphology,
and our glue; then the other stages. The pieces are timed by wrapping the module functions, so
nested pieces are also inside their callers' figures (`parse_many` holds most of them).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/parse_parts.py --ab REF_SRC [--rounds 3]

--ab compares the parse stage (`warm` + `parse`, as `code_document` runs them) and the actors
stage of another source tree (REF_SRC: a `src` folder holding `dateline`, e.g. `git archive`
of an older commit) with this one in one process: the reference is copied and renamed
`dateline_ref` (its own spaCy pipeline), and the two trees run alternately on every story (the
order flips every story and round), so load from other jobs falls on both alike; what is loaded
is frozen out of the garbage collector first, as in the CLI's workers. It also
checks that both trees give the same parse (every token attribute the stages read) and the
same mentions.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import defaultdict
from pathlib import Path

from reftree import renamed_copy  # benchmarks/ is the script's folder

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


_CHECKED = ["ORTH", "IDX", "SENT_START", "TAG", "POS", "LEMMA", "DEP", "HEAD", "ENT_IOB",
            "ENT_TYPE"]


def _signature(sdoc, mentions) -> tuple:
    """What the later stages read of a parse and of the mentions, in comparable form."""
    arr = sdoc.to_array(_CHECKED)
    strings = sdoc.vocab.strings
    rows = tuple(tuple(strings[int(v)] if a in ("ORTH", "TAG", "POS", "LEMMA", "DEP",
                                                "ENT_TYPE") else int(v)
                       for a, v in zip(_CHECKED, row)) for row in arr)
    ments = tuple((m.start, m.end, m.kind, m.token_start, m.token_end, m.head, m.group,
                   m.antecedent, repr(m.actor)) for m in mentions)
    return rows, ments, sdoc.user_data.get("dateline_analysed")


def ab(ref_src: str, docs: list, rounds: int) -> None:
    """CPU ms/story of parse (warm + parse) and find_mentions: reference tree vs this one."""
    import importlib
    import sys

    sys.path.insert(0, renamed_copy(ref_src))
    trees = {}
    for label, pkg in (("reference", "dateline_ref"), ("this tree", "dateline")):
        mods = [importlib.import_module(f"{pkg}.{m}") for m in ("nlp", "actors", "events")]
        trees[label] = mods
    for nlp_mod, actors_mod, events_mod in trees.values():  # loads, outside the timing
        for d in docs[-2:]:
            nlp_mod.warm([d.text])
            with nlp_mod.zone():
                actors_mod.find_mentions(d, nlp_mod.parse(d.text, select=events_mod.may_hold_event))
    import gc

    gc.collect()  # as a coding worker does once loaded (coder.settle_worker): no full
    gc.freeze()   # collection of the loaded models lands in one tree's timing
    total = {k: [[0.0, 0.0] for _ in range(rounds)] for k in trees}
    todo = docs[:-2]
    differ = 0
    for r in range(rounds):
        for i, d in enumerate(todo):
            order = list(trees) if (i + r) % 2 == 0 else list(trees)[::-1]
            sigs = []
            for k in order:
                nlp_mod, actors_mod, events_mod = trees[k]
                t0 = clock()
                nlp_mod.warm([d.text])
                with nlp_mod.zone():
                    sdoc = nlp_mod.parse(d.text, select=events_mod.may_hold_event)
                    t1 = clock()
                    mentions = actors_mod.find_mentions(d, sdoc)
                    t2 = clock()
                    if r == 0:
                        sigs.append(_signature(sdoc, mentions))
                total[k][r][0] += t1 - t0
                total[k][r][1] += t2 - t1
            if r == 0 and sigs[0] != sigs[1]:
                differ += 1
    print(f"stories: {len(todo)} x {rounds} rounds, CPU ms/story; stories whose parse or "
          f"mentions differ: {differ}")
    for k, per_round in total.items():
        p, a = (sum(x[j] for x in per_round) / (len(todo) * rounds) * 1000 for j in (0, 1))
        rounds_text = " ".join(f"{1000 * x[0] / len(todo):.1f}/{1000 * x[1] / len(todo):.2f}"
                               for x in per_round)
        print(f"{k:10s} parse {p:6.2f}  actors {a:6.2f}  sum {p + a:6.2f}   "
              f"(parse/actors by round: {rounds_text})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--end", type=int, default=200)
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--ab", metavar="REF_SRC", help="compare with this source tree")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if args.ab:
        from dateline.records import Document

        with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh]
        docs = [Document(text=r["text"], published=(r.get("date") or "")[:10] or None,
                         source=r.get("source")) for r in rows]
        ab(args.ab, docs[args.start:args.end] + docs[-2:], args.rounds)
        return

    from dateline import actors, coder, context, events, nlp
    from dateline.records import Document

    wrap(nlp, "_analyse",
         key=lambda a, k: "analyse: " + ("ner" if list(a[1]) == ["ner"] else "tok2vec+tagger+parser"))
    for name in ("_split_sentences", "_analysis_docs", "_copy_parse", "_restore_sentence_starts",
                 "warm", "_token_table", "_name_flags", "parse_many"):
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
