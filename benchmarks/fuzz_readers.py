"""Fuzz every reader through `dateline.ingest.read_bytes` with the seeded mutation fuzzer.

The CI suite runs a few thousand cases (tests/reliability); this runs as many as you like
and prints the counts: cases per seed kind, documents, rejections by reason, the slowest case.

    .venv/bin/python benchmarks/fuzz_readers.py --cases 20000 --seed 1
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reliability"))
from reliability_fuzz import run_fuzz


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--language", action="store_true",
                    help="also run the language check on every document")
    args = ap.parse_args()
    logging.disable(logging.CRITICAL)  # trafilatura logs every page it discards
    result = run_fuzz(args.seed, args.cases, language=args.language)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
