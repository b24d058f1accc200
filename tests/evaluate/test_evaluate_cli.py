"""`dateline evaluate` on tiny hand-written gold files in every format."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dateline.evaluate.commands import evaluate

FIX = Path(__file__).parent / "fixtures"


def _run(*args: str):
    return CliRunner().invoke(evaluate, list(args))


def test_plv_json_has_the_contract_shape() -> None:
    res = _run("--gold", str(FIX / "tiny_plv.tsv"), "--format", "plv", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["n"] == 5
    assert {"accuracy", "macro_f1", "per_class", "confusion"} <= set(out)
    assert set(out["per_class"]["COERCE"]) == {"p", "r", "f1", "n"}
    # the obvious sentences are classified right
    assert out["accuracy"] >= 0.8


def test_cameo_class_text_report() -> None:
    res = _run("--gold", str(FIX / "tiny_cameo_class.tsv"), "--format", "cameo-class")
    assert res.exit_code == 0, res.output
    assert "accuracy=" in res.output and "confusion" in res.output


def test_wrong_format_for_file_is_a_clear_error_not_a_crash() -> None:
    res = _run("--gold", str(FIX / "tiny_cameo_class.tsv"), "--format", "plv")
    assert res.exit_code == 1
    assert "cannot score" in res.output


def test_dateline_format_scores_gold_documents_against_the_coder(tmp_path: Path) -> None:
    from dateline.records import Actor, CodedDocument, Document, Event, Evidence

    text = "Police arrested dozens of protesters in Lagos on Sunday."
    doc = Document(text=text, published="2020-01-02")
    ev = Event(type="COERCE", evidence=Evidence(text, 0, len(text), "arrested", 7, 15),
               actors=[Actor("Police", sector="COP", start=0, end=6)],
               recipients=[Actor("protesters", sector="CVL", start=26, end=36)])
    gold = tmp_path / "gold.jsonl"
    gold.write_text(CodedDocument(doc=doc, events=[ev]).to_line() + "\n", encoding="utf-8")
    res = _run("--gold", str(gold), "--format", "dateline", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["n_documents"] == 1 and out["n_gold_events"] == 1
    assert "actor_f1" in out and "COERCE" in out["per_class"]


def test_cameo_ner_reports_span_scores() -> None:
    res = _run("--gold", str(FIX / "tiny_cameo_ner.txt"), "--format", "cameo-ner", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    for key in ("span_f1", "source_f1", "target_f1", "span_f1_exact"):
        assert 0.0 <= out[key] <= 1.0
    assert out["n"] == 2
