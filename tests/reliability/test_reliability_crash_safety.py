"""SIGKILL `dateline code` again and again: every kill leaves a clean store, re-running completes.

A real subprocess is killed 20 times at seeded random points -- during start-up, and just
after the 1st-3rd batch commit it was seen making -- and after every kill `dateline check`
must pass. The finished store must equal one written by a run that was never interrupted.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from reliability_corpus import write_corpus

from dateline.store.integrity import check_store

KILLS = 20
DATELINE = [str(Path(sys.executable).with_name("dateline"))]
if not Path(DATELINE[0]).exists():
    DATELINE = [sys.executable, "-c", "from dateline.cli import main; main()"]


def _code(corpus: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(DATELINE + ["code", str(corpus), "--db", str(db), "--batch-size",
                                        "4", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stamp(db: Path) -> tuple:
    out = []
    for path in (db, Path(f"{db}.wal")):
        try:
            st = path.stat()
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def _kill_at_random_point(proc: subprocess.Popen, db: Path, rng: random.Random) -> str:
    """SIGKILL the run at a seeded random point; what the point was, or 'finished'."""
    if rng.random() < 0.25:
        deadline = time.monotonic() + rng.uniform(0.05, 3.0)  # start-up, migration
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        where = "start-up"
    else:
        writes, want, last = 0, rng.randint(1, 3), _stamp(db)
        limit = time.monotonic() + 300
        while writes < want and proc.poll() is None and time.monotonic() < limit:
            now = _stamp(db)
            if now != last:
                writes, last = writes + 1, now
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.3))
        where = f"after write {want}"
    if proc.poll() is not None:
        return f"finished (exit {proc.returncode})"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return where


def _snapshot(db: Path) -> dict[str, set]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "documents": set(con.execute("SELECT id, n_events, n_claims FROM documents")
                             .fetchall()),
            "events": set(con.execute("SELECT id, doc_id, type, cameo FROM events").fetchall()),
            "event_actors": set(con.execute("SELECT event_id, role, position, code "
                                            "FROM event_actors").fetchall()),
        }


@pytest.mark.slow
def test_twenty_sigkills_leave_a_clean_store_and_a_rerun_completes(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 160)
    db = tmp_path / "killed.duckdb"
    rng = random.Random(8)
    kills, points, stored = 0, [], [0]
    for _ in range(3 * KILLS):
        if kills == KILLS:
            break
        where = _kill_at_random_point(_code(corpus, db), db, rng)
        points.append(where)
        if where.startswith("finished"):
            assert where == "finished (exit 0)", f"the run failed on its own: {points}"
            break
        kills += 1
        if db.exists():
            report = check_store(db, wait=5)
            assert report.clean, f"after kill {kills} ({where}): {report.render()}"
            stored.append(report.counts.get("documents", 0))
            assert stored[-1] >= stored[-2], "a kill lost stories that had been committed"
    print(f"\nkill points: {points}\ndocuments stored after each kill: {stored}")
    assert kills == KILLS, f"only {kills} kills landed before the run finished: {points}"
    assert stored[-1] > 0, "no kill landed after a commit: the test did not test much"

    final = _code(corpus, db)
    assert final.wait(timeout=600) == 0
    assert check_store(db).clean

    reference = tmp_path / "reference.duckdb"
    assert _code(corpus, reference).wait(timeout=600) == 0
    got, want = _snapshot(db), _snapshot(reference)
    assert len(want["documents"]) == 160
    for table in want:
        assert got[table] == want[table], f"{table} differs from an uninterrupted run"
    os.remove(reference)
