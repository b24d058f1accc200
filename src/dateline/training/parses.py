"""Parses of training sentences, cached on disk so that cross-validation folds and repeated
`dateline train` runs parse each sentence once (the parse is ~10x the cost of the features).

The parse is dateline.nlp's (the pipeline the coder uses at run time), so the dependency
features seen in training are the ones the coder computes from its own parse.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dateline.context.cache import cache_dir, key_of

_ATTRS = ["ORTH", "SPACY", "TAG", "POS", "LEMMA", "DEP", "HEAD", "SENT_START"]


def default_cache() -> Path | None:
    """The sub-folder parses of dateline's cache folder (context.cache.cache_dir: honours
    $DATELINE_CACHE_DIR), or None when caching is off."""
    root = cache_dir()
    return None if root is None else root / "parses"


def parse_sentences(texts: Sequence[str], cache: Path | None = None,
                    log=print) -> dict[str, Any]:
    """sentence -> its parsed spaCy Doc, from the cache when the same sentences and pipeline
    were parsed before, else parsed now (dateline.nlp.parse_many) and cached."""
    from spacy.tokens import DocBin

    from dateline import nlp

    unique = sorted(set(texts))
    # The parse depends on the pipeline and on how dateline.nlp drives it (sentence split,
    # morphology, BLAS): both are in the key, so a change to either re-parses.
    key = key_of([nlp.pipeline_name(), Path(nlp.__file__).read_bytes(), *unique])
    folder = cache or default_cache()
    path = None if folder is None else folder / f"{key}.spacy"
    vocab = nlp.load().vocab
    if path is not None and path.is_file():
        docs = list(DocBin(attrs=_ATTRS).from_disk(path).get_docs(vocab))
        if len(docs) == len(unique):
            return dict(zip(unique, docs))
    t0 = time.process_time()
    docs = []
    for i in range(0, len(unique), 2000):  # bounded memory per call
        docs.extend(nlp.parse_many(unique[i: i + 2000], ner="none"))
    log(f"parsed {len(unique)} sentences: {time.process_time() - t0:.0f} s CPU")
    if path is None:
        return dict(zip(unique, docs))
    folder.mkdir(parents=True, exist_ok=True)
    bin_ = DocBin(attrs=_ATTRS, docs=docs)
    tmp = path.with_suffix(".tmp")
    bin_.to_disk(tmp)
    tmp.replace(path)
    return dict(zip(unique, docs))
