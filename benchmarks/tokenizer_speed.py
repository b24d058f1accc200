"""Tokenizer speed with and without the plain-word shortcut (nlp._use_plain_word_shortcut).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/tokenizer_speed.py [--stories 100] [--rounds 3]

Tokenizes the first N Guardian stories inside a memory zone (so nothing is cached: every
chunk goes through the affix rules, as a word new to the run does), alternately with the
shortcut and with spaCy's own compiled rules, and prints CPU ms/story per round and whether
the tokens are identical.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpora" / "guardian_sample.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    from dateline import nlp

    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        texts = [nlp._plain_spaces(json.loads(line)["text"]) for line in fh][:args.stories]
    model = nlp.load()
    tok = model.tokenizer
    variants = {
        "shortcut": (tok.prefix_search, tok.suffix_search, tok.infix_finditer),
        "rules": (compile_prefix_regex(model.Defaults.prefixes).search,
                  compile_suffix_regex(model.Defaults.suffixes).search,
                  compile_infix_regex(model.Defaults.infixes).finditer),
    }
    times: dict[str, list[float]] = {k: [] for k in variants}
    tokens = {}
    for r in range(args.rounds):
        for name in (list(variants) if r % 2 == 0 else list(variants)[::-1]):
            tok.prefix_search, tok.suffix_search, tok.infix_finditer = variants[name]
            with model.memory_zone():
                start = time.process_time()
                docs = [model.make_doc(t) for t in texts]
                times[name].append((time.process_time() - start) * 1000 / len(texts))
                tokens[name] = [[t.text for t in d] for d in docs]
    tok.prefix_search, tok.suffix_search, tok.infix_finditer = variants["shortcut"]
    for name, values in times.items():
        print(f"{name:9s} CPU ms/story by round: " + ", ".join(f"{v:.2f}" for v in values))
    print("identical tokens:", tokens["shortcut"] == tokens["rules"])


if __name__ == "__main__":
    main()
