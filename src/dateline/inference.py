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

A third path, :func:`cache_embeddings`, remembers the output of each tok2vec's embedding
stage per word (see :class:`EmbeddingCache`): the same floats for a word wherever it occurs,
instead of floats that move in their last bits with the batch a word is analysed in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
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


class EmbeddingCache:
    """The embedding stage of a spaCy tok2vec, for prediction, remembered per word.

    A tok2vec first embeds each token on its own (hash embeddings of its NORM, PREFIX,
    SUFFIX, SHAPE, ... ids, concatenated, then Maxout and LayerNorm) and only then mixes in
    its neighbours (the CNN). The first stage is a pure function of the token's feature ids,
    yet it was ~45 % of each tok2vec's time (hash lookups, a 576-wide concatenation, a
    576 x 288 product per token), and ~92 % of the tokens of a news story are words met
    before. This keeps the stage's output per distinct feature-id row, up to `capacity` rows
    (the first met: frequent words come early), in a table allocated once, so a worker's
    memory does not follow the corpus.

    **Canonical floats.** A BLAS product of a batch gives a row floats that depend, in the
    last bits, on the other rows and its position in the batch (measured: numpy's OpenBLAS
    and blis both). A cached row must not depend on the batch where the word was first met,
    or two workers, which meet words in different orders, would code differently. So every
    row, cached or not, is computed alone: one matrix-vector product per distinct new row
    (numpy's stacked ``matmul`` calls the same product once per row), then the same
    elementwise maximum and LayerNorm as :func:`_maxout_predict` and
    :func:`_layernorm_predict` (whose per-row reductions do not depend on the other rows). A
    word's embedding is then the same floats in every batch, run and worker.
    """

    def __init__(self, model: Any, capacity: int) -> None:
        extract, to_ragged, embed, reduce_, to_list = model.layers
        if (extract.name, to_ragged.name, to_list.name) != (
                "extract_features", "list2ragged", "ragged2list"):
            raise ValueError(f"not a tok2vec embedding stage: {model.name}")
        self.extract, self.to_ragged, self.embed = extract, to_ragged, embed
        (self.maxout,) = [n for n in reduce_.walk() if n.name == "maxout"]
        self.layernorm = [n for n in reduce_.walk() if n.name == "layernorm"]
        width = self.maxout.get_dim("nO")
        self.capacity = capacity
        self.rows: dict[bytes, int] = {}
        self._adding = threading.Lock()  # two threads adding rows must not share a slot
        self.table = np.zeros((capacity, width), dtype="float32")
        self.table.fill(0.0)  # touch the pages now: the table's memory is fixed from the start

    def _compute(self, feats: Any) -> Any:
        """The stage's output for rows of feature ids, each row computed on its own."""
        X = self.embed.predict(self.to_ragged.predict([feats])).dataXd
        maxout = self.maxout
        n_out, n_pieces, n_in = (maxout.get_dim(d) for d in ("nO", "nP", "nI"))
        W = maxout.get_param("W").reshape(n_out * n_pieces, n_in)
        Y = np.matmul(W, X[:, :, None])[:, :, 0]  # one product per row (see class doc)
        Y += maxout.get_param("b").reshape(n_out * n_pieces)
        Z = Y.reshape(Y.shape[0], n_out, n_pieces)
        best = Z[:, :, 0].copy()
        for p in range(1, n_pieces):
            np.maximum(best, Z[:, :, p], out=best)
        for norm in self.layernorm:
            best = _layernorm_predict(norm, best)
        return best

    def predict(self, docs: list) -> list:
        feats = self.extract.predict(docs)
        lengths = [len(f) for f in feats]
        if not feats or sum(lengths) == 0:
            return [np.zeros((n, self.table.shape[1]), dtype="float32") for n in lengths]
        F = np.ascontiguousarray(np.concatenate(feats))
        keys = F.view(np.dtype((np.void, F.shape[1] * F.itemsize))).ravel().tolist()
        get = self.rows.get
        where = np.array([get(k, -1) for k in keys], dtype=np.intp)
        missing = np.flatnonzero(where < 0)
        if missing.size:
            new: dict[bytes, int] = {}  # each distinct new row once, in the order met
            first = []
            for i in missing.tolist():
                if keys[i] not in new:
                    new[keys[i]] = len(new)
                    first.append(i)
            order = np.fromiter((new[keys[i]] for i in missing), dtype=np.intp,
                                count=missing.size)
            values = self._compute(F[first])
            with self._adding:  # a row is filled before its key is published to readers
                start = len(self.rows)
                if start < self.capacity:  # keep the first new words that fit, as met
                    kept = [k for k in new if k not in self.rows][:self.capacity - start]
                    self.table[start:start + len(kept)] = values[[new[k] for k in kept]]
                    self.rows.update(zip(kept, range(start, start + len(kept))))
        if missing.size:
            out = np.empty((len(keys), self.table.shape[1]), dtype="float32")
            hits = np.flatnonzero(where >= 0)
            out[hits] = self.table[where[hits]]
            out[missing] = values[order]
        else:
            out = self.table[where]
        return np.split(out, np.cumsum(lengths)[:-1])


def cache_embeddings(nlp: Any, capacity: int = 16_384) -> int:
    """Give each numpy-backed tok2vec embedding stage of `nlp` an :class:`EmbeddingCache`
    of `capacity` words; returns how many stages have one."""
    done = 0
    for node in _numpy_nodes(nlp):
        if not node.name.startswith("extract_features>>") or len(node.layers) != 5:
            continue
        if not hasattr(node._func, "dateline_cache"):
            cache = EmbeddingCache(node, capacity)
            node._func = _predict_forward(node._func,
                                          lambda _model, docs, c=cache: c.predict(docs))
            node._func.dateline_cache = cache  # type: ignore[attr-defined]
        done += 1
    return done


def _numpy_nodes(nlp: Any) -> Iterator[Any]:
    """Every node of `nlp`'s components' models that runs on numpy (the fast paths here are
    numpy code; other backends are left alone)."""
    from thinc.api import NumpyOps

    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is None:
            continue
        for node in model.walk():
            if isinstance(node.ops, NumpyOps):
                yield node


def speed_up_prediction(nlp: Any) -> int:
    """Give the numpy-backed Maxout and LayerNorm nodes of `nlp`'s components their
    prediction fast path; returns how many nodes have it (other backends are left alone)."""
    done = 0
    for node in _numpy_nodes(nlp):
        predict = _PREDICT.get(node.name)
        if predict is None:
            continue
        if not hasattr(node._func, "dateline_thinc_forward"):
            node._func = _predict_forward(node._func, predict)
        done += 1
    return done
