"""The prediction-only Maxout forward gives thinc's output exactly, and leaves training alone."""

from __future__ import annotations

import numpy as np
import pytest
from thinc.api import Maxout, NumpyOps

from dateline.inference import _predict_forward, speed_up_maxout


@pytest.mark.parametrize("pieces", [1, 2, 3, 4])
def test_predict_forward_matches_thinc_maxout(pieces):
    model = Maxout(nO=7, nI=5, nP=pieces)
    model.initialize()
    rng = np.random.default_rng(pieces)
    model.set_param("W", rng.normal(size=model.get_param("W").shape).astype("f"))
    model.set_param("b", rng.normal(size=model.get_param("b").shape).astype("f"))
    X = rng.normal(size=(11, 5)).astype("f")
    expected = model.predict(X)
    model._func = _predict_forward(model._func)
    got = model.predict(X)
    assert got.shape == expected.shape == (11, 7)
    assert np.array_equal(got, expected)


def test_training_still_gets_thinc_backprop():
    model = Maxout(nO=4, nI=3, nP=3)
    model.initialize()
    model._func = _predict_forward(model._func)
    X = np.ones((2, 3), dtype="f")
    Y, backprop = model(X, is_train=True)
    dX = backprop(np.ones_like(Y))
    assert dX.shape == X.shape
    _, no_grad = model(X, is_train=False)
    with pytest.raises(RuntimeError):
        no_grad(np.ones_like(Y))


def test_pipeline_analysis_identical_with_fast_maxout():
    from dateline import nlp

    pipeline = nlp.load()
    nodes = [n for _, p in pipeline.pipeline if getattr(p, "model", None) is not None
             for n in p.model.walk() if n.name == "maxout"]
    assert nodes and all(getattr(n._func, "dateline_fast", False) for n in nodes)
    text = ("The US Homeland Security Secretary met Mexico's Interior Secretary in Mexico "
            "City on Friday. Two Americans were arrested in February for smuggling weapons.")
    doc = pipeline.make_doc(text)
    tok2vec = pipeline.get_pipe("tok2vec")

    def analyse():
        vectors = tok2vec.predict([doc])[0]
        parsed = pipeline(text)
        return vectors, [(t.tag_, t.dep_, t.head.i, t.ent_type_) for t in parsed]

    fast_vectors, fast = analyse()
    try:
        for node in nodes:
            node._func = node._func.dateline_thinc_forward
        slow_vectors, slow = analyse()
    finally:
        assert speed_up_maxout(pipeline) == len(nodes)
    assert np.array_equal(fast_vectors, slow_vectors)
    assert fast == slow
    assert isinstance(nodes[0].ops, NumpyOps)
