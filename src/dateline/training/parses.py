"""Parses of training sentences, cached on disk so that cross-validation folds and repeated
`dateline train` runs parse each sentence once (the parse is ~10x the cost of the features).

The parse is dateline.nlp's (the pipeline the coder uses at run time), so the dependency
features seen in training are the ones the coder computes from its own parse.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_ATTRS = ["ORTH", "SPACY", "TAG", "POS", "LEMMA", "DEP", "HEAD", "SENT_START"]


def default_cache() -> Path:
    """$DATELINE_CACHE or ~/.cache/dateline, sub-folder parses."""
    root = os.environ.get("DATELINE_CACHE") or Path.home() / ".cache" / "dateline"
    return Path(root) / "parses"


def parse_sentences(texts: Sequence[str], cache: Path | None = None,
                    log=print) -> dict[str, Any]:
    """sentence -> its parsed spaCy Doc, from the cache when the same sentences and pipeline
    were parsed before, else parsed now (dateline.nlp.parse_many) and cached."""
    from spacy.tokens import DocBin

    from dateline import nlp

    unique = sorted(set(texts))
    pipe = nlp.pipeline_name()
    key = hashlib.sha1("\x00".join([pipe, *unique]).encode("utf-8")).hexdigest()[:16]
    folder = cache or default_cache()
    path = folder / f"{key}.spacy"
    vocab = nlp.load().vocab
    if path.is_file():
        docs = list(DocBin(attrs=_ATTRS).from_disk(path).get_docs(vocab))
        if len(docs) == len(unique):
            return dict(zip(unique, docs))
    t0 = time.process_time()
    docs = []
    for i in range(0, len(unique), 2000):  # bounded memory per call
        docs.extend(nlp.parse_many(unique[i: i + 2000], ner="none"))
    log(f"parsed {len(unique)} sentences: {time.process_time() - t0:.0f} s CPU")
    folder.mkdir(parents=True, exist_ok=True)
    bin_ = DocBin(attrs=_ATTRS, docs=docs)
    tmp = path.with_suffix(".tmp")
    bin_.to_disk(tmp)
    tmp.replace(path)
    return dict(zip(unique, docs))
