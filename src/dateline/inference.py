"""Inference-only fast paths for the thinc layers of the spaCy pipeline.

Two layers of spaCy's CNN spend time on work that prediction throws away:

* **Maxout** computes, besides each unit's best piece, the index of that piece for the
  backward pass, in a scalar Cython loop: on the coder's shapes (a batch of ~2,500 tokens by
  96 units by 3 pieces) ~4x as long as numpy's vectorised ``maximum`` over the pieces. The
  maximum of the same floats is the same float.
* **LayerNorm** takes each row's mean, then ``X.var``, which computes the mean and the
  deviations ``X - mean`` again, then ``X - mean`` a third time for the output. The fast path
  makes the deviations once and sums their squares with the very reductions ``numpy.var``
  uses (same order, same divisions), so every float is the same: ~40 % less time.

When a layer runs for prediction only (``is_train=False``: spaCy's ``predict``) nothing reads
the backward pass, so :func:`speed_up_prediction` gives each such node a forward pass that
skips it; training, and anything else that asks for gradients, still goes through thinc's
own forward. Tagging, parsing and entities are bit-for-bit unchanged
(tests/test_inference_fast_layers.py compares the layers and the shipped pipeline).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def _no_backprop(_dY: Any) -> Any:
    raise RuntimeError("this layer ran for prediction only (is_train=False)")


def _maxout_predict(model: Any, X: Any) -> Any:
    """thinc's Maxout arithmetic up to the pieces, then their elementwise maximum."""
    ops = model.ops
    n_out, n_pieces, n_in = model.get_dim("nO"), model.get_dim("nP"), model.get_dim("nI")
    W = ops.reshape2f(model.get_param("W"), n_out * n_pieces, n_in)
    Y = ops.gemm(X, W, trans2=True)  # the same product and bias as thinc's forward
    Y += ops.reshape1f(model.get_param("b"), n_out * n_pieces)
    Z = Y.reshape(Y.shape[0], n_out, n_pieces)
    if n_pieces == 1:
        return np.ascontiguousarray(Z[:, :, 0])
    best = np.maximum(Z[:, :, 0], Z[:, :, 1])
    for p in range(2, n_pieces):
        np.maximum(best, Z[:, :, p], out=best)
    return best


def _layernorm_predict(model: Any, X: Any) -> Any:
    """thinc's LayerNorm, its variance through numpy.var's own reductions, deviations once."""
    mu = X.mean(axis=1, keepdims=True)
    deviation = X - mu  # numpy.var subtracts the same float32 mean
    var = np.add.reduce(np.square(deviation), axis=1, keepdims=True)
    np.true_divide(var, np.intp(X.shape[1]), out=var, casting="unsafe")
    var += 1e-08
    Y = deviation * var ** (-1.0 / 2.0)
    Y *= model.get_param("G")
    Y += model.get_param("b")
    return Y


_PREDICT = {"maxout": _maxout_predict, "layernorm": _layernorm_predict}


def _predict_forward(train_forward: Callable, predict: Callable) -> Callable:
    """A forward that runs `predict` for prediction and thinc's forward for training."""

    def forward(model: Any, X: Any, is_train: bool) -> tuple[Any, Callable]:
        if is_train:
            return train_forward(model, X, is_train)
        return predict(model, X), _no_backprop

    forward.dateline_thinc_forward = train_forward  # type: ignore[attr-defined]
    return forward


def speed_up_prediction(nlp: Any) -> int:
    """Give the numpy-backed Maxout and LayerNorm nodes of `nlp`'s components their
    prediction fast path; returns how many nodes have it (other backends are left alone)."""
    from thinc.api import NumpyOps

    done = 0
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is None:
            continue
        for node in model.walk():
            predict = _PREDICT.get(node.name)
            if predict is None or not isinstance(node.ops, NumpyOps):
                continue
            if not hasattr(node._func, "dateline_thinc_forward"):
                node._func = _predict_forward(node._func, predict)
            done += 1
    return done
