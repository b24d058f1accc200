"""The shipped event classifier: loads without torch or scikit-learn, predicts obvious types."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dateline.events.classifier import (
    NONE,
    ClassifierInput,
    EventClassifier,
    Prediction,
    penta_class_of,
    quad_class_of,
)
from dateline.records import PLOVER_TYPES


def _item(sentence: str, source: str | None, target: str | None) -> ClassifierInput:
    def span(part: str | None) -> tuple[int, int] | None:
        if part is None:
            return None
        a = sentence.index(part)
        return a, a + len(part)

    return ClassifierInput(sentence, source=span(source), target=span(target))


OBVIOUS = [
    ("Police arrested the protesters outside parliament.", "Police", "the protesters",
     "COERCE"),
    ("The two ministers met in Paris on Monday.", "The two ministers", None, "CONSULT"),
    ("Rebels attacked an army base near the border, killing five soldiers.", "Rebels",
     "an army base", "ASSAULT"),
    ("Russia accused Ukraine of shelling the power plant.", "Russia", "Ukraine", "ACCUSE"),
    ("The government rejected the union's demand for higher wages.", "The government",
     "the union", "REJECT"),
    ("Thousands of workers marched through the capital to protest against the new tax law.",
     "Thousands of workers", None, "PROTEST"),
]


@pytest.fixture(scope="module")
def model() -> EventClassifier:
    return EventClassifier.load()


@pytest.mark.parametrize(("sentence", "source", "target", "expected"), OBVIOUS)
def test_obvious_sentences_get_their_type(model, sentence, source, target, expected) -> None:
    pred = model.predict([_item(sentence, source, target)])[0]
    assert pred.type == expected, pred.probs


def test_predictions_are_well_formed(model) -> None:
    preds = model.predict([_item(s, a, b) for s, a, b, _ in OBVIOUS])
    assert len(preds) == len(OBVIOUS)
    for p in preds:
        assert isinstance(p, Prediction)
        assert p.type in PLOVER_TYPES or p.type == NONE
        assert abs(sum(p.probs.values()) - 1.0) < 1e-4
        assert p.confidence == pytest.approx(p.probs[p.type])
        assert p.cameo is not None and p.cameo[:2].isdigit()
        assert quad_class_of(p) in (1, 2, 3, 4)
        assert penta_class_of(p) in (0, 1, 2, 3, 4)


def test_batch_order_and_empty_batch(model) -> None:
    items = [_item(s, a, b) for s, a, b, _ in OBVIOUS]
    one_by_one = [model.predict([it])[0].type for it in items]
    assert [p.type for p in model.predict(items)] == one_by_one
    assert model.predict([]) == []


def test_odd_inputs_do_not_crash(model) -> None:
    preds = model.predict([ClassifierInput(""), ClassifierInput("!!!"),
                           ClassifierInput("x", source=(5, 9), target=(0, 100))])
    assert len(preds) == 3


def test_load_is_cached_per_process(model) -> None:
    assert EventClassifier.load() is model


def test_missing_model_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="dateline train"):
        EventClassifier.load(tmp_path)


def test_shipped_model_runs_without_torch_or_sklearn() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('torch', 'sklearn', 'scipy', 'onnxruntime'):\n"
        "            raise ImportError('blocked ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from dateline.events.classifier import EventClassifier, ClassifierInput\n"
        "s = 'Police arrested the protesters.'\n"
        "p = EventClassifier.load().predict([ClassifierInput(s, (0, 6), (16, 30))])[0]\n"
        "print(p.type)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "COERCE"


def test_save_and_load_round_trip(model, tmp_path: Path) -> None:
    model.save(tmp_path)
    again = EventClassifier.load(tmp_path)
    items = [_item(s, a, b) for s, a, b, _ in OBVIOUS]
    for p, q in zip(model.predict(items), again.predict(items)):
        assert p.type == q.type
        assert abs(p.confidence - q.confidence) < 1e-3
