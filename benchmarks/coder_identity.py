"""Coded output of Guardian stories as JSONL, to diff two trees for pure speed changes.

    .venv/bin/python benchmarks/coder_identity.py OUT.jsonl [--start 0] [--end 100] [--batched]

One line per story (`code_document`, one story at a time as the CLI's workers; `--batched`
for `code_documents`): the whole coded document, ids included. Run it on the tree before and
after a change (e.g. `PYTHONPATH=/tmp/before/src`) and `cmp` the files. Prints CPU ms/story.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpora" / \
    "guardian_sample.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--end", type=int, default=100)
    ap.add_argument("--batched", action="store_true")
    ap.add_argument("--corpus", default=str(CORPUS))
    args = ap.parse_args()

    from dateline.coder import code_document, code_documents
    from dateline.records import Document

    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    docs = [Document(text=r["text"], published=(r.get("date") or "")[:10] or None,
                     source=r.get("source")) for r in rows]
    list(code_documents(docs[-2:]))  # model loads, outside the measured stories
    todo = docs[args.start:args.end]
    t = time.process_time()
    coded = list(code_documents(todo)) if args.batched else [code_document(d) for d in todo]
    dt = time.process_time() - t
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(c.to_json(), sort_keys=True, ensure_ascii=False) + "\n"
                      for c in coded)
    print(f"{len(todo)} stories, {sum(len(c.events) for c in coded)} events, "
          f"CPU {1000 * dt / max(1, len(todo)):.1f} ms/story")


if __name__ == "__main__":
    main()
