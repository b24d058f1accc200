"""Publication dates from sources, normalised to YYYY-MM-DD; anything unclear is None."""

from __future__ import annotations

import datetime as dt
import re
import time
from email.utils import parsedate_to_datetime

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:\D|$)")


def normalize_date(value: object) -> str | None:
    """An ISO date from an ISO/RFC 2822 string, epoch number or time tuple; else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, time.struct_time):
        return _valid(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, int | float):
        try:
            return dt.datetime.fromtimestamp(float(value), dt.UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    match = _ISO.match(value) or _COMPACT.match(value)
    if match:
        return _valid(*(int(g) for g in match.groups()))
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    return _dateparser(value)


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _dateparser(value: str) -> str | None:
    # Only whole dates ("March 23, 2018"): a bare month or year is not a publication day.
    if len(value) > 64:
        return None
    import dateparser

    parsed = dateparser.parse(value, languages=["en"], settings={
        "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
        "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date().isoformat() if parsed else None
