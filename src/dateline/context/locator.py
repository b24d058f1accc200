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
    _NOT_PLACE_WORDS,
    PlaceMention,
    _admissible,
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


def _clause(tok: Any) -> Any:
    """The first verbal token at or above a token (its clause head)."""
    cur = tok
    for _ in range(30):
        if cur.pos_ in ("VERB", "AUX") or cur.head is cur:
            return cur
        cur = cur.head
    return cur


def _path(tok: Any, stop: Any, n: int = 4) -> str:
    """The dependency labels from a token up towards `stop` (at most n arcs)."""
    out = []
    cur = tok
    for _ in range(n):
        if cur is stop or cur.head is cur:
            break
        out.append(cur.dep_ if cur.dep_ != "prep" else "prep:" + cur.lower_)
        cur = cur.head
    return ">".join(out) + ("" if cur is stop else ">~")


def candidate_features(trigger: Any, pm: PlaceMention, others: list[PlaceMention],
                       rank_by_distance: int, roots: dict[int, Any] | None = None,
                       n_attached: int | None = None, region: tuple[str, int] | None = None
                       ) -> dict[str, float] | None:
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
        o_root = roots[id(o)] if roots is not None else _root(sdoc, o)
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
    word = trigger.lower_
    side = "before" if root.i < trigger.i else "after"
    # Where the introducing preposition hangs: on the trigger, another verb or a noun.
    prep_tok = eff.head if eff.dep_ == "pobj" else None
    if prep_tok is not None and prep_tok.head is not prep_tok:
        ph = prep_tok.head
        prep_on = "trigger" if ph == trigger else ("verb" if ph.pos_ in ("VERB", "AUX")
                                                   else ph.pos_)
    else:
        prep_on = "none"
    same_clause = _clause(root) == _clause(trigger)
    trig_anc = trigger.i in ancestors
    place_anc = root.i in {t.i for t in trigger.ancestors}
    # "X, Y" pairs: the first of the pair is the specific one.
    i0, i1 = toks[0].i, toks[-1].i
    nxt = sdoc[i1 + 1] if i1 + 1 < len(sdoc) else None
    prv = sdoc[i0 - 1] if i0 > 0 else None
    # Doc.text rebuilds the whole story's text: read a region's text (given, or built here).
    rtext, base = region if region is not None else (sdoc.text, 0)
    before_comma_place = nxt is not None and nxt.text == "," and any(
        o.start > pm.end and rtext[pm.end - base:o.start - base].strip() == "," for o in others)
    after_comma_place = prv is not None and prv.text == "," and any(
        o.end < pm.start and rtext[o.end - base:pm.start - base].strip() == "," for o in others)
    ent = root.ent_type_ or "O"
    head_noun = eff.head.lower_ if eff.dep_ in ("compound", "amod", "nmod", "poss") else "-"
    prev_word = prv.lower_ if prv is not None else "^"
    pos_in_sent = root.i / max(1, len(sdoc))
    n_att = n_attached if n_attached is not None else sum(
        1 for o in others if (_root(sdoc, o) is not None
                              and attachment(trigger, _root(sdoc, o)) is not None))
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
        f"side={side}": 1.0,
        f"gap={_bucket(abs(root.i - trigger.i), (2, 4, 8, 15, 25))}": 1.0,
        f"n_places={min(len(others), 4)}": 1.0,
        f"n_attached={min(n_att, 3)}": 1.0,
        f"rank={min(rank_by_distance, 3)}": 1.0,
        f"trigger_dep={trigger.dep_}": 1.0,
        f"trigger_pos={trigger.pos_}": 1.0,
        f"trigger_tag={trigger.tag_}": 1.0,
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
        f"word={word}": 1.0,
        f"word_prep={word}|{prep}": 1.0,
        f"word_attached={word}|{att is not None}": 1.0,
        f"side_gap={side}|{_bucket(abs(root.i - trigger.i), (2, 5, 10))}": 1.0,
        f"prep_on={prep_on}": 1.0,
        f"prep_on_prep={prep_on}|{prep}": 1.0,
        f"same_clause={same_clause}": 1.0,
        f"same_clause_prep={same_clause}|{prep}": 1.0,
        f"trig_anc={trig_anc}": 1.0,
        f"place_anc={place_anc}": 1.0,
        f"comma_pair={before_comma_place}|{after_comma_place}": 1.0,
        f"comma_pair_feature={before_comma_place}|{after_comma_place}|{feature}": 1.0,
        f"ent={ent}": 1.0,
        f"ent_label={ent}|{pm.label}": 1.0,
        f"head_noun={head_noun}": 1.0,
        f"prev_word={prev_word}": 1.0,
        f"path={_path(root, trigger)}": 1.0,
        f"path_att={_path(root, trigger)}|{att is not None}": 1.0,
        f"sent_pos={_bucket(int(pos_in_sent * 10), (0, 2, 5, 8))}": 1.0,
        f"known={pm.place is not None}|{pm.label}": 1.0,
        f"root_pos={root.tag_}": 1.0,
        f"ntoks={min(len(toks), 3)}": 1.0,
        f"trig_side_dep={trigger.dep_}|{side}|{att is not None}": 1.0,
    }
    return f


_NOT_PLACE_ENTS = {"PERSON", "DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL",
                   "QUANTITY", "NORP", "LANGUAGE", "LAW", "WORK_OF_ART", "PRODUCT", "EVENT"}


def sentence_candidates(sdoc: Any, sent: Any, places: list[PlaceMention]
                        ) -> list[PlaceMention]:
    """The sentence's toponyms plus every other run of proper nouns in it (label PROPN):
    NER misses many small places ("stormed Najarah", "attacks on Aleppo")."""
    in_sent = [p for p in places if sent.start_char <= p.start < sent.end_char]
    taken = [(p.start, p.end) for p in in_sent]
    extra: list[PlaceMention] = []
    run: list[Any] = []

    def flush() -> None:
        if not run:
            return
        start, end = run[0].idx, run[-1].idx + len(run[-1])
        if run[0].ent_type_ not in _NOT_PLACE_ENTS and not any(
                t.lower_ in _NOT_PLACE_WORDS for t in run) and not any(
                s < end and start < e for s, e in taken):
            text = sdoc[run[0].i:run[-1].i + 1].text  # Doc.text rebuilds the whole text
            from dateline.context.places import resolve_place

            extra.append(PlaceMention(start, end, text, resolve_place(text), "PROPN"))
        run.clear()

    for tok in sent:
        if tok.tag_ in ("NNP", "NNPS") and tok.text[:1].isupper() and tok.is_alpha is not None \
                and (not run or run[-1].i == tok.i - 1):
            run.append(tok)
        else:
            flush()
            if tok.tag_ in ("NNP", "NNPS") and tok.text[:1].isupper():
                run.append(tok)
    flush()
    if not extra:
        return in_sent
    return sorted(in_sent + extra, key=lambda p: p.start)


def group_rows(trigger: Any, candidates: list[PlaceMention]
               ) -> list[tuple[PlaceMention, dict[str, float]]]:
    """(place, features) of every usable candidate for one trigger."""
    sdoc = trigger.doc
    # Each candidate's head token and attachment, computed once per trigger, not per pair.
    roots = {id(p): _root(sdoc, p) for p in candidates}
    n_att = sum(1 for r in roots.values() if r is not None and attachment(trigger, r) is not None)
    present = [r for r in roots.values() if r is not None]
    lo = min([trigger.sent.start] + [r.sent.start for r in present])
    hi = max([trigger.sent.end] + [r.sent.end for r in present])
    span = sdoc[lo:hi]
    region = (span.text, span.start_char)
    by_dist = sorted(candidates, key=lambda p: _distance(trigger, p))
    out = []
    for rank, pm in enumerate(by_dist):
        feats = candidate_features(trigger, pm, candidates, rank, roots, n_att, region)
        if feats is None:
            continue
        admissible = _admissible(trigger.doc, trigger, pm)
        if pm.label == "PROPN" and not admissible:
            continue  # a bare proper noun as subject or affiliation is an actor, not a place
        feats[f"admissible={admissible}"] = 1.0
        out.append((pm, feats))
    return out


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

    def best(self, trigger: Any, candidates: list[PlaceMention]
             ) -> tuple[PlaceMention, float] | None:
        """The most probable place and its probability, when it clears the threshold."""
        top: tuple[PlaceMention, float] | None = None
        for pm, feats in group_rows(trigger, candidates):
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
          c: float = 0.3, docs: list[Any] | None = None, min_count: int = 2
          ) -> dict[str, Any]:
    """Fit the locator on the train split of a Prodigy event-location file (needs
    scikit-learn) and write the weights JSON; returns its meta.

    The threshold of the "best candidate or none" rule is chosen on out-of-fold
    probabilities (4 folds grouped by sentence) of the train split, never on the dev split.
    """
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

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
    rows, labels, groups, texts = [], [], [], []
    gold_has = []
    for g, (sdoc, rec) in enumerate(zip(docs, recs, strict=True)):
        gold = [(s["start"], s["end"]) for s in rec["spans"]
                if s.get("label") == "LOCATION" and s["end"] > s["start"]]
        gold_has.append(bool(gold))
        trigger = _trigger(sdoc, rec)
        if trigger is None:
            continue
        cands = sentence_candidates(sdoc, sdoc[:], find_places(sdoc.text, sdoc, None))
        for pm, feats in group_rows(trigger, cands):
            rows.append(feats)
            labels.append(int(any(s < pm.end and pm.start < e for s, e in gold)))
            groups.append(g)
            texts.append(rec["text"])
    vec = DictVectorizer()
    x = vec.fit_transform(rows)
    keep = np.where(np.asarray((x > 0).sum(0)).ravel() >= min_count)[0]
    x = x[:, keep]
    names = [vec.feature_names_[i] for i in keep]
    y = np.array(labels)

    def fit(xs: Any, ys: Any) -> Any:
        return LogisticRegression(C=c, max_iter=3000, fit_intercept=False).fit(xs, ys)

    oof = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=4).split(x, y, texts):
        oof[te] = fit(x[tr], y[tr]).predict_proba(x[te])[:, 1]
    best_by_group: dict[int, tuple[float, int]] = {}
    for g, p, lab in zip(groups, oof, labels, strict=True):
        if g not in best_by_group or p > best_by_group[g][0]:
            best_by_group[g] = (p, lab)
    best_t, best_acc = 0.5, -1.0
    for t in [i / 100 for i in range(5, 96)]:
        ok = 0
        for g in range(len(recs)):
            top = best_by_group.get(g)
            ok += (not gold_has[g]) if top is None or top[0] < t else top[1] == 1
        if ok / len(recs) > best_acc:
            best_t, best_acc = t, ok / len(recs)
    model = fit(x, y)
    weights = {name: round(float(w), 5) for name, w in zip(names, model.coef_[0], strict=True)
               if abs(w) > 1e-6}
    meta = {"trained_on": f"{Path(path).name} train split (seed {seed}, 80%)",
            "source": "ahalterman/event_location@444a2df (MIT)",
            "n_records": len(recs), "n_candidates": len(rows), "C": c,
            "min_count": min_count, "oof_accuracy": round(best_acc, 4), "threshold": best_t}
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

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    cached = None
    for a in sys.argv[1:]:
        if a.startswith("--docs="):  # a spaCy DocBin of the file's sentences (faster reruns)
            import spacy
            from spacy.tokens import DocBin

            from dateline.evaluate.event_location import read_records

            got = DocBin().from_disk(a.split("=", 1)[1]).get_docs(spacy.blank("en").vocab)
            by_text = {d.text: d for d in got}
            cached = [by_text[r["text"]] for r in read_records(args[0])]
    print(json.dumps(train(args[0], args[1] if len(args) > 1 else None, docs=cached),
                     indent=1))
