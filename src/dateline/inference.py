"""Inference-only fast paths for the thinc layers of the spaCy pipeline.

thinc's Maxout computes, besides each unit's best piece, the index of that piece for the
backward pass, in a scalar Cython loop: on the coder's shapes (a batch of ~2,500 tokens by
96 units by 3 pieces) that took ~4x as long as numpy's vectorised ``maximum`` over the
pieces. When a layer runs for prediction only (``is_train=False``: spaCy's ``predict``) the
indices are never read, so :func:`speed_up_maxout` gives each Maxout node a forward pass
that takes the elementwise maximum of its pieces instead. The maximum of the same floats is
the same float, so every score, tag, parse and entity is unchanged
(tests/test_inference_maxout.py compares the two on the shipped pipeline). Training and
anything else that asks for gradients still goes through thinc's own forward.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

_MAXOUT = "maxout"


def _no_backprop(_dY: Any) -> Any:
    raise RuntimeError("this Maxout forward ran for prediction only (is_train=False)")


def _predict_forward(train_forward: Callable) -> Callable:
    """A Maxout forward that keeps thinc's arithmetic up to the pieces, then takes their
    elementwise maximum; with ``is_train`` it is thinc's forward unchanged."""

    def forward(model: Any, X: Any, is_train: bool) -> tuple[Any, Callable]:
        if is_train:
            return train_forward(model, X, is_train)
        ops = model.ops
        n_out, n_pieces, n_in = (model.get_dim("nO"), model.get_dim("nP"),
                                 model.get_dim("nI"))
        W = ops.reshape2f(model.get_param("W"), n_out * n_pieces, n_in)
        Y = ops.gemm(X, W, trans2=True)  # the same product and bias as thinc's forward
        Y += ops.reshape1f(model.get_param("b"), n_out * n_pieces)
        Z = Y.reshape(Y.shape[0], n_out, n_pieces)
        if n_pieces == 1:
            return np.ascontiguousarray(Z[:, :, 0]), _no_backprop
        best = np.maximum(Z[:, :, 0], Z[:, :, 1])
        for p in range(2, n_pieces):
            np.maximum(best, Z[:, :, p], out=best)
        return best, _no_backprop

    forward.dateline_fast = True  # type: ignore[attr-defined]
    forward.dateline_thinc_forward = train_forward  # type: ignore[attr-defined]
    return forward


def speed_up_maxout(nlp: Any) -> int:
    """Give every numpy-backed Maxout node of `nlp`'s components the prediction fast path;
    returns how many nodes now have it (nodes on other backends are left alone)."""
    from thinc.api import NumpyOps

    done = 0
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is None:
            continue
        for node in model.walk():
            if node.name != _MAXOUT or not isinstance(node.ops, NumpyOps):
                continue
            if not getattr(node._func, "dateline_fast", False):
                node._func = _predict_forward(node._func)
            done += 1
    return done
