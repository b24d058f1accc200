"""End-to-end PLV bar: the full coder on raw PLV dev sentences (no marks).

    .venv/bin/python benchmarks/e2e_plv.py [--data ../shared/data] [--limit N] [--split dev|train]

For each gold source-target pair: does the coder output an event whose actors overlap the
gold source, whose recipients (or, for reciprocal events, other actors) overlap the gold
target, and whose type is the gold root (CONCEDE/RETREAT count as YIELD)? Also reports the
looser "pair found, any type" share and events per sentence. Bars: >= 60 %, <= 1.5.
A party marked more than once in a row ("against <t>India</t> ... in <t>India</t>") is found
at any of its marks (the reader keeps the last one).
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from collections import Counter
from pathlib import Path

from dateline.coder import code_text
from dateline.training.train import plv_examples


def _hit(spans: list[tuple[int, int]] | None, actors) -> bool:
    if not spans:
        return False
    return any(a.start is not None and a.end is not None and a.start < hi
               and a.end > lo for a in actors for lo, hi in spans)


_MARK = re.compile(r"</?[st]>", re.IGNORECASE)


def _all_marks(path: Path) -> dict[tuple, dict[str, list[tuple[int, int]]]]:
    """(plain sentence, last source span, last target span) -> every span of each mark."""
    out: dict[tuple, dict[str, list[tuple[int, int]]]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            marked = (row.get("marked_sentence") or "").strip()
            plain, spans, opened, pos = [], {"s": [], "t": []}, {}, 0
            length = 0
            for m in _MARK.finditer(marked):
                plain.append(marked[pos:m.start()])
                length += m.start() - pos
                tag = m.group().lower()
                role = tag.strip("</>")
                if tag.startswith("</") and role in opened:
                    a, b, text = opened.pop(role), length, "".join(plain)
                    while a < b and text[a].isspace():
                        a += 1
                    while b > a and text[b - 1].isspace():
                        b -= 1
                    spans[role].append((a, b))
                elif not tag.startswith("</"):
                    opened[role] = length
                pos = m.end()
            plain.append(marked[pos:])
            last = (spans["s"][-1] if spans["s"] else None, spans["t"][-1] if spans["t"] else None)
            out[("".join(plain), *last)] = spans
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--split", choices=("dev", "train"), default="dev",
                    help="dev (scored) or train (what development looks at)")
    args = ap.parse_args()
    train, dev = plv_examples(Path(args.data))
    if args.split == "train":
        dev = train
    marks = _all_marks(Path(args.data) / "train" / "PLV_train.tsv")
    if args.limit:
        dev = dev[: args.limit]
    typed = paired = n_events = no_event = src_only = 0
    misses: Counter = Counter()
    t0 = time.perf_counter()
    for ex in dev:
        gold = "YIELD" if ex.label in ("CONCEDE", "RETREAT") else ex.label
        coded = code_text(ex.item.sentence)
        n_events += len(coded.events)
        no_event += not coded.events
        every = marks.get((ex.item.sentence, ex.item.source, ex.item.target), {})
        source = every.get("s") or ([ex.item.source] if ex.item.source else [])
        target = every.get("t") or ([ex.item.target] if ex.item.target else [])
        src_only += any(_hit(source, ev.actors) for ev in coded.events)
        found_pair = found_typed = False
        for ev in coded.events:
            src_ok = _hit(source, ev.actors)
            tgt_ok = _hit(target, ev.recipients) or _hit(target, ev.actors)
            if ex.item.source is None:
                src_ok = True  # PLV rows without a marked source: the target decides
            if ex.item.target is None:
                tgt_ok = True  # ... and rows without a marked target: the source decides
            if src_ok and tgt_ok:
                found_pair = True
                etype = "YIELD" if ev.type in ("CONCEDE", "RETREAT") else ev.type
                found_typed |= etype == gold
        paired += found_pair
        typed += found_typed
        if not found_typed:
            misses[gold] += 1
    n = len(dev)
    secs = time.perf_counter() - t0
    print(f"sentences: {n} ({sum(ex.item.target is None for ex in dev)} without a marked "
          f"target, {sum(ex.item.source is None for ex in dev)} without a marked source)")
    print(f"pair with right type: {typed / n:.3f} ({typed}/{n})   bar >= 0.60")
    print(f"pair, any type:       {paired / n:.3f} ({paired}/{n})")
    print(f"events per sentence:  {n_events / n:.2f}   bar <= 1.5")
    print(f"sentences with no event: {no_event / n:.3f}; an event with the gold source as "
          f"actor: {src_only / n:.3f}")
    print(f"misses by gold root:  {dict(misses.most_common())}")
    print(f"time: {secs:.1f} s ({1000 * secs / n:.1f} ms per sentence, incl. model loading)")


if __name__ == "__main__":
    main()
