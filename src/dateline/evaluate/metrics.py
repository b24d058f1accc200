"""Classification scores: per-class precision, recall, F1, accuracy, macro-F1 and confusion."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_labels(gold: Sequence[Any], pred: Sequence[Any],
                 labels: Sequence[Any] | None = None) -> dict[str, Any]:
    """Accuracy, macro-F1 over the gold classes, per-class PRF and the confusion matrix."""
    if len(gold) != len(pred):
        raise ValueError("gold and predicted labels differ in length")
    classes = list(labels) if labels is not None else sorted(set(map(str, gold)))
    gold_s = [str(g) for g in gold]
    pred_s = [str(p) for p in pred]
    pairs = Counter(zip(gold_s, pred_s))
    per_class = {}
    for c in classes:
        c = str(c)
        tp = pairs.get((c, c), 0)
        fp = sum(n for (g, p), n in pairs.items() if p == c and g != c)
        fn = sum(n for (g, p), n in pairs.items() if g == c and p != c)
        p, r, f = prf(tp, fp, fn)
        per_class[c] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "n": tp + fn}
    scored = [c for c in per_class if per_class[c]["n"] > 0]
    macro = sum(per_class[c]["f1"] for c in scored) / len(scored) if scored else 0.0
    correct = sum(n for (g, p), n in pairs.items() if g == p)
    cols = sorted(set(classes) | set(pred_s), key=lambda x: (x not in classes, x))
    confusion = {g: {p: pairs.get((g, p), 0) for p in cols if pairs.get((g, p), 0)}
                 for g in map(str, classes)}
    return {"n": len(gold_s), "accuracy": round(correct / len(gold_s), 4) if gold_s else 0.0,
            "macro_f1": round(macro, 4), "per_class": per_class, "confusion": confusion}


def format_report(result: dict[str, Any]) -> str:
    """A plain-text table of the per-class scores and the confusion matrix."""
    head = f"n={result['n']}  accuracy={result['accuracy']:.4f}  "
    lines = [head + f"macro_f1={result['macro_f1']:.4f}"]
    for key in ("span_f1", "source_f1", "target_f1"):
        if key in result:
            lines.append(f"{key}={result[key]:.4f}")
    lines.append(f"{'class':<12} {'p':>6} {'r':>6} {'f1':>6} {'n':>5}")
    for c, s in result["per_class"].items():
        lines.append(f"{c:<12} {s['p']:>6.3f} {s['r']:>6.3f} {s['f1']:>6.3f} {s['n']:>5}")
    conf = result.get("confusion")
    if conf:
        cols = sorted({p for row in conf.values() for p in row}
                      | set(conf), key=lambda x: (x not in conf, x))
        short = [c[:5] for c in cols]
        lines.append("confusion (rows gold, columns predicted):")
        lines.append(" " * 12 + " ".join(f"{s:>5}" for s in short))
        for g, row in conf.items():
            lines.append(f"{g[:12]:<12}" + " ".join(f"{row.get(c, 0):>5}" for c in cols))
    return "\n".join(lines)
