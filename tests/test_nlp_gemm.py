"""The spaCy pipeline multiplies through numpy's BLAS on one thread (nlp._use_numpy_gemm)."""

from __future__ import annotations

from pathlib import Path

import numpy
from threadpoolctl import threadpool_info

from dateline import coder, nlp


def _nodes():
    for _, pipe in nlp.load().pipeline:
        model = getattr(pipe, "model", None)
        if model is not None:
            yield from model.walk()


def test_every_layer_of_the_pipeline_uses_numpy_gemm_not_blis():
    layers = list(_nodes())
    assert len(layers) > 50  # tok2vec, tagger, parser and NER layers all reached
    assert all(getattr(node.ops, "use_blis", True) is False for node in layers)


def test_numpys_blas_runs_on_one_thread_in_a_coding_process():
    nlp.load()
    # numpy's own BLAS is the one thinc's products go through; a library loaded later
    # (scipy bundles another OpenBLAS) is not the coder's and keeps its own setting.
    here = Path(numpy.__file__).resolve().parent.parent
    blas = [lib for lib in threadpool_info() if lib.get("user_api") == "blas"
            and Path(lib["filepath"]).resolve().parent.name.startswith("numpy")
            and Path(lib["filepath"]).resolve().is_relative_to(here)]
    assert blas and all(lib["num_threads"] == 1 for lib in blas)


def test_the_parse_still_codes_a_meeting():
    coded = coder.code_text("Mexico's interior minister met the US homeland security "
                            "secretary in Mexico City on Friday.", published="2018-03-23")
    assert any(e.type == "CONSULT" for e in coded.events)
