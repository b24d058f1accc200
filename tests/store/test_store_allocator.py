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


def test_closing_a_writable_store_returns_its_freed_pages_first(tmp_path, jemalloc,
                                                                 monkeypatch):
    """Closing checkpoints: the pages the session freed go back before it allocates."""
    retained_at_close = []
    real = allocator.purge
    monkeypatch.setattr(allocator, "purge", lambda: real() or retained_at_close.append(
        allocator.retained_bytes()))
    store = open_store(tmp_path / "s.duckdb")
    store.con.execute("SET threads = 1")
    _churn(store.con)
    assert allocator.retained_bytes() > 8 * 2**20
    store.close()
    assert retained_at_close and retained_at_close[0] < 2**20
    with open_store(tmp_path / "s.duckdb", read_only=True):
        pass  # a reader's close does not touch the process-wide allocator
    assert len(retained_at_close) == 1


def test_the_writer_trims_the_coders_heap_before_it_opens_the_store(tmp_path, monkeypatch):
    """glibc's free pages go back before the batch's DuckDB peak, not only after it."""
    from dateline import pipeline
    from dateline.store import allocator as alloc

    order = []
    monkeypatch.setattr(alloc, "trim_heap", lambda: order.append("trim") or True)
    sessions = pipeline._StoreSessions(str(tmp_path / "s.duckdb"), wait=0)
    real_open = sessions._open
    monkeypatch.setattr(sessions, "_open", lambda: order.append("open") or real_open())
    sessions.write_batch([])
    assert order[:2] == ["trim", "open"] and order[-1] == "trim"


def _decay(name: bytes) -> int:
    import ctypes

    value, size = ctypes.c_ssize_t(0), ctypes.c_size_t(ctypes.sizeof(ctypes.c_ssize_t))
    assert allocator.mallctl()(name, ctypes.byref(value), ctypes.byref(size), None, 0) == 0
    return value.value


def test_inside_eager_release_freed_pages_go_back_at_once(tmp_path, jemalloc):
    with open_store(tmp_path / "s.duckdb") as store:
        store.con.execute("SET threads = 1")
        default = _decay(b"arenas.dirty_decay_ms")
        assert default != 0  # jemalloc's own setting keeps pages for a while
        with allocator.eager_release():
            assert _decay(b"arenas.dirty_decay_ms") == 0
            assert _decay(b"arena.0.dirty_decay_ms") == 0
            assert _decay(b"arena.0.muzzy_decay_ms") == 0
            _churn(store.con)
            assert allocator.retained_bytes() < 2**20
        # outside the block jemalloc keeps freed pages again, as it did before
        assert _decay(b"arenas.dirty_decay_ms") == default
        assert _decay(b"arena.0.dirty_decay_ms") == default
        _churn(store.con)
        assert allocator.retained_bytes() > 8 * 2**20


def test_a_clustering_runs_with_eager_release(tmp_path, jemalloc, monkeypatch):
    """A clustering frees and takes tens of MiB statement after statement: it returns them
    as they are freed; a batch's inserts (where that cost CPU) and reads do not."""
    from test_store_deferred_clustering import stories

    from dateline.store import clustering, dedup

    seen = []
    real_insert_keys = clustering.insert_keys
    real_provisional = dedup.provisional_clusters
    monkeypatch.setattr(clustering, "insert_keys", lambda *a: seen.append(
        ("cluster", _decay(b"arenas.dirty_decay_ms"))) or real_insert_keys(*a))
    monkeypatch.setattr(dedup, "provisional_clusters", lambda *a: seen.append(
        ("batch", _decay(b"arenas.dirty_decay_ms"))) or real_provisional(*a))
    with open_store(tmp_path / "s.duckdb") as store:
        store.write_batch(stories(1, 20), defer_clustering=True)
        store.cluster_pending()
        assert store.known_ids(["x"]) == set()
        assert _decay(b"arenas.dirty_decay_ms") != 0
        assert ("cluster", 0) in seen and ("batch", 0) not in seen
        assert any(kind == "batch" for kind, _ in seen)
        seen.clear()
        dedup.rebuild_clusters(store.con)  # a rebuild (`dateline dedup --rebuild`) too
        assert seen == [("cluster", 0)]


def test_eager_release_restores_the_settings_when_the_block_fails(jemalloc):
    default = _decay(b"arenas.muzzy_decay_ms")
    with pytest.raises(RuntimeError), allocator.eager_release():
        raise RuntimeError("a failed write")
    assert _decay(b"arenas.muzzy_decay_ms") == default
