"""`dateline train` on a tiny hand-written data folder: writes a loadable model and its card."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

FIX = Path(__file__).parent / "fixtures"


def _data_dir(tmp_path: Path) -> Path:
    train = tmp_path / "data" / "train"
    train.mkdir(parents=True)
    plv = (FIX / "tiny_plv.tsv").read_text("utf-8")
    rows = plv.splitlines()
    # Each class needs a few rows so that the stratified split leaves training examples.
    words = ["on Monday", "on Tuesday", "again", "late at night", "this week"]
    body = [rows[0]] + [r.replace("</t>", f"</t> {w}") for r in rows[1:] for w in words]
    (train / "PLV_train.tsv").write_text("\n".join(body) + "\n", "utf-8")
    cam = (FIX / "tiny_cameo_class.tsv").read_text("utf-8")
    lines = [ln.replace("\t", f" {w}\t") for w in words for ln in cam.splitlines()]
    (train / "cameo_class_train.tsv").write_text("\n".join(lines) + "\n", "utf-8")
    return tmp_path / "data"


def test_train_writes_model_card_and_user_labels_count(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from dateline.evaluate.commands import train
    from dateline.events.classifier import ClassifierInput, EventClassifier

    labels = tmp_path / "mine.tsv"
    labels.write_text("sentence\tss\tse\tts\tte\tlabel\n"
                      "Guards detained the journalist.\t0\t6\t19\t30\tCOERCE\n"
                      "It rained all day.\t\t\t\t\tNONE\n", "utf-8")
    out = tmp_path / "model"
    res = CliRunner().invoke(train, ["--data", str(_data_dir(tmp_path)), "--out", str(out),
                                     "--labels", str(labels), "--no-synthetic"])
    assert res.exit_code == 0, res.output
    assert "dev plv" in res.output
    card = (out / "MODEL_CARD.md").read_text("utf-8")
    assert "user=2" in card and "Retrain on your own labels" in card
    model = EventClassifier.load(out)
    assert "NONE" in model.classes and "COERCE" in model.classes
    assert model.predict([ClassifierInput("Guards detained the journalist.")])[0].type


def test_bad_user_label_is_reported_with_its_line(tmp_path: Path) -> None:
    from dateline.training.train import user_examples

    bad = tmp_path / "bad.tsv"
    bad.write_text("A hit B.\t0\t1\t6\t7\tPUNCH\n", "utf-8")
    with pytest.raises(ValueError, match=":1: unknown label"):
        user_examples(bad)


def test_train_without_data_folder_is_a_usage_error(tmp_path: Path) -> None:
    from dateline.evaluate.commands import train

    res = CliRunner().invoke(train, ["--data", str(tmp_path), "--out", str(tmp_path / "m")])
    assert res.exit_code == 2
    assert "no train/ folder" in res.output
