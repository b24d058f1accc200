"""Event-location accuracy on the dev split (fixed seed, 20%) of the Prodigy gold set.

Usage: .venv/bin/python benchmarks/context_event_location.py [PATH] [--rules] [--original-gold]
(default PATH: ../shared/data/train/event_location_train.jsonl.gz; --rules scores the
rule-based locator without the learned ranker; --original-gold also scores against the gold
as read before the reader repaired spans whose offsets are token indices, for comparison
with results measured before that repair)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from dateline.evaluate import event_location
from dateline.evaluate.event_location import score_event_location

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/train/event_location_train.jsonl.gz"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = args[0] if args else DEFAULT
    model = "--rules" not in sys.argv
    t = time.perf_counter()
    cpu = time.process_time()
    result = score_event_location(path, split="dev", model=model)
    result["seconds"] = round(time.perf_counter() - t, 1)
    result["cpu_seconds"] = round(time.process_time() - cpu, 1)
    if "--original-gold" in sys.argv:
        repair = event_location._repair_spans
        event_location._repair_spans = lambda rec: None  # the reading before the repair
        try:
            orig = score_event_location(path, split="dev", model=model)
        finally:
            event_location._repair_spans = repair
        result["original_gold"] = {k: orig[k] for k in ("accuracy", "macro_f1", "per_class")}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
