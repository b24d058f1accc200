"""The per-word cache of tok2vec's embedding stage: a word's vectors do not depend on the
batch, the order or the cache's fill, stay within float noise of thinc's own stage, leave
the analysis unchanged, and never grow past their capacity."""

from __future__ import annotations

import numpy as np
import pytest

from dateline import nlp
from dateline.inference import EmbeddingCache, cache_embeddings

TEXTS = [
    ("The US Homeland Security Secretary met Mexico's Interior Secretary in Mexico City on "
     "Friday to discuss arms trafficking."),
    "Two Americans were arrested in February for smuggling weapons across the border.",
    "A study found that 253,000 firearms a year cross from the United States into Mexico.",
    "Police in Lagos said gunmen attacked a convoy near the airport, killing three people.",
]


@pytest.fixture(scope="module")
def pipeline():
    return nlp.load()


def _stages(pipeline):
    return [n for _, p in pipeline.pipeline if getattr(p, "model", None) is not None
            for n in p.model.walk() if hasattr(n._func, "dateline_cache")]


def test_load_caches_both_tok2vec_embedding_stages(pipeline):
    # the shared tok2vec (tagger, parser) and the entity recogniser's own
    assert len(_stages(pipeline)) == 2
    assert cache_embeddings(pipeline) == 2  # idempotent: the stages keep their one cache


@pytest.mark.parametrize("capacity", [0, 7, 10_000])
def test_vectors_do_not_depend_on_batch_order_or_fill(pipeline, capacity):
    docs = [pipeline.make_doc(t) for t in TEXTS]
    for stage in _stages(pipeline):
        alone = [EmbeddingCache(stage, 0).predict([d])[0] for d in docs]
        cache = EmbeddingCache(stage, capacity)
        for batch in (docs, docs[::-1], docs[1:3], docs):
            for doc, got in zip(batch, cache.predict(batch)):
                assert np.array_equal(got, alone[docs.index(doc)])
        assert len(cache.rows) <= capacity
        assert cache.table.shape[0] == capacity


def test_threads_adding_words_at_once_get_their_own_vectors(pipeline):
    import threading

    words = [f"Qz{i:04d}vek" for i in range(400)]  # new to the cache: every one is added
    docs = [pipeline.make_doc(" ".join(words[k::4])) for k in range(4)]
    stage = _stages(pipeline)[0]
    alone = [EmbeddingCache(stage, 0).predict([d])[0] for d in docs]
    cache = EmbeddingCache(stage, 10_000)
    got: dict[int, list] = {}

    def code(k: int) -> None:
        got[k] = [cache.predict([docs[k]])[0] for _ in range(3)]

    threads = [threading.Thread(target=code, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(4):
        assert all(np.array_equal(v, alone[k]) for v in got[k])
    assert len(cache.rows) == len(set(cache.rows.values()))  # no two words share a row


def test_vectors_match_thinc_within_float_noise(pipeline):
    docs = [pipeline.make_doc(t) for t in TEXTS]
    for stage in _stages(pipeline):
        thinc_forward = stage._func.dateline_thinc_forward
        expected, _ = thinc_forward(stage, docs, False)
        got = EmbeddingCache(stage, 100).predict(docs)
        for e, g in zip(expected, got):
            assert g.dtype == e.dtype and g.shape == e.shape
            np.testing.assert_allclose(g, e, rtol=0, atol=1e-5)


def test_analysis_unchanged_by_the_cache(pipeline):
    stages = _stages(pipeline)
    text = " ".join(TEXTS)

    def analyse():
        return [(t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in pipeline(text)]

    cached = analyse()
    forwards = [s._func for s in stages]
    try:
        for stage in stages:
            stage._func = stage._func.dateline_thinc_forward
        plain = analyse()
    finally:
        for stage, forward in zip(stages, forwards):
            stage._func = forward
    assert cached == plain


def test_training_runs_thinc_forward_with_backprop(pipeline):
    stage = _stages(pipeline)[0]
    docs = [pipeline.make_doc(TEXTS[0])]
    vectors, backprop = stage(docs, is_train=True)
    assert vectors[0].shape == (len(docs[0]), stage.get_dim("nO"))
    assert callable(backprop)
    _, no_grad = stage(docs, is_train=False)
    with pytest.raises(RuntimeError):
        no_grad(vectors)


def test_empty_batches(pipeline):
    stage = _stages(pipeline)[0]
    cache = EmbeddingCache(stage, 10)
    assert cache.predict([]) == []
    (empty,) = cache.predict([pipeline.make_doc("")])
    assert empty.shape == (0, stage.get_dim("nO"))
