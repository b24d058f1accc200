"""Give freed memory back to the system where the allocators would keep it: DuckDB's
jemalloc between the phases of a clustering, and glibc's heap after each stored batch.

DuckDB's Linux builds allocate through a built-in jemalloc that keeps freed pages for a
second (``dirty_decay_ms`` 1000) and purges them only on later allocations or, after a
task, on DuckDB's worker threads. The store's writer runs DuckDB on one thread (the
caller's), so nothing was purged until its connection closed: every statement of a
clustering left its freed pages resident and the next one took new pages. Measured on 640
coded stories replayed into a store (benchmarks/results/scale.md, session 4): clustering
9,584 mentions +61 MiB over its start, +33 MiB with the pages purged after every
statement. So the clustering purges at its few phase boundaries (:func:`purge`) and runs
with decay 0 (:func:`eager_release`: every free returns its pages at once). Session 4 had
measured decay 0 for everything at ~15 % of the store's CPU; for the clustering alone
session 9 could not tell its cost from noise (benchmarks/results/memory9.md).

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


def mallctl():
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


def retained_bytes() -> int | None:
    """Bytes of freed pages DuckDB's jemalloc still holds resident (dirty and muzzy), or
    None where it cannot tell."""
    control = mallctl()
    if control is None:
        return None
    epoch, esize = ctypes.c_uint64(1), ctypes.c_size_t(8)
    control(b"epoch", ctypes.byref(epoch), ctypes.byref(esize), ctypes.byref(epoch), 8)
    pages = 0
    for kind in (b"pdirty", b"pmuzzy"):
        value, size = ctypes.c_size_t(0), ctypes.c_size_t(8)
        if control(b"stats.arenas.4096." + kind, ctypes.byref(value), ctypes.byref(size),
                   None, 0):  # 4096: all arenas together
            return None
        pages += value.value
    page, size = ctypes.c_size_t(0), ctypes.c_size_t(8)
    if control(b"arenas.page", ctypes.byref(page), ctypes.byref(size), None, 0):
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


def purge() -> None:
    """Return the pages DuckDB's jemalloc holds freed to the system now (all arenas)."""
    control = mallctl()
    if control is not None:
        control(b"arena.4096.purge", None, None, None, 0)  # 4096: MALLCTL_ARENAS_ALL


# jemalloc's two decay settings, dirty (freed, still resident) then muzzy (lazily freed: a
# kernel without memory pressure leaves those pages in the resident size as well).
_DECAYS = (b"dirty_decay_ms", b"muzzy_decay_ms")


def _decay_names(control) -> list[bytes]:
    """The decay settings of every arena that exists, and the default for new arenas."""
    count, size = ctypes.c_uint(0), ctypes.c_size_t(ctypes.sizeof(ctypes.c_uint))
    if control(b"arenas.narenas", ctypes.byref(count), ctypes.byref(size), None, 0):
        return []
    return [b"arenas." + d for d in _DECAYS] + [
        b"arena.%d.%s" % (i, d) for i in range(count.value) for d in _DECAYS]


def _swap_decay(control, values: dict[bytes, int]) -> dict[bytes, int]:
    """Set each named decay (ms); returns the values they had (an arena not yet in use
    answers neither read nor write and is left out)."""
    old = {}
    for name, value in values.items():
        before, size = ctypes.c_ssize_t(0), ctypes.c_size_t(ctypes.sizeof(ctypes.c_ssize_t))
        new = ctypes.c_ssize_t(value)
        if not control(name, ctypes.byref(before), ctypes.byref(size), ctypes.byref(new),
                       ctypes.sizeof(new)):
            old[name] = before.value
    return old


@contextmanager
def eager_release() -> Iterator[None]:
    """Inside the block, DuckDB's jemalloc returns every page as soon as it is freed
    (decay 0, for every arena and for arenas made meanwhile); the settings are restored
    after it.

    A clustering frees and takes pages statement after statement; with the default decay
    (1 s) its freed pages stay resident beside the ones the next statement takes. Returning
    pages at once costs CPU where statements churn small allocations (every write of a
    batch in such a block: +7 s over 6,400 stored stories), so only the clustering runs so
    (benchmarks/results/memory9.md).
    """
    control = mallctl()
    if control is None:
        yield
        return
    saved = _swap_decay(control, dict.fromkeys(_decay_names(control), 0))
    try:
        yield
    finally:
        # an arena made inside the block takes the default it would have had
        restore = {name: saved.get(name, saved.get(b"arenas." + name.rsplit(b".", 1)[1]))
                   for name in _decay_names(control)}
        _swap_decay(control, {k: v for k, v in restore.items() if v is not None})
