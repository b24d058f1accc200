"""Store writer throughput: synthetic coded documents written in batches through
``Store.write_batch`` (Arrow inserts + the dedup hook, one transaction per batch), then the
same documents again (all skipped as already stored).

    .venv/bin/python benchmarks/foundation_store.py [--docs 2000] [--events 10] [--batch 64] [--no-dedup]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from dateline.store import open_store
from dateline.store.synthetic import synthetic_documents


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--no-dedup", action="store_true",
                        help="Replace the dedup hook by a no-op to time the writer alone.")
    args = parser.parse_args()
    if args.no_dedup:
        from dateline.store import dedup

        dedup.update_clusters = lambda con, ids: None
    coded = synthetic_documents(args.docs, args.events)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        for label in ("new documents", "re-run (all known)"):
            start = time.perf_counter()
            with open_store(db) as store:
                total = 0
                for i in range(0, len(coded), args.batch):
                    total += store.write_batch(coded[i:i + args.batch]).events
            elapsed = time.perf_counter() - start
            print(f"{label:<20} {args.docs} docs, {total} events written in {elapsed:6.2f} s: "
                  f"{args.docs / elapsed:8.0f} docs/s, {total / elapsed:8.0f} events/s "
                  f"(batch {args.batch})")


if __name__ == "__main__":
    main()
