"""A store's clustering gives DuckDB's freed memory back between its phases, so the
writer's resident memory follows what its statements hold, not every page they freed;
none of this can fail a store."""

from __future__ import annotations

import pytest

from dateline.store import allocator, open_store


def _churn(con) -> None:
    """Statements that allocate and free tens of MiB inside DuckDB."""
    con.execute("CREATE TEMP TABLE _churn AS "
                "SELECT range AS x, md5(range::VARCHAR) AS s FROM range(300000)")
    con.execute("SELECT count(DISTINCT s), sum(x) FROM _churn").fetchall()
    con.execute("DROP TABLE _churn")


@pytest.fixture
def jemalloc():
    if allocator.retained_bytes() is None:
        pytest.skip("this DuckDB build has no jemalloc to tune")


def test_freed_pages_stay_resident_until_purged(tmp_path, jemalloc):
    with open_store(tmp_path / "s.duckdb") as store:
        store.con.execute("SET threads = 1")  # as the writer runs it
        _churn(store.con)
        assert allocator.retained_bytes() > 8 * 2**20  # the cause: jemalloc keeps them
        allocator.purge()
        assert allocator.retained_bytes() < 2**20


def test_a_clustering_returns_freed_pages_between_its_phases(tmp_path, jemalloc, monkeypatch):
    from test_store_deferred_clustering import stories

    from dateline.store import clustering

    calls = []
    real = allocator.purge
    monkeypatch.setattr(clustering, "purge", lambda: real() or calls.append(
        allocator.retained_bytes()))
    with open_store(tmp_path / "s.duckdb") as store:
        store.con.execute("SET threads = 1")
        store.write_batch(stories(1, 40), defer_clustering=True)
        store.write_batch(stories(2, 10), defer_clustering=True)
        assert store.cluster_pending() > 0
    # At each phase boundary the freed pages went back (jemalloc would keep them a second).
    assert len(calls) >= 3 and max(calls) < 2**20


def test_without_jemalloc_or_glibc_nothing_fails(monkeypatch):
    monkeypatch.setattr(allocator, "_mallctl_fn", [None])
    monkeypatch.setattr(allocator, "_libc", [None])
    allocator.purge()
    assert allocator.retained_bytes() is None
    assert allocator.trim_heap() is False
