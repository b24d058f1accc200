"""Store writer throughput: synthetic coded documents written in batches through
``Store.write_batch`` (Arrow inserts + the dedup hook, one transaction per batch), then the
same documents again (all skipped as already stored).

    .venv/bin/python benchmarks/foundation_store.py [--docs 2000] [--events 10] [--batch 64] [--no-dedup]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from dateline.records import (
    Actor,
    Claim,
    CodedDocument,
    Document,
    Event,
    Evidence,
    Location,
    Quote,
)
from dateline.store import open_store

TYPES = ["CONSULT", "AGREE", "COERCE", "ASSAULT", "ACCUSE", "PROTEST", "AID", "THREATEN"]
COUNTRIES = ["USA", "MEX", "GTM", "CHN", "RUS", "UKR", "IND", "PAK", "IRN", "IRQ"]


def synthetic(n_docs: int, n_events: int, seed: int = 0) -> list[CodedDocument]:
    rng = random.Random(seed)
    out = []
    for d in range(n_docs):
        sentence = f"Story {d}: officials met to discuss security and trade in the capital."
        text = (sentence + " ") * 40
        doc = Document(text=text, title=f"Story {d}", published="2019-06-07", source="Bench",
                       origin=f"bench#{d}")
        events = []
        for e in range(n_events):
            a, b = rng.sample(COUNTRIES, 2)
            day = rng.randint(1, 28)
            ev = Event(type=rng.choice(TYPES), evidence=Evidence(
                sentence=sentence, start=e * len(sentence), end=(e + 1) * len(sentence),
                trigger="met", trigger_start=e * len(sentence) + 20,
                trigger_end=e * len(sentence) + 23),
                actors=[Actor(text=a, country=a, sector="GOV")],
                recipients=[Actor(text=b, country=b, sector="GOV")],
                date=f"2019-06-{day:02d}", date_precision="day",
                location=Location(name="Capital", country=a, lat=1.0, lon=2.0),
                confidence=0.8)
            ev.assign_id(doc.id)
            events.append(ev)
        out.append(CodedDocument(
            doc=doc, events=events,
            quotes=[Quote(text="We agreed", start=0, end=9, speaker=Actor(text="minister"))],
            claims=[Claim(text="200 people", start=0, end=10, value=200)], contexts=["trade"]))
    return out


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
    coded = synthetic(args.docs, args.events)
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
