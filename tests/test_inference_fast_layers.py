"""The prediction-only Maxout and LayerNorm forwards give thinc's output exactly, and
leave training alone."""

from __future__ import annotations

import numpy as np
import pytest
from thinc.api import LayerNorm, Maxout

from dateline.inference import _PREDICT, _predict_forward, speed_up_prediction


def _fast(model):
    model._func = _predict_forward(model._func, _PREDICT[model.name])
    return model


def _random_params(model, seed):
    rng = np.random.default_rng(seed)
    for name in ("W", "b", "G"):
        if model.has_param(name):
            shape = model.get_param(name).shape
            model.set_param(name, rng.normal(size=shape).astype("f"))
    return rng


@pytest.mark.parametrize("pieces", [1, 2, 3, 4])
def test_maxout_prediction_matches_thinc(pieces):
    model = Maxout(nO=7, nI=5, nP=pieces)
    model.initialize()
    rng = _random_params(model, pieces)
    X = rng.normal(size=(11, 5)).astype("f")
    expected = model.predict(X)
    got = _fast(model).predict(X)
    assert got.shape == expected.shape == (11, 7)
    assert np.array_equal(got, expected)


@pytest.mark.parametrize("width", [3, 96, 301])
def test_layernorm_prediction_matches_thinc(width):
    model = LayerNorm(nI=width)
    model.initialize()
    rng = _random_params(model, width)
    X = (rng.normal(size=(257, width)) * 5 + 3).astype("f")
    expected = model.predict(X)
    got = _fast(model).predict(X)
    assert got.dtype == expected.dtype
    assert np.array_equal(got, expected)


@pytest.mark.parametrize("layer", [Maxout(nO=4, nI=3, nP=3), LayerNorm(nI=3)])
def test_training_still_gets_thinc_backprop(layer):
    layer.initialize()
    model = _fast(layer)
    X = np.arange(6, dtype="f").reshape(2, 3)
    Y, backprop = model(X, is_train=True)
    assert backprop(np.ones_like(Y)).shape == X.shape
    _, no_grad = model(X, is_train=False)
    with pytest.raises(RuntimeError):
        no_grad(np.ones_like(Y))


def test_pipeline_analysis_identical_with_fast_layers():
    from dateline import nlp

    pipeline = nlp.load()
    nodes = [n for _, p in pipeline.pipeline if getattr(p, "model", None) is not None
             for n in p.model.walk() if n.name in _PREDICT]
    assert {n.name for n in nodes} == set(_PREDICT)
    assert all(hasattr(n._func, "dateline_thinc_forward") for n in nodes)
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
        assert speed_up_prediction(pipeline) == len(nodes)
    assert np.array_equal(fast_vectors, slow_vectors)
    assert fast == slow
