"""Partly reviewed gold stories: predictions about unreviewed events are not scored."""

from __future__ import annotations

import json
from pathlib import Path

from dateline.evaluate.documents import score_documents
from dateline.records import Actor, CodedDocument, Document, Event, Evidence

TEXT = "Police arrested dozens of protesters in Lagos. The governor met union leaders on Monday."
FIRST = (0, 46)
SECOND = (47, len(TEXT))


def _event(kind: str, span: tuple[int, int], trigger: str) -> Event:
    start, end = span
    return Event(type=kind, evidence=Evidence(TEXT[start:end], start, end, trigger),
                 actors=[Actor("x", country="NGA", sector="GOV")])


def _gold_file(tmp_path: Path, complete: bool, wrong: list[Event]) -> Path:
    doc = Document(text=TEXT, published="2020-01-02")
    line = json.loads(CodedDocument(doc=doc, events=[_event("COERCE", FIRST, "arrested")]).to_line())
    line["gold"] = {"format": "dateline-gold", "version": 1, "complete": complete,
                    "wrong_events": [json.loads(CodedDocument(doc=None, events=[w]).to_line())
                                     ["events"][0] for w in wrong],
                    "unreviewed_event_ids": []}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    return path


def _coder(doc: Document) -> CodedDocument:
    return CodedDocument(doc=doc, events=[_event("COERCE", FIRST, "arrested"),
                                          _event("CONSULT", SECOND, "met")])


def test_unreviewed_prediction_is_ignored_in_a_partly_reviewed_story(tmp_path: Path) -> None:
    out = score_documents(_gold_file(tmp_path, complete=False, wrong=[]), coder=_coder)
    assert out["n_predicted_events"] == 1 and out["accuracy"] == 1.0


def test_prediction_matching_a_reviewed_wrong_event_is_spurious(tmp_path: Path) -> None:
    wrong = [_event("CONSULT", SECOND, "met")]
    out = score_documents(_gold_file(tmp_path, complete=False, wrong=wrong), coder=_coder)
    assert out["n_predicted_events"] == 2 and out["accuracy"] == 0.5


def test_extra_prediction_counts_against_a_fully_reviewed_story(tmp_path: Path) -> None:
    out = score_documents(_gold_file(tmp_path, complete=True, wrong=[]), coder=_coder)
    assert out["n_predicted_events"] == 2 and out["per_class"]["CONSULT"]["p"] == 0.0
