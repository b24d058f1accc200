"""The fast scans find what the plain regexes find: date and claim anchors found by str.find
and a first-character scan, and place patterns whose word boundary follows their first
letter (`X(?<!\\w.)` for `\\bX`)."""

from __future__ import annotations

import random
import re

from dateline.context import claims, dates, places

PIECES = ["Two ", "two", "TWO", "a dozen", "A DOZEN", "dozens", "tWeNtY", "fifty-", "_ten",
          "ten_", "9", "12", "2019", "3/4/2020", "2020-01", "5th to 7", "Today", "tonight",
          "Night", "weekend", "yesterday,", "Jan", "June", "Mon", "Tuesday", "Friday", "May ",
          "Sept.", "ago", "YEAR", "Morning", "é", "É", "\u00a0", " ", ",", ".", "-", "x", "İ",
          "ı", "ſix", "K", "١٢", "²", "th", "and", "the ", "The ", "Al-", "Town", "City",
          "District", " capital", "Syrian ", "village of ", "de ", "'", "’", "Ab", "Tal",
          "Tall ", "Tell-", "Beni ", "Ain", "_Al ", "in ", "into  ", "towards\n", "Xto ",
          "around", "Sheikh-", "éel "]


def _texts(n: int = 3000) -> list[str]:
    rnd = random.Random(11)
    out = ["Talks began on Monday, two weeks ago; 1,200 troops left Mosul on 3/4/2019.",
           "the Idlib province and the village of Tal Abyad, said the Syrian capital."]
    out += ["".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 25))) for _ in range(n)]
    return out


def test_date_anchor_starts_are_the_regex_matches():
    for text in _texts():
        assert dates._anchor_starts(text) == [m.start() for m in dates._ANCHOR_RE.finditer(text)]


def test_claim_anchor_starts_are_the_regex_matches():
    for text in _texts():
        want = [m.start() for m in claims._CLAIM_ANCHOR_RE.finditer(text)]
        assert claims._anchor_starts(text) == want, text


def test_odd_case_folds_fall_back_to_the_regex():
    # IGNORECASE matches the long s to "s": lower-casing does not, so the regex decides
    assert dates.word_spans("ſix men", ("six",)) is None
    assert claims._anchor_starts("ſix men") == [0]


# The place patterns as they read with a leading \b (the reference the fast forms must equal).
REFERENCE = {
    "_SUFFIX_PLACE_RE": re.compile(places._SUFFIX_PLACE_RE.pattern.replace(
        r"(?P<name>[A-Z](?<!\w.)", r"\b(?P<name>[A-Z]", 1)),
    "_LOWER_SUFFIX_RE": re.compile(places._LOWER_SUFFIX_RE.pattern.replace(
        r"the (?<!\wthe )", r"\b(?:the )", 1)),
    "_CAPS_RE": re.compile(r"\b[A-Z][a-zà-ÿ'’-]+(?: [A-Z][a-zà-ÿ'’-]+){0,2}"),
    "_CAPITAL_RE": re.compile(
        r"\b[Tt]he (?P<name>(?P<who>[A-Z][a-z]+(?: [A-Z][a-z]+)?) capital)\b"),
    "_PREFIXED_PLACE_RE": re.compile(
        r"\b(?P<name>(?:Al|al|El|el|Deir|Tal|Tall|Tell|Beit|Kafr|Kfar|Ain|Khan|Bab|Wadi|Jabal|"
        r"Jebel|Ras|Bir|Tel|Umm|Qasr|Sheikh|Bani|Beni)[- ][A-Z][\w'’-]+"
        r"(?: (?:Al|al|el)?-?[A-Z][\w'’-]+)?)"),
    "_LOCATIVE_NAME_RE": re.compile(
        r"\b(?:in|at|near|outside|inside|from|to|into|across|around|towards?)\s+"
        r"(?P<name>[A-Z][a-zà-ÿ'’-]+(?: [A-Z][a-zà-ÿ'’-]+){0,2})"),
}


def _found(m: re.Match[str]) -> tuple:
    return m.end(), [m.span(g) for g in range(1, (m.re.groups or 0) + 1)], m.groupdict()


def test_place_patterns_match_like_their_word_boundary_forms():
    for name, ref in REFERENCE.items():
        fast = getattr(places, name)
        assert fast.pattern != ref.pattern and "\\b" in ref.pattern[:3]
        # _CAPITAL_RE's match opens after its "T" (read behind it): scanned from lo + 1, its
        # groups and end are the reference's
        skip = 1 if name == "_CAPITAL_RE" else 0
        for text in _texts(1500):
            for lo, hi in ((0, len(text)), (1, max(1, len(text) - 1))):
                want = [(m.start(), *_found(m)) for m in ref.finditer(text, lo, hi)]
                got = [(m.start() - skip, *_found(m))
                       for m in fast.finditer(text, lo + skip, hi)]
                assert got == want, (name, text)


OF_PIECES = [" of ", "of ", " of", "the ", "The ", "village", "villages", "town", "hometown",
             "downtown", "Town", "city", "neighborhood", "neighbourhood", "neighbouhood",
             "Al-", "al-", "-", "Foo", "Bar", "Saint", "Al-town", "x", "é", "_", "9", " ",
             ",", "\n", "de ", "capital", "outskirts", "area", "Ab", "town of ", "city of the ",
             "village of Al-town", "Foo-village"]


def test_of_place_matches_are_the_regex_matches():
    # "city of Al-town of Foo": the second " of " follows a generic word inside the first
    # match's name, where finditer never starts
    rnd = random.Random(7)
    texts = ["the city of Al-town of Foo and the hometown of Bar", "in the village of Tal Abyad",
             "the neighbourhood of the Foo, the neighborhood of Bar, the town of de Foo"]
    texts += ["".join(rnd.choice(OF_PIECES) for _ in range(rnd.randint(1, 30)))
              for _ in range(4000)]
    found = 0
    for text in texts:
        for lo, hi in ((0, len(text)), (3, max(3, len(text) - 2))):
            want = [(m.span(), m.groupdict()) for m in places._OF_PLACE_RE.finditer(text, lo, hi)]
            got = [(m.span(), m.groupdict()) for m in places._of_place_matches(text, lo, hi)]
            assert got == want, (text, lo, hi)
            found += len(want)
    assert found > 1000  # the pieces do make matches


def test_capital_pattern_from_each_start():
    # "The Syrian capital" at, just before and inside the scanned range
    ref = REFERENCE["_CAPITAL_RE"]
    rnd = random.Random(13)
    pieces = ["The ", "the ", "T", "he ", "Xthe ", "Syrian ", "Yemeni Arab ", "capital", " ",
              "The Syrian capital", ",", "Sanaa", "-", "é"]
    found = 0
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12)))
        for lo in range(min(len(text), 6)):
            hi = len(text) - rnd.randrange(3)
            want = [(m.start(), *_found(m)) for m in ref.finditer(text, lo, hi)]
            got = [(m.start() - 1, *_found(m))
                   for m in places._CAPITAL_RE.finditer(text, lo + 1, hi)]
            assert got == want, (text, lo, hi)
            found += len(want)
    assert found > 1000
