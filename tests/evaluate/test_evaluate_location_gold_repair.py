"""The event-location gold reader repairs spans whose offsets are token numbers, and only those."""

from __future__ import annotations

import json

from dateline.evaluate.event_location import read_records

TEXT = "Rebels attacked a convoy near Algiers on Monday."


def _tokens(text: str) -> list[dict]:
    out, pos = [], 0
    for i, word in enumerate(text.replace(".", " .").split()):
        start = text.index(word, pos)
        out.append({"text": word, "start": start, "end": start + len(word), "id": i})
        pos = start + len(word)
    return out


def _write(tmp_path, spans: list[dict]):
    rec = {"text": TEXT, "tokens": _tokens(TEXT), "spans": spans}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    return read_records(path)[0]["spans"]


VERB = {"label": "VERB", "start": 7, "end": 15, "token_start": 1, "token_end": 1,
        "text": "attacked"}


def test_a_span_holding_token_numbers_gets_its_tokens_offsets(tmp_path):
    broken = {"label": "LOCATION", "start": 5, "end": 5, "token_start": 5, "token_end": 5,
              "text": "Algiers"}
    _verb, loc = _write(tmp_path, [dict(VERB), broken])
    assert TEXT[loc["start"]:loc["end"]] == "Algiers"


def test_correct_spans_and_spans_whose_text_disagrees_are_left_alone(tmp_path):
    good = {"label": "LOCATION", "start": 30, "end": 37, "token_start": 5, "token_end": 5,
            "text": "Algiers"}
    odd = {"label": "LOCATION", "start": 5, "end": 5, "token_start": 5, "token_end": 5,
           "text": "Oran"}  # the tokens do not say what the span says: no guessing
    verb, kept, untouched = _write(tmp_path, [dict(VERB), good, odd])
    assert (verb["start"], verb["end"]) == (7, 15)
    assert (kept["start"], kept["end"]) == (30, 37)
    assert (untouched["start"], untouched["end"]) == (5, 5)
