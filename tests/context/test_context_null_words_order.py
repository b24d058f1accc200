"""The no-place option sums its sentence-word weights in an order that does not depend on
the process's string hash seed, so its score's last bits (and a tie with a place) are the
same in every run and every worker."""

from __future__ import annotations

import os
import subprocess
import sys

from dateline import nlp
from dateline.context.locator import _sentence_words, null_features
from dateline.context.places import find_places, note_text

TEXT = "Gunmen stormed a police post near Raqqa on Friday, officials in Damascus said."

_PROBE = """
from dateline import nlp
from dateline.context.locator import load_locator
from dateline.context.places import find_places, note_text
text = {text!r}
sdoc = nlp.parse(text)
note_text(sdoc, text)
found = find_places(text, sdoc, [])
trigger = next(t for t in sdoc if t.lemma_ == "storm")
print(repr(load_locator()._word_weights(trigger)))
"""


def test_sentence_words_are_distinct_and_sorted():
    sdoc = nlp.parse(TEXT)
    note_text(sdoc, TEXT)
    find_places(TEXT, sdoc, [])
    trigger = next(t for t in sdoc if t.lemma_ == "storm")
    words = _sentence_words(trigger)
    assert list(words) == sorted(set(words)) and {"gunmen", "raqqa", "said"} <= set(words)
    feats = null_features(trigger, [])
    assert [k[len("null:w="):] for k in feats if k.startswith("null:w=")] == list(words)


def test_no_place_word_weights_do_not_follow_the_hash_seed():
    out = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run([sys.executable, "-c", _PROBE.format(text=TEXT)], env=env,
                             capture_output=True, text=True, timeout=300, check=True)
        out.append(run.stdout.strip())
    assert out[0] == out[1] and out[0] != "()"
