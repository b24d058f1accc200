"""Opening a store file that another process may hold: one retry policy for every caller.

DuckDB lets one process hold a file for writing and no one else open it meanwhile. The
writer (``dateline code``), the query commands and the dashboard all open stores through
:func:`connect`, which waits up to ``wait`` seconds and then says clearly "store busy".
"""

from __future__ import annotations

import os
import time
from typing import Any

import duckdb

WAIT_ENV = "DATELINE_STORE_WAIT"  # seconds a command waits for a busy store
DEFAULT_WAIT = 30.0
_MAX_DELAY = 0.5


class StoreError(RuntimeError):
    """The store could not be opened or written (a clear message, not a traceback)."""


class StoreBusyError(StoreError):
    """Another process holds the store open for writing."""


def store_wait(default: float = DEFAULT_WAIT) -> float:
    """Seconds to wait for a busy store: $DATELINE_STORE_WAIT when set, else ``default``."""
    value = os.environ.get(WAIT_ENV, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise StoreError(f"{WAIT_ENV}={value!r} is not a number of seconds") from None


def is_lock_error(exc: Exception) -> bool:
    """Whether DuckDB refused the file because another process holds its lock."""
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def connect(path: str, read_only: bool = False, wait: float = 0.0,
            config: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """Open ``path``, retrying for ``wait`` seconds while another process holds it.

    Raises StoreBusyError when still held after the wait, StoreError for anything else.
    """
    deadline = time.monotonic() + max(wait, 0.0)
    delay = 0.05
    while True:
        try:
            return duckdb.connect(path, read_only=read_only, config=config or {})
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise StoreError(f"cannot open store {path}: {exc}") from exc
            if time.monotonic() >= deadline:
                raise StoreBusyError(
                    f"store busy: {path} is open for writing by another process "
                    f"(e.g. a running `dateline code`); try again when it finishes"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, _MAX_DELAY)
