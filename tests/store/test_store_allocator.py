"""A store's clustering makes DuckDB's allocator give freed memory back at once, so the
writer's resident memory follows what its statements hold, not every page they freed;
the allocator's usual setting comes back after it, and none of this can fail a store."""

from __future__ import annotations

import ctypes

import pytest

from dateline.store import allocator, open_store


def _churn(con) -> None:
    """Statements that allocate and free tens of MiB inside DuckDB."""
    con.execute("CREATE TEMP TABLE _churn AS "
                "SELECT range AS x, md5(range::VARCHAR) AS s FROM range(300000)")
    con.execute("SELECT count(DISTINCT s), sum(x) FROM _churn").fetchall()
    con.execute("DROP TABLE _churn")


def _dirty_decay() -> int:
    value, size = ctypes.c_int64(0), ctypes.c_size_t(8)
    assert allocator._mallctl()(b"arena.0.dirty_decay_ms", ctypes.byref(value),
                                ctypes.byref(size), None, 0) == 0
    return value.value


@pytest.fixture
def jemalloc():
    if allocator.retained_bytes() is None:
        pytest.skip("this DuckDB build has no jemalloc to tune")


def test_inside_a_clustering_block_no_freed_pages_stay_resident(tmp_path, jemalloc):
    with open_store(tmp_path / "s.duckdb") as store:
        store.con.execute("SET threads = 1")  # as the writer runs it
        before = _dirty_decay()
        with allocator.released_at_once() as done:
            _churn(store.con)
            # Pages kept for jemalloc's usual decay (1 s) would be tens of MiB here.
            assert done and allocator.retained_bytes() < 2**20
        assert _dirty_decay() == before > 0  # the usual setting is back


def test_the_store_clusters_inside_such_a_block(tmp_path, jemalloc, monkeypatch):
    seen = []
    from dateline.store import dedup

    monkeypatch.setattr(dedup, "cluster_pending",
                        lambda con: seen.append(_dirty_decay()) or 0)
    with open_store(tmp_path / "s.duckdb") as store:
        store.cluster_pending()
    assert seen == [0]


def test_without_jemalloc_or_glibc_nothing_fails(monkeypatch):
    monkeypatch.setattr(allocator, "_mallctl_fn", [None])
    monkeypatch.setattr(allocator, "_libc", [None])
    with allocator.released_at_once() as done:
        assert done is False
    assert allocator.retained_bytes() is None
    assert allocator.trim_heap() is False
