"""The classifier scores from feature indices, not feature names: `_emit` writes the same
features, in the same order, to the model's index sink as to the names that training reads,
so scoring the indices gives the floats that scoring the names would."""

from __future__ import annotations

import numpy as np
import pytest

from dateline.events.classifier import ClassifierInput, EventClassifier, features


def _span(sentence: str, words: str | None) -> tuple[int, int] | None:
    if words is None:
        return None
    start = sentence.index(words)
    return start, start + len(words)


CASES = [
    # sentence, source, target, trigger, syntax
    ("Police arrested 12 protesters outside parliament on Monday.", "Police",
     "12 protesters", "arrested", ("sx:a:arrest", "sx:sp:nsubj", "sx:unknown:feature")),
    ("Russia accused Ukraine of shelling the power plant, which it denied.", "Russia",
     "Ukraine", "accused", None),
    ("The two ministers will not meet in Paris, officials said.", "The two ministers", None,
     "meet", ("sx:neg", "sx:aux:will")),
    ("Protesters were beaten by police after they refused to leave the square.", "police",
     "Protesters", None, None),
    ("Thousands marched; the army’s troops didn’t intervene.", None, None, None, None),
    ("Rebels attacked an army base near the border, killing five soldiers and 3 civilians.",
     "Rebels", "an army base", "attacked", ()),
    ("The US imposed sanctions on Iran's oil exports and threatened further measures.",
     "Iran", "The US", "imposed sanctions", None),
    ("Zzyzx qwrtp flmb.", "Zzyzx", "flmb", "qwrtp", None),
]


def _items() -> list[ClassifierInput]:
    return [ClassifierInput(s, _span(s, a), _span(s, b), _span(s, g), syntax=sx)
            for s, a, b, g, sx in CASES]


def _named_indices(model: EventClassifier, item: ClassifierInput) -> list[int]:
    """The indices of the feature names that training sees, in the order `features` names
    them (the names the model does not know dropped)."""
    return [model.vocab[f] for f in features(item, model.lexicon) if f in model.vocab]


def _named_scores(model: EventClassifier, items: list[ClassifierInput]) -> np.ndarray:
    """Every head's scores computed from the feature names (the training-side definition)."""
    rows = [set(_named_indices(model, it)) for it in items]
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    idx = np.array([i for r in rows for i in r], dtype=np.int64)
    return model._linear(idx, lengths, slice(0, len(model._b)))


@pytest.fixture(scope="module")
def model() -> EventClassifier:
    return EventClassifier.load()


def test_indices_follow_the_feature_names_in_order(model) -> None:
    for item in _items():
        assert model._indices(item) == _named_indices(model, item)
        assert model._indices(item) == _named_indices(model, item)  # from the word caches


def test_every_feature_name_the_model_knows_is_scored(model) -> None:
    """Nothing training names is lost on the way to indices, nothing is added."""
    for item in _items():
        names = features(item, model.lexicon)
        assert len(names) > 10 and any(n.startswith(("mc:", "gc:")) for n in names)
        known = {model.vocab[f] for f in names if f in model.vocab}
        assert known and set(model._indices(item)) == known


def test_predictions_equal_scoring_the_names(model) -> None:
    items = _items()
    raw = _named_scores(model, items)
    assert np.array_equal(model._raw_scores(items), raw)
    preds = model.predict(items)
    for name in model.heads:
        got = model.probabilities(items, name)
        assert np.array_equal(got, model._softmax(raw[:, model._cols[name]]))
    for i, p in enumerate(preds):
        row = model._softmax(raw[i:i + 1, model._cols["type"]])[0]
        j = int(row.argmax())
        assert p.type == model.classes[j] and p.confidence == float(row[j])
        assert p.probs == {c: float(v) for c, v in zip(model.classes, row)}
        if p.type in model.mode_heads:
            classes = model.mode_heads[p.type]["classes"]
            mode = classes[int(raw[i, model._cols["mode:" + p.type]].argmax())] or None
            assert p.mode == mode
        else:
            assert p.mode is None
        penta = model.heads["penta"]["classes"]
        assert p.penta == int(penta[int(raw[i, model._cols["penta"]].argmax())])


def test_a_candidate_scores_the_same_alone_and_in_a_batch(model) -> None:
    items = _items()
    batch = model.predict(items)
    for item, p in zip(items, batch):
        assert model.predict([item])[0] == p
