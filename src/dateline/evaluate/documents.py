"""The `dateline` scorer: gold coded documents (our JSONL) against the coder's output.

Each gold document's text is coded again. Gold and predicted events are aligned one to one
when their evidence sentences overlap, preferring pairs with the same type and shared
actors/recipients. A gold event left unaligned counts as predicted "NONE" (missed); a
predicted event left unaligned as gold "NONE" (spurious). Per-class PRF is over event
types; actor_f1 / recipient_f1 compare the actor codes (or names) of aligned events.

Partly reviewed stories (a `gold` block with `complete: false`, docs/gold-format.md): an
unaligned prediction counts as spurious only when it matches a reviewed-wrong event (same
sentence, same type); any other unaligned prediction is about an unreviewed event and is
left out of the scores.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dateline.evaluate.metrics import prf, score_labels
from dateline.records import Actor, CodedDocument, Document, Event, event_from_json


def _keys(actors: list[Actor]) -> set[str]:
    return {(a.code or a.name or a.text or "").upper() for a in actors} - {""}


def _overlap(a: Event, b: Event) -> bool:
    return min(a.evidence.end, b.evidence.end) > max(a.evidence.start, b.evidence.start)


def align_events(gold: list[Event], pred: list[Event]) -> list[tuple[Event | None, Event | None]]:
    """One-to-one alignment of gold and predicted events of one document."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if not _overlap(g, p):
                continue
            score = (2 * (g.type == p.type) + bool(_keys(g.actors) & _keys(p.actors))
                     + bool(_keys(g.recipients) & _keys(p.recipients)))
            pairs.append((score, -abs((g.evidence.trigger_start or 0)
                                      - (p.evidence.trigger_start or 0)), i, j))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: list[tuple[Event | None, Event | None]] = []
    for _, _, i, j in sorted(pairs, reverse=True):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((gold[i], pred[j]))
    out += [(g, None) for i, g in enumerate(gold) if i not in used_g]
    out += [(None, p) for j, p in enumerate(pred) if j not in used_p]
    return out


def read_gold_documents(path: str | Path) -> list[CodedDocument]:
    """Coded documents, one JSON object per line; rejected lines are skipped."""
    return [coded for coded, _ in read_gold_lines(path)]


def read_gold_lines(path: str | Path) -> list[tuple[CodedDocument, dict[str, Any]]]:
    """Coded documents with their review block (`gold`, empty for plain coded documents)."""
    docs = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                coded = CodedDocument.from_json(data)
                meta = data.get("gold") or {}
                meta["wrong"] = [event_from_json(e) for e in meta.get("wrong_events") or []]
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                raise ValueError(f"{path}:{n}: not a coded document ({exc})") from None
            if coded.doc is not None:
                docs.append((coded, meta))
    return docs


def _counts_as_spurious(pred: Event, meta: dict[str, Any]) -> bool:
    """An unaligned prediction is an error unless its story was only partly reviewed."""
    if not meta or meta.get("complete", True):
        return True
    return any(w.type == pred.type and _overlap(w, pred) for w in meta["wrong"])


def score_documents(path: str | Path, coder=None) -> dict[str, Any]:
    """Event-type PRF and actor/recipient agreement of the coder on gold coded documents."""
    from dateline.coder import code_document

    coder = coder or code_document
    golds = read_gold_lines(path)
    if not golds:
        raise ValueError(f"{path}: no gold documents")
    g_labels: list[str] = []
    p_labels: list[str] = []
    role_counts = {"actor": [0, 0, 0], "recipient": [0, 0, 0]}  # tp, n_pred, n_gold
    for gold, meta in golds:
        doc = gold.doc
        assert doc is not None
        fresh = Document(text=doc.text, title=doc.title, published=doc.published, url=doc.url,
                         source=doc.source, language=doc.language, origin=doc.origin)
        predicted = coder(fresh)
        for g, p in align_events(gold.events, predicted.events):
            if g is None and p is not None and not _counts_as_spurious(p, meta):
                continue
            g_labels.append(g.type if g else "NONE")
            p_labels.append(p.type if p else "NONE")
            for role, attr in (("actor", "actors"), ("recipient", "recipients")):
                gk = _keys(getattr(g, attr)) if g else set()
                pk = _keys(getattr(p, attr)) if p else set()
                c = role_counts[role]
                c[0] += len(gk & pk)
                c[1] += len(pk)
                c[2] += len(gk)
    types = sorted({t for t in g_labels + p_labels if t != "NONE"})
    result = score_labels(g_labels, p_labels, labels=types)
    result["n_documents"] = len(golds)
    result["n_gold_events"] = sum(t != "NONE" for t in g_labels)
    result["n_predicted_events"] = sum(t != "NONE" for t in p_labels)
    for role, (tp, npred, ngold) in role_counts.items():
        result[f"{role}_f1"] = round(prf(tp, npred - tp, ngold - tp)[2], 4)
    return result
