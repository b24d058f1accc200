"""Settings shared by every reader: caps, defaults for missing metadata, fetching."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_BYTES = 20_000_000  # one story (page, text file, JSONL line); containers stream
USER_AGENT = "dateline/0.1 (news event coder; +https://pypi.org/project/dateline/)"


@dataclass(frozen=True)
class IngestOptions:
    """How inputs are read: size cap per item, metadata defaults, network behaviour."""

    max_bytes: int = DEFAULT_MAX_BYTES
    date: str | None = None  # story date when the source gives none (YYYY-MM-DD)
    source: str | None = None  # source name when the source gives none
    fetch: bool | None = None  # feed items: fetch each page; None = only for feeds read by URL
    timeout: float = 20.0  # seconds per HTTP request
    max_redirects: int = 5
    user_agent: str = USER_AGENT
