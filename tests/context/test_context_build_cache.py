"""The start-up cache: built once, read back after, rebuilt when its inputs change."""

from __future__ import annotations

from dateline.context import cache, places


def _counting_build(calls: list[int]):
    def build() -> dict[str, list[int]]:
        calls.append(1)
        return {"Mosul": [1, 2, 3]}

    return build


def test_cache_builds_once_then_reads_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_CACHE_DIR", str(tmp_path))
    calls: list[int] = []
    build = _counting_build(calls)
    key = cache.key_of(["source v1", b"data"])
    assert cache.cached("thing", key, build) == {"Mosul": [1, 2, 3]}
    assert cache.cached("thing", key, build) == {"Mosul": [1, 2, 3]}
    assert len(calls) == 1
    assert [p.name for p in tmp_path.iterdir()] == [f"thing-{key}.pickle"]


def test_changed_inputs_rebuild_and_drop_the_old_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_CACHE_DIR", str(tmp_path))
    calls: list[int] = []
    old, new = cache.key_of(["source v1"]), cache.key_of(["source v2"])
    assert old != new
    cache.cached("thing", old, _counting_build(calls))
    cache.cached("thing", new, _counting_build(calls))
    assert len(calls) == 2
    assert [p.name for p in tmp_path.iterdir()] == [f"thing-{new}.pickle"]


def test_a_corrupt_file_is_rebuilt_and_off_means_no_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_CACHE_DIR", str(tmp_path))
    calls: list[int] = []
    key = cache.key_of(["x"])
    (tmp_path / f"thing-{key}.pickle").write_bytes(b"not a pickle")
    assert cache.cached("thing", key, _counting_build(calls)) == {"Mosul": [1, 2, 3]}
    assert len(calls) == 1
    assert cache.cached("thing", key, _counting_build(calls)) == {"Mosul": [1, 2, 3]}
    assert len(calls) == 1  # the rebuilt file replaced the corrupt one
    monkeypatch.setenv("DATELINE_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    cache.cached("thing", key, _counting_build(calls))
    cache.cached("thing", key, _counting_build(calls))
    assert len(calls) == 3


def test_an_unwritable_folder_still_builds(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder would be")
    monkeypatch.setenv("DATELINE_CACHE_DIR", str(blocker / "sub"))
    calls: list[int] = []
    assert cache.cached("thing", "k", _counting_build(calls)) == {"Mosul": [1, 2, 3]}
    assert len(calls) == 1


def test_cached_gazetteer_resolves_as_the_built_one(tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_CACHE_DIR", str(tmp_path))
    built = places.gazetteer()  # may itself come from the user's cache: build one afresh
    fresh = places.Gazetteer()
    places.gazetteer.cache_clear()
    try:
        first = places.gazetteer()  # builds and writes the file
        assert any(p.name.startswith("gazetteer-") for p in tmp_path.iterdir())
        places.gazetteer.cache_clear()
        read = places.gazetteer()  # reads it back
        assert read is not first
        for name in ("Mexico City", "Mosul", "Springfield", "Punjab", "Côte d'Ivoire", "Gaza"):
            want = [(p.location(), primary) for p, primary in fresh.candidates(name)]
            assert [(p.location(), primary) for p, primary in read.candidates(name)] == want
        assert len(read.index) == len(fresh.index) and read.countries.keys() == \
            fresh.countries.keys()
    finally:
        places.gazetteer.cache_clear()
        del built


def test_a_family_keeps_its_most_recently_used_files(tmp_path, monkeypatch):
    """One file per model folder, but not without bound: the least recently used go."""
    import os

    monkeypatch.setenv("DATELINE_CACHE_DIR", str(tmp_path))
    calls: list[int] = []
    key = cache.key_of(["model"])
    for k, name in enumerate(("model-a", "model-b", "model-c")):
        cache.cached(name, key, _counting_build(calls), family="model-", keep=2)
        # distinct use times whatever the file system's clock resolution
        os.utime(tmp_path / f"{name}-{key}.pickle", (1_000_000 + k, 1_000_000 + k))
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"model-b-{key}.pickle",
                                                         f"model-c-{key}.pickle"]
    # reading model-b makes it the most recent: a new folder's file then evicts model-c
    assert cache.cached("model-b", key, _counting_build(calls), family="model-", keep=2)
    assert len(calls) == 3
    cache.cached("model-d", key, _counting_build(calls), family="model-", keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"model-b-{key}.pickle",
                                                         f"model-d-{key}.pickle"]
    # another name's files are not the family's
    cache.cached("thing", key, _counting_build(calls))
    assert (tmp_path / f"thing-{key}.pickle").exists()
    assert len(list(tmp_path.glob("model-*"))) == 2
