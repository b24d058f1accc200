"""Cross-story dedup accuracy on our fixture stories (tests/fixtures/dedup/stories.jsonl).

    .venv/bin/python benchmarks/store_dedup.py [--end-to-end]

Pairwise precision/recall of merges (pairs of mentions put in one canonical event), on
(1) the hand-built event rows of the fixture (gold cluster labels per event), and with
--end-to-end (2) the events the full coder finds in the same stories (dateline.coder
.code_text): a coded event takes the gold label of the hand-built event of its story with
the same type and an overlapping trigger; unmatched coded events are singletons in the
gold, and gold events the coder missed count against recall.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import tempfile
import time
from pathlib import Path

from dateline.store import open_store

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "dedup" / "stories.jsonl"


def _fixture_module():
    path = ROOT / "tests" / "store" / "test_dedup_fixture.py"
    spec = importlib.util.spec_from_file_location("dedup_fixture_stories", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pairwise(pred: dict[str, str], gold: dict[str, str], missed_gold: list[str]) -> dict:
    ids = sorted(gold)
    pred_pairs = {p for p in itertools.combinations(ids, 2) if pred[p[0]] == pred[p[1]]}
    gold_pairs = {p for p in itertools.combinations(ids, 2) if gold[p[0]] == gold[p[1]]}
    # Gold pairs that involve an event the coder never produced: lost recall.
    labels = list(gold.values()) + missed_gold
    all_gold = sum(labels.count(g) * (labels.count(g) - 1) // 2 for g in set(labels))
    hit = len(pred_pairs & gold_pairs)
    return {"pred_pairs": len(pred_pairs), "gold_pairs": all_gold, "correct_pairs": hit,
            "precision": round(hit / len(pred_pairs), 3) if pred_pairs else None,
            "recall": round(hit / all_gold, 3) if all_gold else None}


def hand_built() -> dict:
    fixture = _fixture_module()
    docs, gold = fixture.fixture_documents()
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "d.duckdb") as store:
        t0 = time.perf_counter()
        store.write_batch(docs)
        elapsed = time.perf_counter() - t0
        pred = dict(store.con.execute("SELECT id, cluster_id FROM events").fetchall())
    out = pairwise(pred, gold, [])
    out.update({"stories": len(docs), "mentions": len(gold),
                "gold_events": len(set(gold.values())), "events": len(set(pred.values())),
                "write_s": round(elapsed, 3)})
    return out


def end_to_end() -> dict:
    from dateline.coder import code_text

    stories = [json.loads(line) for line in FIXTURE.read_text("utf-8").splitlines()]
    coded, gold, missed = [], {}, []
    details = []
    t0 = time.perf_counter()
    for story in stories:
        doc = code_text(story["text"], published=story["published"], title=story["title"],
                        source=story["source"])
        coded.append(doc)
        used = set()
        for event in doc.events:
            label = f"extra:{event.id}"
            for k, spec in enumerate(story["events"]):
                start = story["text"].find(spec["trigger"])
                end = start + len(spec["trigger"])
                t_start = event.evidence.trigger_start or 0
                t_end = event.evidence.trigger_end or t_start
                if k not in used and spec["type"] == event.type and start < t_end \
                        and t_start < end:
                    label = spec["gold"]
                    used.add(k)
                    break
            gold[event.id] = label
            details.append((story["id"], event.type, [a.code for a in event.actors],
                            [a.code for a in event.recipients], event.date, label, event.id))
        missed.extend(spec["gold"] for k, spec in enumerate(story["events"]) if k not in used)
    code_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "e.duckdb") as store:
        store.write_batch(coded)
        pred = dict(store.con.execute("SELECT id, cluster_id FROM events").fetchall())
    out = pairwise(pred, gold, missed)
    out.update({"coded_events": len(gold),
                "matched_gold": sum(not g.startswith("extra:") for g in gold.values()),
                "missed_gold": len(missed), "code_s": round(code_s, 1)})
    # each coded mention with the event (cluster) the store put it in
    details = [(*d[:-1], "event " + pred.get(d[-1], "?")[:6]) for d in details]
    return out | {"events": details}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--end-to-end", action="store_true")
    args = parser.parse_args()
    print("hand-built rows:", json.dumps(hand_built()))
    if args.end_to_end:
        result = end_to_end()
        for row in result.pop("events"):
            print("  coded:", row)
        print("end to end:", json.dumps(result))


if __name__ == "__main__":
    main()
