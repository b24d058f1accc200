"""Choose the type head's recipe by k-fold cross-validation on the PLV *train* split only.

    nice -n 10 .venv/bin/python -m dateline.training.cv --data ../shared/data --recipes own,shared

The dev split is never read here: each fold trains on the other folds of PLV train plus the
auxiliary examples (cameo_class statements as NONE, synthetic NONE and lead sentences), with
every sentence of the held-out fold removed from them, and is scored as PLV (NONE left out,
CONCEDE/RETREAT pooled as YIELD).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from dateline.evaluate.plv import pooled_roots
from dateline.events.classifier import NONE, features, parse_features
from dateline.training.train import (
    SEED,
    _fit_head,
    _norm,
    _own_vocab,
    _vectorize,
    cameo_class_examples,
    group_scales,
    plv_examples,
    statement_examples,
    synthetic_examples,
)


@dataclass(frozen=True)
class Recipe:
    """How the type head is built: its vocabulary rule, L2 strength, synthetic lead weight."""

    vocab: str = "own"  # "own": the type examples' features; "shared": every head's (shipped)
    C: float = 50.0
    synthetic_types: float = 0.05
    min_synth: int = 3  # a synthetic-only feature is kept when seen in this many examples
    min_gold: int = 1  # a gold feature is kept when seen in this many gold examples
    scales: str = ""  # feature-group scales, "mc=0.5+pv=2": group = the name's prefix
    syntax: bool = False  # add the dependency features of each sentence's parse ("sx:...")


def plv_predict(classes: list[str], W: np.ndarray, b: np.ndarray, X) -> list[str]:
    """PLV roots from a type head: NONE left out, CONCEDE and RETREAT pooled as YIELD."""
    z = np.asarray(X @ W) + b
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    return pooled_roots(classes, p)


def folds(labels: list[str], k: int, seed: int = SEED) -> list[list[int]]:
    """Deterministic stratified k folds of row indices."""
    rng = np.random.RandomState(seed)
    by: dict[str, list[int]] = {}
    for i, lab in enumerate(labels):
        by.setdefault(lab, []).append(i)
    out: list[list[int]] = [[] for _ in range(k)]
    n = 0
    for lab in sorted(by):
        idx = np.array(by[lab])
        rng.shuffle(idx)
        for i in idx:
            out[n % k].append(int(i))
            n += 1
    return [sorted(f) for f in out]


def run(data: Path, recipes: list[Recipe], k: int = 4, log=print) -> dict[Recipe, dict]:
    """Cross-validated PLV accuracy / macro-F1 of each recipe on PLV train."""
    from dateline.evaluate.metrics import score_labels
    from dateline.training.phoenix import read_lexicon

    lex_file = data / "dictionaries" / "phoenix" / "CAMEO.2.0.txt"
    lexicon = read_lexicon(lex_file) if lex_file.is_file() else {}
    plv_tr, _ = plv_examples(data)
    cam_tr, _ = cameo_class_examples(data)
    synth = synthetic_examples(data, lexicon)
    stmts = statement_examples(cam_tr)
    synth_none = [e for e in synth if e.label == NONE]
    synth_leads = [e for e in synth if e.label != NONE and e.origin == "synthetic"]
    every = plv_tr + cam_tr + synth
    t0 = time.process_time()
    feats = {id(e.item): features(e.item, lexicon) for e in every}
    log(f"features of {len(every)} examples: {time.process_time() - t0:.1f} s CPU")
    sx_feats = feats
    if any(r.syntax for r in recipes):
        from dateline.training.parses import parse_sentences

        docs = parse_sentences([e.item.sentence for e in every], log=log)
        sx_feats = {id(e.item): feats[id(e.item)] + list(parse_features(
            docs[e.item.sentence], e.item.source, e.item.target)) for e in every}
    gold_y = ["YIELD" if e.label in ("CONCEDE", "RETREAT") else e.label for e in plv_tr]
    parts = folds(gold_y, k)
    results: dict[Recipe, dict] = {}
    for r in recipes:
        preds = [""] * len(plv_tr)
        per_fold = []
        t0 = time.process_time()
        fx = sx_feats if r.syntax else feats
        for part in parts:
            held = {_norm(plv_tr[i].item.sentence) for i in part}
            hs = set(part)
            leads = [replace(e, weight=r.synthetic_types) for e in synth_leads] \
                if r.synthetic_types else []
            train = [e for i, e in enumerate(plv_tr) if i not in hs]
            train += [e for e in stmts + synth_none + leads if _norm(e.item.sentence) not in held]
            if r.vocab == "own":
                vocab = _own_vocab(train, lambda e, fx=fx: fx[id(e.item)], r.min_synth, r.min_gold)
            else:  # the shipped rule: every head's gold features + frequent synthetic ones
                pool = [e for i, e in enumerate(plv_tr) if i not in hs]
                pool += [e for e in cam_tr + synth if _norm(e.item.sentence) not in held]
                vocab = _own_vocab(pool, lambda e, fx=fx: fx[id(e.item)], r.min_synth, r.min_gold)
            scale = group_scales(vocab, r.scales)
            X = _vectorize([fx[id(e.item)] for e in train], vocab, scale)
            cls, W, b = _fit_head(X, [e.label for e in train],
                                  np.array([e.weight for e in train]), r.C, tol=1e-4)
            Xh = _vectorize([fx[id(plv_tr[i].item)] for i in part], vocab, scale)
            for i, p in zip(part, plv_predict(cls, W, b, Xh)):
                preds[i] = p
            per_fold.append(float(np.mean([preds[i] == gold_y[i] for i in part])))
        res = score_labels(gold_y, preds)
        res["per_fold"] = per_fold
        res["predictions"] = preds
        results[r] = res
        small = {c: round(v["f1"], 3) for c, v in res["per_class"].items()
                 if v["n"] < 40} if "per_class" in res else {}
        log(f"{r}: acc {res['accuracy']:.4f} macro-F1 {res['macro_f1']:.4f} "
            f"folds {' '.join(f'{a:.3f}' for a in per_fold)} "
            f"({time.process_time() - t0:.0f} s CPU) small classes {small}")
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--grid", default="own:50:0.05:3:1,shared:50:0.05:3:1",
                    help="recipes vocab:C:synthetic_types:min_synth:min_gold[:scales[:sx]], "
                         "comma-separated; a trailing ':sx' adds the parse features")
    args = ap.parse_args()
    recipes = []
    for spec in args.grid.split(","):
        v, c, s, m, g, *rest = spec.split(":")
        sx = "sx" in rest
        sc = [x for x in rest if x != "sx"]
        recipes.append(Recipe(v, float(c), float(s), int(m), int(g), sc[0] if sc else "", sx))
    results = run(Path(args.data), recipes, args.folds)
    if len(recipes) > 1:
        # Paired comparison with the first recipe: pairs one gets right and the other wrong.
        base = results[recipes[0]]["predictions"]
        gold = ["YIELD" if e.label in ("CONCEDE", "RETREAT") else e.label
                for e in plv_examples(Path(args.data))[0]]
        for r in recipes[1:]:
            pred = results[r]["predictions"]
            win = sum(p == y != q for p, q, y in zip(pred, base, gold))
            loss = sum(q == y != p for p, q, y in zip(pred, base, gold))
            print(f"{r} vs first: +{win} / -{loss} pairs (sign test on {win + loss})")


if __name__ == "__main__":
    main()
