"""Quote attribution's scans find what the regexes they replace find: the last sentence
break before a position, and the first or last speech verb of a stretch."""

from __future__ import annotations

import random
import re

from dateline.context import quotes

PIECES = ["He said", " says", "SAID", "Said.", "according to", "According To", " pointed out",
          "went on", "sayings", "saysay", " told", "added,", ". ", "! ", "? ", '." ', ".” ",
          "e.g. the", "3.5", " Mr. Smith", "“", "”", '"', "\n", " ", "x", "ſaid", "İ", "_said",
          "said_", "warns", "warned", "noted", "notes", "replied", "The", "minister"]
_BREAK = re.compile(r"[.!?][\"”’]?\s+(?=[A-Z“\"])")


def _texts(n: int = 2000) -> list[str]:
    rnd = random.Random(5)
    return ["".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 30))) for _ in range(n)]


def test_sentence_start_is_the_end_of_the_last_break():
    for text in _texts():
        for pos in range(0, len(text) + 1, 3):
            want = 0
            for m in _BREAK.finditer(text[:pos]):
                want = m.end()
            assert quotes._sentence_start(text, 0, pos) == want, (text, pos)


def test_speech_verbs_are_the_regex_matches_of_a_stretch():
    for text in _texts():
        # stretches as quotes reads them: from a line start to a quote mark or a line end
        ends = [m.start() for m in re.finditer(r"[\n“\"]", text)] + [len(text)]
        starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        for lo in starts:
            for hi in ends:
                if hi < lo:
                    continue
                found = list(quotes._SPEECH_RE.finditer(text[lo:hi]))
                for last in (False, True):
                    want = None
                    if found:
                        m = found[-1] if last else found[0]
                        want = (lo + m.start(), lo + m.end())
                    assert quotes._speech_verbs(text, lo, hi, last=last) == want, (text, lo, hi)
