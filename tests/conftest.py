"""Shared test fixtures and gates.

Tests that need ../shared use the `shared_dir` fixture (or the `shared` mark); tests that
need headless Chromium use the `require_browser` fixture (or the `browser` mark). Both
skip when the resource is absent, except in CI, where DATELINE_REQUIRE_SHARED=1 and
DATELINE_REQUIRE_BROWSER=1 turn the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DATELINE_SHARED", ROOT.parent / "shared"))


_CACHE_DIRS: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """Keep the start-up cache (context/cache.py) out of the user's home: one temporary
    folder per test session, inherited by the workers and CLI runs the tests start."""
    if "DATELINE_CACHE_DIR" not in os.environ:
        import tempfile

        _CACHE_DIRS.append(tempfile.mkdtemp(prefix="dateline-test-cache-"))
        os.environ["DATELINE_CACHE_DIR"] = _CACHE_DIRS[-1]


def _required(name: str) -> bool:
    return os.environ.get(name) == "1"


def _missing(env: str, message: str) -> None:
    """Skip the test, or fail it when the CI variable ``env`` says the resource is required."""
    if _required(env):
        pytest.fail(f"{message} ({env}=1: required here)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder; skips the test when it is absent (fails in CI)."""
    if not (SHARED / "data").is_dir():
        _missing("DATELINE_REQUIRE_SHARED", f"needs ../shared (gold sets, seed story) at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared_dir: Path) -> str:
    return (shared_dir / "data" / "seed" / "us-mexico-security-meeting.txt").read_text("utf-8")


@dataclass(frozen=True)
class BrowserPaths:
    """Where the headless browser and its WebDriver live."""

    chromium: str
    chromedriver: str


def find_browser() -> BrowserPaths | None:
    """Debian's chromium + chromium-driver (or a Chrome install), if both are present."""
    chromium = next((p for p in (shutil.which(n) for n in (
        "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) if p), None)
    driver = shutil.which("chromedriver")
    if not driver and Path("/usr/lib/chromium/chromedriver").exists():
        driver = "/usr/lib/chromium/chromedriver"
    return BrowserPaths(chromium, driver) if chromium and driver else None


@pytest.fixture(scope="session")
def require_browser() -> BrowserPaths:
    """Paths of chromium and chromedriver; skips without them (fails in CI)."""
    paths = find_browser()
    if paths is None:
        _missing("DATELINE_REQUIRE_BROWSER",
                 "needs headless chromium + chromedriver (apt-get install chromium "
                 "chromium-driver)")
    return paths


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Apply the same gates to tests that only carry the `shared` or `browser` mark."""
    if item.get_closest_marker("shared") and not (SHARED / "data").is_dir():
        _missing("DATELINE_REQUIRE_SHARED", f"needs ../shared at {SHARED}")
    if item.get_closest_marker("browser") and find_browser() is None:
        _missing("DATELINE_REQUIRE_BROWSER", "needs headless chromium + chromedriver")


_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))
    for folder in _CACHE_DIRS:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave without interpreter finalization once pytest has reported everything.

    After the whole suite (513 passed), tearing down the interpreter with this mix of native
    libraries loaded (DuckDB, pyarrow, spaCy/thinc, scikit-learn's OpenMP, py4j) aborted
    with "terminate called ... exception not rethrown" in a C++ destructor, turning a green
    run into exit 134. No test or product code runs at that point; the real CLI exits
    cleanly (the crash-safety tests check its exit codes). Exit with pytest's own status.
    """
    if _EXIT_STATUS and os.environ.get("DATELINE_NATURAL_EXIT") != "1":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
