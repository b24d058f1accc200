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


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when too short or undetectable."""
    sample = text[:_SAMPLE_CHARS]
    if len(_LETTERS.findall(sample)) < _MIN_LETTERS:
        return None
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
