"""A learned ranker for the place of an event among the toponyms of its sentence.

Each candidate place gets sparse features (its dependency path to the trigger, the
preposition that introduces it, whether it hangs off the trigger's clause, what kind of
gazetteer entry it is, how many other places compete); a logistic model scores them and
the best one is the event's place when its probability clears a threshold, else none.
The weights are plain JSON (``data/gazetteer/event_locator.json``): no training library
is needed at run time. Train with ``python -m dateline.context.locator GOLD.jsonl.gz``.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from dateline.context.places import (
    _ACTOR_DEPS,
    PlaceMention,
    _first_prep,
    _of_place,
    attachment,
    place_tokens,
    tree_distance,
)

MODEL_FILE = "event_locator.json"


def _bucket(n: float, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return f"<={e}"
    return f">{edges[-1]}"


_FEATURE_ORDER = {"unknown": 0, "city": 1, "admin1": 2, "country": 3}


def _root(sdoc: Any, pm: PlaceMention) -> Any:
    toks = place_tokens(sdoc, pm)
    return min(toks, key=lambda t: len(list(t.ancestors))) if toks else None


def _anchor(tok: Any) -> Any:
    """The noun a place name modifies ("the Nabi Yunis area"), or the name itself."""
    return tok.head if tok.dep_ in ("compound", "poss", "amod", "nmod") else tok


def _specificity(pm: PlaceMention) -> tuple[int, int]:
    if pm.place is None:
        return 0, 0
    return _FEATURE_ORDER.get(pm.place.feature, 0), pm.place.population


def candidate_features(trigger: Any, pm: PlaceMention, others: list[PlaceMention],
                       rank_by_distance: int) -> dict[str, float] | None:
    """Sparse features of one candidate place for one trigger token; None if unusable."""
    sdoc = trigger.doc
    toks = place_tokens(sdoc, pm)
    if not toks:
        return None
    root = min(toks, key=lambda t: len(list(t.ancestors)))
    ancestors = {t.i for t in root.ancestors}
    under_other = has_under = False
    for o in others:
        if o is pm:
            continue
        o_root = _root(sdoc, o)
        if o_root is None:
            continue
        if _anchor(o_root).i in ancestors:
            under_other = True  # "Fallujah" in "the al-Azraggiya neighborhood in Fallujah"
        if _anchor(root).i in {t.i for t in o_root.ancestors}:
            has_under = True
    spec_rank = sorted(_specificity(o) for o in others).index(_specificity(pm))
    eff = root
    while eff.dep_ == "conj" and eff.head is not eff:
        eff = eff.head
    att = attachment(trigger, root)
    dist = tree_distance(trigger, root)
    prep = att[1] if att else _first_prep(root)
    feature = pm.place.feature if pm.place is not None else "unknown"
    pop = pm.place.population if pm.place is not None else 0
    f: dict[str, float] = {
        "bias": 1.0,
        f"attached={att is not None}": 1.0,
        f"prep={prep}": 1.0,
        f"attached_prep={att is not None}|{prep}": 1.0,
        f"dep={eff.dep_}": 1.0,
        f"headdep={eff.dep_}|{eff.head.dep_}": 1.0,
        f"headpos={eff.head.pos_}": 1.0,
        f"label={pm.label}": 1.0,
        f"feature={feature}": 1.0,
        f"pop={_bucket(math.log10(pop + 1), (3, 5, 6))}": 1.0,
        f"dist={_bucket(dist, (1, 2, 3, 4, 6, 9))}": 1.0,
        f"hops={_bucket(att[0], (1, 2, 3, 4, 6)) if att else 'none'}": 1.0,
        f"side={'before' if root.i < trigger.i else 'after'}": 1.0,
        f"gap={_bucket(abs(root.i - trigger.i), (2, 4, 8, 15, 25))}": 1.0,
        f"n_places={min(len(others), 4)}": 1.0,
        f"rank={min(rank_by_distance, 3)}": 1.0,
        f"trigger_dep={trigger.dep_}": 1.0,
        f"trigger_pos={trigger.pos_}": 1.0,
        f"actor_dep={eff.dep_ in _ACTOR_DEPS}": 1.0,
        f"of_place={_of_place(root) if prep == 'of' else 'na'}": 1.0,
        f"in_subtree={trigger.left_edge.i <= root.i <= trigger.right_edge.i}": 1.0,
        f"under_other={under_other}": 1.0,
        f"has_under={has_under}": 1.0,
        f"spec_rank={min(spec_rank, 2)}": 1.0,
        f"spec_rank_feature={min(spec_rank, 2)}|{feature}": 1.0,
        f"first_place={others[0] is pm}": 1.0,
        f"attached_dep={att is not None}|{eff.dep_}": 1.0,
        f"prep_feature={prep}|{feature}": 1.0,
        f"prep_label={prep}|{pm.label}": 1.0,
        f"trigger_prep={trigger.pos_}|{prep}": 1.0,
        f"lemma={trigger.lemma_.lower()}": 1.0,
        f"lemma_prep={trigger.lemma_.lower()}|{prep}": 1.0,
        f"side_gap={'before' if root.i < trigger.i else 'after'}|"
        f"{_bucket(abs(root.i - trigger.i), (2, 5, 10))}": 1.0,
    }
    return f


class Locator:
    """Logistic scorer of candidate places, loaded from JSON weights."""

    def __init__(self, weights: dict[str, float], threshold: float, meta: dict[str, Any]
                 ) -> None:
        self.weights = weights
        self.threshold = threshold
        self.meta = meta

    def probability(self, feats: dict[str, float]) -> float:
        z = sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def best(self, trigger: Any, candidates: list[PlaceMention]) -> tuple[PlaceMention, float] | None:
        """The most probable place and its probability, when it clears the threshold."""
        if not candidates:
            return None
        by_dist = sorted(candidates, key=lambda p: _distance(trigger, p))
        top: tuple[PlaceMention, float] | None = None
        for rank, pm in enumerate(by_dist):
            feats = candidate_features(trigger, pm, candidates, rank)
            if feats is None:
                continue
            p = self.probability(feats)
            if top is None or p > top[1]:
                top = (pm, p)
        if top is None or top[1] < self.threshold:
            return None
        return top


def _distance(trigger: Any, pm: PlaceMention) -> int:
    toks = place_tokens(trigger.doc, pm)
    if not toks:
        return 99
    return min(tree_distance(trigger, t) for t in toks)


@lru_cache(maxsize=1)
def load_locator() -> Locator | None:
    """The shipped locator, or None when its weights file is absent."""
    path = resources.files("dateline") / "data" / "gazetteer" / MODEL_FILE
    try:
        data = json.loads(path.read_text("utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        return None
    return Locator(data["weights"], data["threshold"], data.get("meta", {}))


def train(path: str | Path, out: str | Path | None = None, *, seed: int = 13,
          c: float = 1.0, docs: list[Any] | None = None) -> dict[str, Any]:
    """Fit the locator on the train split of a Prodigy event-location file (needs
    scikit-learn) and write the weights JSON; returns its meta."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from dateline.context.places import find_places
    from dateline.evaluate.event_location import load_pipeline, read_records

    records = read_records(path)
    train_idx = _split_indices(len(records), seed)
    recs = [records[i] for i in train_idx]
    if docs is None:
        nlp = load_pipeline()
        docs = list(nlp.pipe((r["text"] for r in recs), batch_size=128))
    else:
        docs = [docs[i] for i in train_idx]
    rows, labels, groups = [], [], []
    for g, (sdoc, rec) in enumerate(zip(docs, recs, strict=True)):
        trigger = _trigger(sdoc, rec)
        if trigger is None:
            continue
        gold = [(s["start"], s["end"]) for s in rec["spans"]
                if s.get("label") == "LOCATION" and s["end"] > s["start"]]
        cands = find_places(sdoc.text, sdoc, None)
        by_dist = sorted(cands, key=lambda p: _distance(trigger, p))
        for rank, pm in enumerate(by_dist):
            feats = candidate_features(trigger, pm, cands, rank)
            if feats is None:
                continue
            rows.append(feats)
            labels.append(int(any(s < pm.end and pm.start < e for s, e in gold)))
            groups.append(g)
    vec = DictVectorizer()
    x = vec.fit_transform(rows)
    model = LogisticRegression(C=c, max_iter=2000, fit_intercept=False)
    model.fit(x, labels)
    weights = {name: round(float(w), 5) for name, w in zip(vec.feature_names_, model.coef_[0],
                                                           strict=True) if abs(w) > 1e-6}
    # Threshold: the one that maximises train accuracy of the "best candidate or none" rule.
    probs = model.predict_proba(x)[:, 1]
    best_by_group: dict[int, tuple[float, int]] = {}
    for g, p, y in zip(groups, probs, labels, strict=True):
        if g not in best_by_group or p > best_by_group[g][0]:
            best_by_group[g] = (p, y)
    gold_has = {}
    for g, rec in enumerate(recs):
        gold_has[g] = any(s.get("label") == "LOCATION" and s["end"] > s["start"]
                          for s in rec["spans"])
    best_t, best_acc = 0.5, -1.0
    for t in [i / 100 for i in range(5, 96)]:
        ok = 0
        for g in range(len(recs)):
            top = best_by_group.get(g)
            if top is None or top[0] < t:
                ok += not gold_has[g]
            else:
                ok += top[1] == 1
        acc = ok / len(recs)
        if acc > best_acc:
            best_t, best_acc = t, acc
    meta = {"trained_on": f"{Path(path).name} train split (seed {seed}, 80%)",
            "source": "ahalterman/event_location@444a2df (MIT)",
            "n_records": len(recs), "n_candidates": len(rows), "C": c,
            "train_accuracy": round(best_acc, 4), "threshold": best_t}
    data = {"meta": meta, "threshold": best_t, "weights": weights}
    target = Path(out) if out else Path(str(resources.files("dateline"))) / "data" / \
        "gazetteer" / MODEL_FILE
    target.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    load_locator.cache_clear()
    return meta


def _split_indices(n: int, seed: int, dev_share: float = 0.2) -> list[int]:
    """Indices of the train split (the complement of evaluate.event_location's dev split)."""
    import random

    order = list(range(n))
    random.Random(seed).shuffle(order)
    return sorted(order[int(n * dev_share):])


def _trigger(sdoc: Any, rec: dict[str, Any]) -> Any:
    verb = next((s for s in rec["spans"] if s.get("label") == "VERB"), None)
    if verb is None:
        return None
    span = sdoc.char_span(verb["start"], verb["end"], alignment_mode="expand")
    return span.root if span is not None and len(span) else None


if __name__ == "__main__":
    import sys

    print(json.dumps(train(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None), indent=1))
