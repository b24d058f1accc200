"""Shared test fixtures. Tests marked `shared` need ../shared and skip without it;
CI sets DATELINE_REQUIRE_SHARED=1 so that a skip there is a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DATELINE_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder; skips the test when it is absent (fails in CI)."""
    if not (SHARED / "data").is_dir():
        if os.environ.get("DATELINE_REQUIRE_SHARED") == "1":
            pytest.fail(f"../shared is required in CI but was not found at {SHARED}")
        pytest.skip("needs ../shared (gold sets, seed story)")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared_dir: Path) -> str:
    return (shared_dir / "data" / "seed" / "us-mexico-security-meeting.txt").read_text("utf-8")
