"""Re-running over a growing archive codes only the new stories, asking the store per batch."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))
from reliability_corpus import story

from dateline import pipeline
from dateline.store import Store
from dateline.store.integrity import check_store


def _append(path: Path, start: int, n: int) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.writelines(json.dumps(story(i)) + "\n" for i in range(start, start + n))


def test_second_run_over_a_grown_archive_codes_only_the_new_stories(tmp_path, monkeypatch):
    archive, db = tmp_path / "archive.jsonl", tmp_path / "s.duckdb"
    _append(archive, 0, 12)
    first = pipeline.run_coding([str(archive)], db=str(db), batch_size=5)
    assert first.documents == 12 and first.skipped_known == 0

    _append(archive, 12, 7)
    coded, asked = [], []
    real_process, real_known = pipeline.process_item, Store.known_ids

    def counting_process(item):
        coded.append(item.id)
        return real_process(item)

    def counting_known(self, ids):
        ids = list(ids)
        asked.append(len(ids))
        return real_known(self, ids)

    monkeypatch.setattr(pipeline, "process_item", counting_process)
    monkeypatch.setattr(Store, "known_ids", counting_known)
    second = pipeline.run_coding([str(archive)], db=str(db), batch_size=5)
    assert second.skipped_known == 12
    assert second.documents == 7 and len(coded) == 7, "only the new stories are coded"
    # The store is asked about one window of ids at a time, never the whole archive.
    assert asked and max(asked) <= 5
    report = check_store(db)
    assert report.clean and report.counts["documents"] == 19

    third = pipeline.run_coding([str(archive)], db=str(db), batch_size=5)
    assert third.documents == 0 and third.skipped_known == 19
