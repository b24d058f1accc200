"""Which language a story is in (langdetect, seeded so results are deterministic)."""

from __future__ import annotations

import re
from functools import lru_cache

from dateline.records import Document, Rejected

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_SAMPLE_CHARS = 1500  # the start of a story decides its language; more only costs time
_MIN_LETTERS = 40  # below this langdetect guesses; we record "unknown" instead


@lru_cache(maxsize=1)
def _factory():
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = 0
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory


# English function words: in English news they are ~40% of all words, in other languages
# written in Latin script a few percent at most (Spanish, French, Italian, German ~2-6%).
_ENGLISH_FUNCTION_WORDS = frozenset((
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "as", "by",
    "at", "from", "it", "he", "she", "his", "her", "they", "their", "said", "says", "has",
    "have", "had", "be", "been", "were", "are", "will", "would", "not", "but", "this", "which",
    "who", "an", "or", "its", "after", "over", "about", "into", "than", "also", "more", "when",
    "there", "we", "our", "you", "i", "against", "between",
))
_WORD = re.compile(r"[a-z]+")
_ENGLISH_SHARE = 0.22  # comfortably above other languages, well below English prose
_MIN_WORDS = 25


def english_share(text: str) -> tuple[int, float]:
    """Number of lowercase words in ``text`` and the share that are English function words."""
    words = _WORD.findall(text.lower())
    if not words:
        return 0, 0.0
    return len(words), sum(w in _ENGLISH_FUNCTION_WORDS for w in words) / len(words)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when too short or undetectable.

    Clear English is recognised by its function words in microseconds; anything else goes
    to langdetect (tens of milliseconds), which also names the language.
    """
    sample = text[:_SAMPLE_CHARS]
    if len(_LETTERS.findall(sample)) < _MIN_LETTERS:
        return None
    n_words, share = english_share(sample)
    if n_words >= _MIN_WORDS and share >= _ENGLISH_SHARE:
        return "en"
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(sample)
    try:
        return detector.detect()
    except LangDetectException:
        return None


def check_language(doc: Document) -> Document | Rejected:
    """The document with its language recorded, or a rejection when it is not English."""
    language = detect_language(doc.text)
    if language is not None and language != "en":
        return Rejected(origin=doc.origin or doc.id, reason=f"not English: detected {language}",
                        language=language)
    doc.language = language  # None: too short to tell, not assumed English
    return doc
