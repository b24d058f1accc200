"""Gold-set readers: PLV marks, cameo_class lines, CoNLL S/T/R spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.evaluate.readers import parse_marked, read_cameo_class, read_conll_spans, read_plv

FIX = Path(__file__).parent / "fixtures"


def test_marked_sentence_becomes_plain_text_with_spans() -> None:
    item = parse_marked("<s>Iran</s> has condemned <t>a U.S. decision </t>to act.")
    assert item.sentence == "Iran has condemned a U.S. decision to act."
    assert item.sentence[slice(*item.source)] == "Iran"
    assert item.sentence[slice(*item.target)] == "a U.S. decision"


def test_marked_sentence_with_target_first() -> None:
    item = parse_marked("Animals were received by <t>the zoo</t> from <s>Brazil</s>.")
    assert item.sentence[slice(*item.target)] == "the zoo"
    assert item.sentence[slice(*item.source)] == "Brazil"


def test_plv_reader_reads_roots() -> None:
    rows = read_plv(FIX / "tiny_plv.tsv")
    assert [lab for _, lab in rows] == ["COERCE", "CONSULT", "ASSAULT", "ACCUSE", "AID"]
    item = rows[0][0]
    assert item.sentence[slice(*item.source)] == "Police"


def test_plv_reader_rejects_other_tsv(tmp_path: Path) -> None:
    bad = tmp_path / "x.tsv"
    bad.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="PLV"):
        read_plv(bad)


def test_cameo_class_reader_and_bad_line(tmp_path: Path) -> None:
    rows = read_cameo_class(FIX / "tiny_cameo_class.tsv")
    assert rows[0][1] == 4 and rows[-1][1] == 0
    bad = tmp_path / "bad.tsv"
    bad.write_text("ok sentence\t1\nno label here\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        read_cameo_class(bad)


def test_conll_reader_joins_tokens_and_keeps_roles() -> None:
    sents = read_conll_spans(FIX / "tiny_cameo_ner.txt")
    text, spans = sents[0]
    assert text.startswith("Police arrested dozens of protesters")
    assert [(s.role, s.text) for s in spans] == [("S", "Police"), ("T", "dozens of protesters")]
    assert [(s.role, s.text) for s in sents[1][1]] == [("R", "Nigeria"), ("R", "Ghana")]
