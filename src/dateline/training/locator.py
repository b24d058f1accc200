"""Training of the event locator (``dateline.context.locator``): a conditional logit over
each event's candidate places plus a "no place" option, fitted with L-BFGS (numpy, scipy).

One softmax per event ranks its candidates and the no-place option together, so the model
learns "which place" and "whether any" at once instead of thresholding a per-candidate
probability. Events whose gold place is not among the candidates teach nothing and are left
out of the fit. Run: ``python -m dateline.training.locator GOLD.jsonl.gz [OUT.json]
[--docs=PARSES.spacy]`` (``--docs``: a spaCy DocBin of the file's sentences parsed with
``evaluate.event_location.load_pipeline()``, which skips the ~5 min parse).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

from dateline.context.locator import (
    MODEL_FILE,
    group_rows,
    load_locator,
    null_features,
    sentence_candidates,
)


def split_indices(n: int, seed: int, dev_share: float = 0.2) -> list[int]:
    """Indices of the train split (the complement of evaluate.event_location's dev split)."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return sorted(order[int(n * dev_share):])


def trigger_token(sdoc: Any, rec: dict[str, Any]) -> Any:
    """The head token of a record's VERB span, or None."""
    verb = next((s for s in rec["spans"] if s.get("label") == "VERB"), None)
    if verb is None:
        return None
    span = sdoc.char_span(verb["start"], verb["end"], alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def event_groups(records: list[dict[str, Any]], docs: list[Any]) -> list[dict[str, Any]]:
    """Per record: its candidates' features and labels, the no-place features, gold info."""
    from dateline.context.places import find_places

    out = []
    for sdoc, rec in zip(docs, records, strict=True):
        gold = [(s["start"], s["end"]) for s in rec["spans"]
                if s.get("label") == "LOCATION" and s["end"] > s["start"]]
        trigger = trigger_token(sdoc, rec)
        rows: list[tuple[Any, dict[str, float]]] = []
        nullf: dict[str, float] = {"null:bias": 1.0}
        if trigger is not None:
            cands = sentence_candidates(sdoc, sdoc[:], find_places(sdoc.text, sdoc, None))
            rows = group_rows(trigger, cands)
            nullf = null_features(trigger, rows)
        labels = [int(any(s < pm.end and pm.start < e for s, e in gold)) for pm, _ in rows]
        out.append({"text": rec["text"], "gold": bool(gold), "feats": [f for _, f in rows],
                    "labels": labels, "null": nullf})
    return out


def design(groups: list[dict[str, Any]], vec: Any = None) -> tuple[Any, Any, Any, Any]:
    """Sparse rows (each event's candidates, then its no-place row), group offsets, targets."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer

    rows: list[dict[str, float]] = []
    target: list[int] = []
    offsets = [0]
    for g in groups:
        rows.extend(g["feats"])
        target.extend(g["labels"])
        rows.append(g["null"])
        target.append(0 if g["gold"] else 1)
        offsets.append(len(rows))
    if vec is None:
        vec = DictVectorizer()
        x = vec.fit_transform(rows)
    else:
        x = vec.transform(rows)
    return x.tocsr(), np.asarray(offsets), np.asarray(target, dtype=float), vec


def fit_clogit(x: Any, offsets: Any, target: Any, l2: float = 3.0, maxiter: int = 500) -> Any:
    """Weights maximising sum over events of log P(gold options) - l2/2 |w|^2, where P is a
    softmax over the event's rows; several gold rows (two spans of one place) share it."""
    import numpy as np
    from scipy.optimize import minimize

    starts = offsets[:-1]
    gid = np.repeat(np.arange(len(starts)), np.diff(offsets))
    xt = x.T.tocsr()

    def loss(w: Any) -> tuple[float, Any]:
        s = x @ w
        m = np.maximum.reduceat(s, starts)
        e = np.exp(s - m[gid])
        z = np.add.reduceat(e, starts)
        et = e * target
        zt = np.add.reduceat(et, starts)
        p, q = e / z[gid], et / zt[gid]
        value = -(np.log(zt) - np.log(z)).sum() + 0.5 * l2 * float(w @ w)
        return value, xt @ (p - q) + l2 * w

    res = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B",
                   options={"maxiter": maxiter})
    return res.x


def learnable(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events a model can get right: no gold place, or a gold place among the candidates."""
    return [g for g in groups if not g["gold"] or any(g["labels"])]


def fit(groups: list[dict[str, Any]], l2: float, min_count: int) -> dict[str, float]:
    """Feature name -> weight of a conditional logit fitted on the learnable events."""
    import numpy as np

    x, offsets, target, vec = design(learnable(groups))
    keep = np.where(np.asarray((x > 0).sum(0)).ravel() >= min_count)[0]
    w = fit_clogit(x[:, keep], offsets, target, l2=l2)
    names = vec.feature_names_
    return {names[j]: round(float(v), 5) for j, v in zip(keep, w, strict=True)
            if abs(v) > 1e-6}


def accuracy(groups: list[dict[str, Any]], weights: dict[str, float], shift: float) -> float:
    """Share of events whose best option (a candidate, or none with `shift` added) is right."""
    ok = 0
    for g in groups:
        best, best_s = None, sum(weights.get(k, 0.0) * v for k, v in g["null"].items()) + shift
        for n, f in enumerate(g["feats"]):
            s = sum(weights.get(k, 0.0) * v for k, v in f.items())
            if s > best_s:
                best, best_s = n, s
        ok += (not g["gold"]) if best is None else g["labels"][best] == 1
    return ok / len(groups)


SHIFTS = (-0.6, -0.4, -0.2, 0.0, 0.2, 0.4)


def cross_validate(groups: list[dict[str, Any]], l2: float, min_count: int, folds: int = 5
                   ) -> dict[float, float]:
    """Accuracy per no-place shift over `folds` folds grouped by sentence text (one sentence
    carries several events, which must not straddle folds)."""
    from sklearn.model_selection import GroupKFold

    texts = [g["text"] for g in groups]
    hits = dict.fromkeys(SHIFTS, 0.0)
    for tr, te in GroupKFold(n_splits=folds).split(groups, groups=texts):
        w = fit([groups[i] for i in tr], l2, min_count)
        test = [groups[i] for i in te]
        for sh in SHIFTS:
            hits[sh] += accuracy(test, w, sh) * len(test)
    return {sh: round(v / len(groups), 4) for sh, v in hits.items()}


def train(path: str | Path, out: str | Path | None = None, *, seed: int = 13,
          l2: float = 3.0, min_count: int = 2, docs: list[Any] | None = None
          ) -> dict[str, Any]:
    """Fit the locator on the train split of a Prodigy event-location file, choose the
    no-place shift by 5-fold cross-validation on that split (never on dev), write the
    weights JSON and return its meta."""
    from dateline.evaluate.event_location import load_pipeline, read_records

    records = read_records(path)
    idx = split_indices(len(records), seed)
    recs = [records[i] for i in idx]
    if docs is None:
        nlp = load_pipeline()
        docs = list(nlp.pipe((r["text"] for r in recs), batch_size=128))
    else:
        docs = [docs[i] for i in idx]
    groups = event_groups(recs, docs)
    cv = cross_validate(groups, l2, min_count)
    shift = max(cv, key=lambda s: (cv[s], -abs(s)))
    weights = fit(groups, l2, min_count)
    meta = {"trained_on": f"{Path(path).name} train split (seed {seed}, 80%)",
            "source": "ahalterman/event_location@444a2df (MIT)", "model": "conditional logit",
            "n_records": len(recs), "n_candidates": sum(len(g["feats"]) for g in groups),
            "l2": l2, "min_count": min_count, "cv_accuracy": cv[shift], "null_shift": shift,
            "cv_by_shift": {str(k): v for k, v in cv.items()}}
    data = {"meta": meta, "kind": "clogit", "null_shift": shift, "weights": weights}
    target = Path(out) if out else Path(str(__import__("dateline").__path__[0])) / "data" / \
        "gazetteer" / MODEL_FILE
    target.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    load_locator.cache_clear()
    return meta


def main(argv: list[str]) -> None:
    """CLI: GOLD.jsonl.gz [OUT.json] [--docs=PARSES.spacy] [--l2=3.0]."""
    args = [a for a in argv if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in argv if a.startswith("--") and "=" in a)
    cached = None
    if "docs" in opts:
        import spacy
        from spacy.tokens import DocBin

        from dateline.evaluate.event_location import read_records

        got = DocBin().from_disk(opts["docs"]).get_docs(spacy.blank("en").vocab)
        by_text = {d.text: d for d in got}
        cached = [by_text[r["text"]] for r in read_records(args[0])]
    meta = train(args[0], args[1] if len(args) > 1 else None, docs=cached,
                 l2=float(opts.get("l2", 3.0)))
    print(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
