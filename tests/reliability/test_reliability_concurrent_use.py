"""Reading a store while `dateline code` writes it: readers wait for the batch in flight,
never see half a batch, never crash; a reader that cannot get in says "store busy"."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from reliability_corpus import write_corpus

from dateline.store import StoreBusyError, open_store
from dateline.store.integrity import check, check_connection

DATELINE = [str(Path(sys.executable).with_name("dateline"))]
if not Path(DATELINE[0]).exists():
    DATELINE = [sys.executable, "-c", "from dateline.cli import main; main()"]


@pytest.mark.slow
def test_readers_during_a_coding_run_see_whole_batches_and_never_crash(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 100)
    db = tmp_path / "s.duckdb"
    writer = subprocess.Popen(DATELINE + ["code", str(corpus), "--db", str(db),
                                          "--batch-size", "4", "--quiet"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen, cli_runs = [], []
    try:
        while writer.poll() is None:
            if not db.exists():
                time.sleep(0.05)
                continue
            with open_store(db, read_only=True, wait=60) as store:
                report = check_connection(store.con)
            assert report.clean, report.render()
            seen.append(report.counts.get("documents", 0))
            if len(cli_runs) < 5 and 0 < seen[-1] < 100:
                # The real commands, as a user would run them beside the writer.
                events = subprocess.run(DATELINE + ["events", "--db", str(db), "--format",
                                                    "jsonl"], check=False, capture_output=True,
                                        text=True)
                checked = subprocess.run(DATELINE + ["check", "--db", str(db)],
                                         check=False, capture_output=True, text=True)
                cli_runs.append((events.returncode, checked.returncode,
                                 events.stderr[-300:] + checked.stderr[-300:]))
            time.sleep(0.1)
        assert writer.wait() == 0, writer.stderr.read().decode()[-2000:]
    finally:
        if writer.poll() is None:
            writer.kill()
    print(f"\ndocuments seen by the reader: {seen[:40]}...\ncli runs: {cli_runs}")
    assert seen == sorted(seen), "a reader saw the store go backwards"
    assert all(n % 4 == 0 or n == 100 for n in seen), "a reader saw part of a batch"
    assert any(0 < n < 100 for n in seen), "no read landed during the run: nothing was tested"
    assert cli_runs and all((a, b) == (0, 0) for a, b, _ in cli_runs), cli_runs
    with open_store(db, read_only=True) as store:
        final = check_connection(store.con)
    assert final.clean and final.counts["documents"] == 100


def test_a_reader_that_cannot_get_in_says_store_busy(tmp_path):
    db = tmp_path / "s.duckdb"
    program = ("import sys, time; from dateline.store import open_store\n"
               f"s = open_store({str(db)!r}); print('ready', flush=True)\n"
               "time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        start = time.monotonic()
        with pytest.raises(StoreBusyError, match="store busy"):
            open_store(db, read_only=True, wait=1.0)
        assert time.monotonic() - start >= 0.9, "the reader gave up before its wait was over"
        result = CliRunner().invoke(check, ["--db", str(db), "--wait", "0.5"])
        assert result.exit_code == 1
        assert "store busy" in result.output
        assert "Traceback" not in result.output
        coded = subprocess.run(DATELINE + ["code", "-", "--db", str(db), "--store-wait", "0.5",
                                           "--quiet"], input=b"Police arrested ten men.",
                               check=False, capture_output=True)
        assert coded.returncode == 1
        assert b"store busy" in coded.stderr and b"Traceback" not in coded.stderr
    finally:
        holder.kill()
        holder.wait()
