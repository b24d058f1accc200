"""The cameo_ner scorer: source/target actor spans, end to end from raw text.

Each CoNLL sentence is joined with single spaces and coded by the full coder
(`dateline.coder.code_text`). Gold S and R spans (R = reciprocal parties, which the coder
lists as actors) are compared with the events' actor spans; gold T with recipient spans.
Both the overlap and the exact rule of `dateline.evaluate.spans` are reported; the main
numbers (span_f1, source_f1, target_f1) use overlap, the `*_exact` twins the exact rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dateline.evaluate.metrics import prf
from dateline.evaluate.readers import read_conll_spans
from dateline.evaluate.spans import match_spans


def predicted_spans(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Actor and recipient spans of the events the coder finds in one sentence."""
    from dateline.coder import code_text

    coded = code_text(text)
    actors: set[tuple[int, int]] = set()
    recipients: set[tuple[int, int]] = set()
    for ev in coded.events:
        for a in ev.actors:
            if a.start is not None and a.end is not None:
                actors.add((a.start, a.end))
        for r in ev.recipients:
            if r.start is not None and r.end is not None:
                recipients.add((r.start, r.end))
    return sorted(actors), sorted(recipients - actors)


def score_cameo_ner(path: str | Path, limit: int | None = None) -> dict[str, Any]:
    """Source/target span precision, recall and F1 of the full coder on a CoNLL file."""
    sentences = read_conll_spans(path)
    if limit is not None:
        sentences = sentences[:limit]
    if not sentences:
        raise ValueError(f"{path}: no sentences")
    counts = {(role, rule): [0, 0, 0] for role in ("source", "target")
              for rule in ("overlap", "exact")}  # tp, n_pred, n_gold
    perfect = 0
    for text, gold in sentences:
        g_src = [(s.start, s.end) for s in gold if s.role in ("S", "R")]
        g_tgt = [(s.start, s.end) for s in gold if s.role == "T"]
        p_src, p_tgt = predicted_spans(text)
        ok = True
        for role, g, p in (("source", g_src, p_src), ("target", g_tgt, p_tgt)):
            for rule in ("overlap", "exact"):
                hits = match_spans(g, p, text, rule)
                c = counts[(role, rule)]
                c[0] += hits
                c[1] += len(p)
                c[2] += len(g)
                if rule == "overlap" and not (hits == len(g) == len(p)):
                    ok = False
        perfect += ok
    out: dict[str, Any] = {"n": len(sentences), "accuracy": round(perfect / len(sentences), 4),
                           "per_class": {}}
    for rule, suffix in (("overlap", ""), ("exact", "_exact")):
        tot = [0, 0, 0]
        for role in ("source", "target"):
            tp, npred, ngold = counts[(role, rule)]
            p, r, f = prf(tp, npred - tp, ngold - tp)
            out[f"{role}_f1{suffix}"] = round(f, 4)
            if not suffix:
                out["per_class"][role] = {"p": round(p, 4), "r": round(r, 4),
                                          "f1": round(f, 4), "n": ngold}
            tot = [a + b for a, b in zip(tot, (tp, npred, ngold))]
        p, r, f = prf(tot[0], tot[1] - tot[0], tot[2] - tot[0])
        out[f"span_f1{suffix}"] = round(f, 4)
    out["macro_f1"] = round((out["source_f1"] + out["target_f1"]) / 2, 4)
    out["matching"] = "overlap (main) and exact (*_exact); one-to-one, greedy"
    return out
