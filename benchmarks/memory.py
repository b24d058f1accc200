"""Memory grows with the batch, not the corpus: peak RSS of `dateline code` on N and 10N stories.

Every run goes through the real CLI (one worker, default batch size) on distinct copies of
the Guardian sample; peak RSS per process is sampled from /proc (see throughput.py). Three
runs: the first N stories, the same with its last story swapped for the longest story of
the 10N set (peak memory follows the largest story coded, so this compares like with
like), and the first 10N; the growth to 10N is printed against both.

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


def story_texts(stories: list[dict], n: int) -> list[tuple[str, dict]]:
    """The first n distinct stories, cycling through copies with a marker sentence."""
    out = []
    for i in range(n):
        s = stories[i % len(stories)]
        copy = i // len(stories)
        out.append((s["text"] + (f"\n\nThis is benchmark copy number {copy}." if copy else ""),
                    s))
    return out


def write_texts(texts: list[tuple[str, dict]], path: Path) -> tuple[int, int]:
    """Write the stories as JSONL; total words and the longest story's words."""
    words, longest = 0, 0
    with open(path, "w", encoding="utf-8") as fh:
        for text, s in texts:
            n = len(text.split())
            words, longest = words + n, max(longest, n)
            fh.write(json.dumps({"text": text, "date": s.get("date"),
                                 "source": s.get("source")}) + "\n")
    return words, longest


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
    small_set = story_texts(stories, args.small)
    big_set = story_texts(stories, args.small * args.factor)
    # Peak memory follows the largest story a process codes: the small set with its last
    # story swapped for the big set's longest compares like with like.
    longest = max(big_set, key=lambda t: len(t[0].split()))
    runs = [("first N", small_set), ("first N-1 + the longest of 10N", small_set[:-1] + [longest]),
            ("first 10N", big_set)]
    results = []
    with tempfile.TemporaryDirectory(prefix="dl-mem-") as tmp:
        for k, (label, texts) in enumerate(runs):
            corpus, db = Path(tmp) / f"c{k}.jsonl", Path(tmp) / f"db{k}.duckdb"
            words, longest_words = write_texts(texts, corpus)
            wall, mem, rc = run_measured(DATELINE + ["code", str(corpus), "--db", str(db),
                                                     "--workers", str(args.workers),
                                                     "--batch-size", str(args.batch_size),
                                                     "--quiet"])
            run = {"run": label, "stories": len(texts), "words": words,
                   "longest_story_words": longest_words, "exit": rc, "seconds": round(wall, 1),
                   "db_mib": round(db.stat().st_size / 2**20, 1) if db.exists() else None,
                   **mem}
            results.append(run)
            print(json.dumps(run), flush=True)
    key = "worker_peak_mib" if args.workers > 1 else "main_peak_mib"
    big = results[2][key]
    for small in results[:2]:
        growth = (big - small[key]) / small[key] * 100
        print(f"peak RSS ({key}) {small[key]} MiB for {small['stories']} stories "
              f"({small['run']}, longest {small['longest_story_words']} words) -> {big} MiB "
              f"for {results[2]['stories']} stories (longest "
              f"{results[2]['longest_story_words']} words): {growth:+.1f}% "
              f"({'within' if growth <= 10 else 'OVER'} the 10% bar)")


if __name__ == "__main__":
    main()
