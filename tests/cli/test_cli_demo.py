"""`dateline demo`: the bundled stories are well formed and the demo codes and reports them."""

from __future__ import annotations

import json

from click.testing import CliRunner

import dateline.demo
from dateline.cli import main


def _stories() -> list[dict]:
    return [json.loads(line) for line in dateline.demo.stories_path().read_text("utf-8")
            .splitlines()]


def test_bundled_stories_are_thirty_or_more_dated_short_stories():
    stories = _stories()
    assert len(stories) >= 30
    assert len({s["id"] for s in stories}) == len(stories)
    for story in stories:
        assert set(story) >= {"id", "title", "date", "source", "url", "text"}
        assert 80 <= len(story["text"].split()) <= 250, story["id"]
        assert len(story["date"]) == 10 and story["url"].startswith("https://")


def test_demo_codes_stories_into_the_store_and_summarises(tmp_path, monkeypatch):
    few = tmp_path / "stories.jsonl"
    few.write_text("\n".join(json.dumps(s) for s in _stories()[:3]) + "\n", encoding="utf-8")
    monkeypatch.setattr(dateline.demo, "stories_path", lambda: few)
    db = tmp_path / "demo.duckdb"
    result = CliRunner().invoke(main, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "stories: 3" in result.output and "events:" in result.output
    again = CliRunner().invoke(main, ["demo", "--db", str(db)])
    assert again.exit_code == 0 and "stories: 3" in again.output
    assert "3 stories were already in the store" in again.output
