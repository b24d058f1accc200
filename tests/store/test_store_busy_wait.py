"""One retry policy for busy stores: how long to wait, and the clear error after it."""

from __future__ import annotations

import pytest

from dateline.store.busy import StoreError, connect, store_wait


def test_wait_comes_from_the_environment_or_the_default(monkeypatch):
    monkeypatch.delenv("DATELINE_STORE_WAIT", raising=False)
    assert store_wait() == 30.0
    assert store_wait(default=2.0) == 2.0
    monkeypatch.setenv("DATELINE_STORE_WAIT", "0.5")
    assert store_wait() == 0.5


def test_a_wait_that_is_not_a_number_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("DATELINE_STORE_WAIT", "soon")
    with pytest.raises(StoreError, match="DATELINE_STORE_WAIT"):
        store_wait()


def test_a_file_that_is_not_a_store_is_not_reported_as_busy(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("not a database")
    with pytest.raises(StoreError, match="cannot open store") as info:
        connect(str(path), read_only=True, wait=5.0)
    assert "busy" not in str(info.value)
