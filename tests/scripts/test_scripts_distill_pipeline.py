"""scripts/distill_pipeline.py: the student's config and the silver data's helpers (no training)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "distill_pipeline.py"


@pytest.fixture(scope="module")
def distill():
    spec = importlib.util.spec_from_file_location("distill_pipeline", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["distill_pipeline"] = module
    spec.loader.exec_module(module)
    return module


def test_student_config_shares_one_tok2vec_with_the_teachers_embedding_attrs(distill, tmp_path):
    from thinc.api import Config

    cfg = Config().from_str(distill.student_config(64, 2, tmp_path, max_steps=7))
    encode = cfg["components"]["tok2vec"]["model"]["encode"]
    assert (encode["width"], encode["depth"]) == (64, 2)
    embed = cfg["components"]["tok2vec"]["model"]["embed"]
    assert embed["attrs"] == ["NORM", "PREFIX", "SUFFIX", "SHAPE", "SPACY", "IS_SPACE"]
    assert embed["width"] == 64
    for name in ("tagger", "parser", "ner"):  # NER too: no second tok2vec
        tok2vec = cfg["components"][name]["model"]["tok2vec"]
        assert tok2vec["@architectures"] == "spacy.Tok2VecListener.v1"
        assert tok2vec["upstream"] == "tok2vec" and tok2vec["width"] == 64
        labels = cfg["initialize"]["components"][name]["labels"]["path"]
        assert labels == f"{tmp_path}/{name}.json"
    assert cfg["training"]["max_steps"] == 7
    assert cfg["initialize"]["before_init"] == {
        "@callbacks": "dateline_distill.teacher_vocab.v1"}


def test_event_location_sentences_are_kept_once_and_grouped(distill, tmp_path):
    path = tmp_path / "el.jsonl.gz"
    sents = [f"Sentence {k}." for k in range(45)]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for s in sents + sents[:5]:  # repeated records
            fh.write(json.dumps({"text": s, "spans": []}) + "\n")
    texts = distill.event_location_texts(path)
    assert [len(t.split("\n")) for t in texts] == [20, 20, 5]
    assert "\n".join(texts).split("\n") == sents


def test_insight_texts_take_the_article_column_only(distill, tmp_path):
    path = tmp_path / "ic.tsv"
    path.write_text("Police seized cocaine. \t1\t0\t0\n\nA second story.\t0\t1\t0\n",
                    encoding="utf-8")
    assert distill.insight_texts(path) == ["Police seized cocaine.", "A second story."]


def test_heldout_split_is_fixed_and_never_empty(distill):
    assert distill.split_heldout(10) == distill.split_heldout(10)
    assert len(distill.split_heldout(10)) == 1
    held = distill.split_heldout(6000)
    assert len(held) == 90 and max(held) < 6000


def test_silver_sources_leave_out_the_evaluation_sets(distill):
    used = {p.name for p in (distill.SYNTHETIC, distill.INSIGHT, distill.EVENT_LOCATION)}
    banned = {"PLV_train.tsv", "cameo_class_train.tsv", "cameo_ner_train.txt",
              "insightCrime_dev.tsv", "guardian_sample.jsonl.gz"}
    assert not used & banned


def test_only_a_student_from_the_teacher_copies_its_weights(distill, tmp_path):
    from thinc.api import Config

    plain = Config().from_str(distill.student_config(64, 2, tmp_path))
    assert plain["initialize"]["after_init"] is None
    seeded = Config().from_str(distill.student_config(96, 2, tmp_path, from_teacher=True))
    assert seeded["initialize"]["after_init"] == {
        "@callbacks": "dateline_distill.teacher_weights.v1"}
