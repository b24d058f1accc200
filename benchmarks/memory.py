"""Memory grows with the batch, not the corpus: peak RSS of `dateline code` on N and 10N stories.

Both runs go through the real CLI (one worker, default batch size) on distinct copies of
the Guardian sample; peak RSS per process is sampled from /proc (see throughput.py).

    .venv/bin/python benchmarks/memory.py --small 64 --factor 10
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import DATELINE, DEFAULT_CORPUS, load_corpus, run_measured


def write_n(stories: list[dict], n: int, path: Path) -> int:
    """The first n distinct stories, cycling through copies with a marker sentence."""
    words = 0
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            s = stories[i % len(stories)]
            copy = i // len(stories)
            text = s["text"] + (f"\n\nThis is benchmark copy number {copy}." if copy else "")
            words += len(text.split())
            fh.write(json.dumps({"text": text, "date": s.get("date"),
                                 "source": s.get("source")}) + "\n")
    return words


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--small", type=int, default=64)
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=64,
                    help="store batch; the small run should hold at least one full batch")
    args = ap.parse_args()
    stories = load_corpus(args.corpus)
    results = []
    with tempfile.TemporaryDirectory(prefix="dl-mem-") as tmp:
        for n in (args.small, args.small * args.factor):
            corpus, db = Path(tmp) / f"c{n}.jsonl", Path(tmp) / f"db{n}.duckdb"
            words = write_n(stories, n, corpus)
            wall, mem, rc = run_measured(DATELINE + ["code", str(corpus), "--db", str(db),
                                                     "--workers", str(args.workers),
                                                     "--batch-size", str(args.batch_size),
                                                     "--quiet"])
            run = {"stories": n, "words": words, "exit": rc, "seconds": round(wall, 1),
                   "db_mib": round(db.stat().st_size / 2**20, 1) if db.exists() else None,
                   **mem}
            results.append(run)
            print(json.dumps(run), flush=True)
    key = "worker_peak_mib" if args.workers > 1 else "main_peak_mib"
    small, big = results[0][key], results[1][key]
    growth = (big - small) / small * 100
    print(f"peak RSS ({key}) {small} MiB for {results[0]['stories']} stories -> {big} MiB for "
          f"{results[1]['stories']} stories: {growth:+.1f}% "
          f"({'within' if growth <= 10 else 'OVER'} the 10% bar)")


if __name__ == "__main__":
    main()
