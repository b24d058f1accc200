"""Dev-split accuracy and speed of the shipped event classifier.

    .venv/bin/python benchmarks/classifier_dev.py [--data ../shared/data]

PLV dev (15 roots, marked pairs) and cameo_class dev (5 classes) are the splits the shipped
model was not trained on (dateline.training.train.stratified_split, seed 13, 20%).
Speed: single process, batches of 10 candidates (about one story's worth).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from dateline.evaluate.metrics import format_report, score_labels
from dateline.evaluate.plv import plv_labels
from dateline.events.classifier import EventClassifier, penta_class_of
from dateline.training.train import cameo_class_examples, plv_examples


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--masked", action="store_true",
                    help="also time the model with per-head vocabularies (masked heads)")
    ap.add_argument("--triggers", action="store_true",
                    help="only measure how often the coder's candidate trigger is the word the "
                         "parse features derive (PLV train sentences, no dev)")
    args = ap.parse_args()
    data = Path(args.data)
    if args.triggers:
        _trigger_agreement(data)
        return
    t0 = time.perf_counter()
    model = EventClassifier.load()
    print(f"load: {1000 * (time.perf_counter() - t0):.0f} ms")
    _, plv_dev = plv_examples(data)
    _, cam_dev = cameo_class_examples(data)
    gold = ["YIELD" if e.label in ("CONCEDE", "RETREAT") else e.label for e in plv_dev]
    res = score_labels(gold, plv_labels(model, [e.item for e in plv_dev]))
    print("PLV dev\n" + format_report(res))
    preds = model.predict([e.item for e in cam_dev])
    res = score_labels([str(e.penta) for e in cam_dev], [str(penta_class_of(p)) for p in preds],
                       labels=[str(i) for i in range(5)])
    print("cameo_class dev\n" + format_report(res))
    items = [e.item for e in plv_dev + cam_dev]
    if model.uses_syntax:
        items = _with_syntax_timed(items)
    _speed(model, items, "")
    if args.masked:
        # The same model with every feature in its own vocabulary of the type and penta heads:
        # the same scores, plus the per-head normalisation a masked head costs.
        import numpy as np

        heads = {k: dict(v) for k, v in model.heads.items()}
        for name in ("type", "penta"):
            heads[name]["sq"] = np.ones(len(model.vocab), np.float32)
        masked = EventClassifier(model.vocab, heads, model.meta, model.lexicon)
        gap = np.abs(masked.probabilities(items) - model.probabilities(items)).max()
        _speed(masked, items, f" (type and penta heads masked; max probability change {gap:.1e})")


def _with_syntax_timed(items: list) -> list:
    """The items with their parse features, as the coder passes them; the parse itself is
    the coder's (not counted), the feature extraction from it is timed."""
    from dataclasses import replace

    from dateline import nlp
    from dateline.events.classifier import parse_features

    unique = list(dict.fromkeys(it.sentence for it in items))
    docs = dict(zip(unique, nlp.parse_many(unique, ner="none")))
    reps = 5
    c0 = time.process_time()
    for _ in range(reps):
        out = [replace(it, syntax=parse_features(docs[it.sentence], it.source, it.target))
               for it in items]
    dc = (time.process_time() - c0) / (reps * len(items))
    print(f"parse features: {1000 * dc:.3f} ms CPU per candidate (from the coder's parse)")
    return out


def _trigger_agreement(data: Path) -> None:
    """Code each PLV train sentence with the full coder; for each classified candidate, is the
    trigger derived from the parse (events.classifier.derived_trigger) inside the coder's
    trigger words? Reported over all candidates and over those whose source and target
    overlap the gold pair."""
    from dateline import nlp
    from dateline.coder import code_document
    from dateline.events.classifier import derived_trigger
    from dateline.records import Document

    train, _ = plv_examples(data)
    seen: list = []
    real = EventClassifier.predict

    def spy(self, items):
        seen.extend(items)
        return real(self, items)

    EventClassifier.predict = spy
    n = agree = n_pair = agree_pair = 0
    try:
        for e in train:
            gold = e.item
            seen.clear()
            code_document(Document(text=gold.sentence))
            for it in seen:
                doc = nlp.parse(it.sentence)
                g = derived_trigger(doc, it.source, it.target)
                hit = g is not None and it.trigger is not None and \
                    g[0] < it.trigger[1] and g[1] > it.trigger[0]
                n += 1
                agree += hit
                off = gold.sentence.find(it.sentence)
                if off < 0 or it.source is None or it.target is None or gold.source is None \
                        or gold.target is None:
                    continue
                s = (it.source[0] + off, it.source[1] + off)
                t = (it.target[0] + off, it.target[1] + off)
                if s[0] < gold.source[1] and s[1] > gold.source[0] and \
                        t[0] < gold.target[1] and t[1] > gold.target[0]:
                    n_pair += 1
                    agree_pair += hit
    finally:
        EventClassifier.predict = real
    print(f"trigger agreement on PLV train: {agree}/{n} candidates ({agree / max(n, 1):.3f}); "
          f"on candidates over the gold pair {agree_pair}/{n_pair} "
          f"({agree_pair / max(n_pair, 1):.3f})")


def _speed(model: EventClassifier, items: list, label: str) -> None:
    model.predict(items[:10])
    reps = 5
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(reps):
        for i in range(0, len(items), 10):
            model.predict(items[i: i + 10])
    dt = (time.perf_counter() - t0) / (reps * len(items))
    dc = (time.process_time() - c0) / (reps * len(items))
    # CPU time is the honest number on a shared machine; wall time includes waiting for a core.
    print(f"speed: {1000 * dc:.3f} ms CPU ({1000 * dt:.3f} ms wall) per candidate in batches "
          f"of 10 = {10000 * dc:.2f} ms CPU per 10-candidate story; {len(items)} sentences x "
          f"{reps}{label}")


if __name__ == "__main__":
    main()
