"""Event-location accuracy on the dev split (fixed seed, 20%) of the Prodigy gold set.

Usage: .venv/bin/python benchmarks/context_event_location.py [PATH] [--rules]
(default PATH: ../shared/data/train/event_location_train.jsonl.gz; --rules scores the
rule-based locator without the learned ranker)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from dateline.evaluate.event_location import score_event_location

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/train/event_location_train.jsonl.gz"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = args[0] if args else DEFAULT
    t = time.perf_counter()
    result = score_event_location(path, split="dev", model="--rules" not in sys.argv)
    result["seconds"] = round(time.perf_counter() - t, 1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
