"""Give freed memory back to the system where the allocators would keep it: DuckDB's
jemalloc during a clustering, and glibc's heap after each stored batch.

DuckDB's Linux builds allocate through a built-in jemalloc that keeps freed pages for a
second (``dirty_decay_ms`` 1000) and purges them only on later allocations or, after a
task, on DuckDB's worker threads. The store's writer runs DuckDB on one thread (the
caller's), so nothing is purged until its connection closes: every statement of a
clustering leaves its freed pages resident and the next one takes new pages. Measured on 640
coded stories replayed into a store (benchmarks/results/scale.md, session 4): clustering
9,584 mentions +61 MiB, with decay 0 +33 MiB. Decay 0 costs CPU (each free returns its
pages, each reuse faults them in again: +15 % store CPU when set for every statement), so
it is set only around a clustering, the store's largest step, and restored after it.

All of it is process-wide, touches DuckDB's own allocations only (Python, numpy and Arrow
use their own allocators), and does nothing where DuckDB has no jemalloc (macOS, Windows
builds) or glibc is absent: memory tuning must never fail a store.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_mallctl_fn: list = []  # [the function or None], looked up once
_depth = 0  # nested `released_at_once` blocks


def _mallctl():
    """DuckDB's jemalloc control function (``duckdb_je_mallctl``), or None."""
    if _mallctl_fn:
        return _mallctl_fn[0]
    fn = None
    try:
        import duckdb

        for path in glob.glob(str(Path(duckdb.__file__).resolve().parents[1] / "_duckdb*")):
            try:
                fn = ctypes.CDLL(path).duckdb_je_mallctl
            except (OSError, AttributeError):
                continue
            fn.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t),
                           ctypes.c_void_p, ctypes.c_size_t]
            fn.restype = ctypes.c_int
            break
    except (ImportError, OSError):
        fn = None
    _mallctl_fn.append(fn)
    return fn


def _decay_names(mallctl) -> list[bytes]:
    count, size = ctypes.c_uint32(0), ctypes.c_size_t(4)
    if mallctl(b"arenas.narenas", ctypes.byref(count), ctypes.byref(size), None, 0):
        return []
    names = [b"arenas.dirty_decay_ms", b"arenas.muzzy_decay_ms"]  # arenas made later
    return names + [f"arena.{i}.{kind}_decay_ms".encode() for i in range(count.value)
                    for kind in ("dirty", "muzzy")]


@contextmanager
def released_at_once() -> Iterator[bool]:
    """Inside the block DuckDB's jemalloc returns freed pages at once (decay 0); the
    previous decay is restored after it. Yields whether it could."""
    global _depth  # one process-wide allocator setting; nested blocks leave it to the outer
    mallctl = _mallctl()
    saved: list[tuple[bytes, int]] = []
    if mallctl is not None and _depth == 0:
        for name in _decay_names(mallctl):
            value, size = ctypes.c_int64(0), ctypes.c_size_t(8)
            # An arena not created yet refuses; it takes the defaults set first.
            if mallctl(name, ctypes.byref(value), ctypes.byref(size), None, 0) == 0:
                zero = ctypes.c_int64(0)
                if mallctl(name, None, None, ctypes.byref(zero), 8) == 0:
                    saved.append((name, value.value))
    _depth += 1
    try:
        yield bool(saved) or _depth > 1
    finally:
        _depth -= 1
        for name, previous in saved:
            value = ctypes.c_int64(previous)
            mallctl(name, None, None, ctypes.byref(value), 8)


def retained_bytes() -> int | None:
    """Bytes of freed pages DuckDB's jemalloc still holds resident (dirty and muzzy), or
    None where it cannot tell."""
    mallctl = _mallctl()
    if mallctl is None:
        return None
    epoch, esize = ctypes.c_uint64(1), ctypes.c_size_t(8)
    mallctl(b"epoch", ctypes.byref(epoch), ctypes.byref(esize), ctypes.byref(epoch), 8)
    pages = 0
    for kind in (b"pdirty", b"pmuzzy"):
        value, size = ctypes.c_size_t(0), ctypes.c_size_t(8)
        if mallctl(b"stats.arenas.4096." + kind, ctypes.byref(value), ctypes.byref(size),
                   None, 0):  # 4096: all arenas together
            return None
        pages += value.value
    page, size = ctypes.c_size_t(0), ctypes.c_size_t(8)
    if mallctl(b"arenas.page", ctypes.byref(page), ctypes.byref(size), None, 0):
        return None
    return pages * page.value


_libc: list = []


def trim_heap() -> bool:
    """Return the free pages of glibc's heap to the system (``malloc_trim``); whether it
    could. glibc keeps what a process frees for reuse, so its resident size ratchets up to
    the largest moment of a long run unless trimmed."""
    if not _libc:
        try:
            lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            fn = lib.malloc_trim
            fn.argtypes, fn.restype = [ctypes.c_size_t], ctypes.c_int
            _libc.append(fn)
        except (OSError, AttributeError):
            _libc.append(None)
    if _libc[0] is None:
        return False
    _libc[0](0)
    return True
