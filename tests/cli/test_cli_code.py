"""`dateline code`: every input accounted for, exit codes, stdin, resume, workers."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from dateline.cli import LAZY_COMMANDS, main
from dateline.store import open_store

STORIES = {
    "a.txt": "Police in Monterrey arrested three men on Monday after a shootout with soldiers "
             "near the city airport, the state prosecutor said. Two soldiers were wounded in "
             "the exchange of fire, officials added.",
    "b.txt": "The foreign ministers of Chile and Peru met in Lima on Wednesday and agreed to "
             "open a new border crossing next year, their governments said in a joint "
             "statement after the talks.",
}
SPANISH = ("Los ministros de Relaciones Exteriores de Chile y Perú se reunieron el miércoles en "
           "Lima y acordaron abrir un nuevo paso fronterizo el próximo año.")


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for name, text in STORIES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "sub" / "empty.txt").write_bytes(b"")
    (folder / "sub" / "noise.bin").write_bytes(bytes(range(256)) * 20)
    (folder / "sub" / "es.txt").write_text(SPANISH, encoding="utf-8")
    (folder / ".hidden").write_text("not an input", encoding="utf-8")
    return folder


def _lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_every_input_gets_one_line_and_a_store_row(corpus, tmp_path):
    out, db = tmp_path / "out.jsonl", tmp_path / "s.duckdb"
    result = CliRunner().invoke(main, ["code", str(corpus), "--out", str(out), "--db", str(db),
                                       "--date", "2020-05-04", "--source", "Desk"])
    assert result.exit_code == 0, result.output
    lines = _lines(out)
    assert len(lines) == 5
    coded = [x for x in lines if x["doc"]]
    rejected = sorted(x["rejected"]["reason"] for x in lines if x["rejected"])
    assert len(coded) == 2
    assert all(x["doc"]["published"] == "2020-05-04" and x["doc"]["source"] == "Desk"
               for x in coded)
    assert rejected[0].startswith("binary") and rejected[1].startswith("empty")
    assert rejected[2] == "not English: detected es"
    with open_store(db, read_only=True) as store:
        docs = store.con.execute("SELECT count(*) FROM documents").fetchone()[0]
        rows = store.con.execute("SELECT reason, language FROM rejections ORDER BY reason")
        reasons = rows.fetchall()
    assert docs == 2 and len(reasons) == 3 and ("not English: detected es", "es") in reasons


def test_stdin_and_resume_without_duplicates(tmp_path):
    db = tmp_path / "s.duckdb"
    runner = CliRunner()
    first = runner.invoke(main, ["code", "-", "--db", str(db)], input=STORIES["a.txt"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(main, ["code", "-", "--db", str(db)], input=STORIES["a.txt"])
    assert again.exit_code == 0
    assert "1 already in the store" in again.output
    with open_store(db, read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


@pytest.mark.parametrize("args", [
    ["code", "no/such/file.txt"],
    ["code", "x*.nomatch"],
    ["code", "-", "--date", "23/03/2018"],
    ["code", "-", "--workers", "0"],
    ["code", "-", "--no-db"],
    ["code"],
])
def test_bad_arguments_exit_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args, input="")
    assert result.exit_code == 2, result.output


def test_busy_store_is_a_clear_error_exit_1(tmp_path):
    db = tmp_path / "busy.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", ("import sys, time\nfrom dateline.store import open_store\n"
         f"s = open_store({str(db)!r})\nprint('ready', flush=True)\ntime.sleep(60)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = CliRunner().invoke(main, ["code", "-", "--db", str(db), "--store-wait", "0.5"],
                                    input="Some text.")
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert "store busy" in result.output and "Traceback" not in result.output


def test_two_workers_write_the_same_output_as_one(corpus, tmp_path):
    one = tmp_path / "w1.jsonl"
    result = CliRunner().invoke(main, ["code", str(corpus), "--no-db", "--out", str(one)])
    assert result.exit_code == 0, result.output
    two = tmp_path / "w2.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "dateline.cli", "code", str(corpus), "--no-db",
         "--out", str(two), "--workers", "2"],
        capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "\r" not in proc.stderr, "no progress bar when stderr is not a terminal"
    assert one.read_text("utf-8") == two.read_text("utf-8")
    assert len(two.read_text("utf-8").splitlines()) == 5


def test_help_lists_every_command_and_a_missing_module_is_a_clear_error(monkeypatch):
    result = CliRunner().invoke(main, ["--help"])
    for name in ("code", "demo", "events", "stats", "export", "import", "serve", "evaluate",
                 "train", "spark", "spark-load", "check"):
        assert name in result.output
    monkeypatch.setitem(LAZY_COMMANDS, "ghost", ("dateline.no_such_module:ghost", "Nothing."))
    ghost = CliRunner().invoke(main, ["ghost", "--db", "x"])
    assert ghost.exit_code == 1 and "not available" in ghost.output


def test_coding_the_current_folder_does_not_read_its_own_store_or_output(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(STORIES["a.txt"], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["code", ".", "--out", "out.jsonl"]).exit_code == 0
    result = runner.invoke(main, ["code", ".", "--out", "out.jsonl"])
    assert result.exit_code == 0, result.output
    assert len(_lines(tmp_path / "out.jsonl")) == 1
    with open_store(tmp_path / "dateline.duckdb", read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM rejections").fetchone()[0] == 0


def test_a_story_past_the_time_limit_is_rejected_not_hung(monkeypatch):
    import dateline.coder
    from dateline import pipeline
    from dateline.records import Document

    def endless(doc):
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(dateline.coder, "code_document", endless)
    monkeypatch.setattr(pipeline, "_story_timeout", 0.2)
    coded = pipeline.process_item(Document(text=STORIES["b.txt"], origin="slow.txt"))
    assert coded.rejected["reason"].startswith("timeout") and coded.origin == "slow.txt"
