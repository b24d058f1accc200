"""The classifier's dependency features: one function for training and the coder's parse."""

from __future__ import annotations

import numpy as np
import pytest

from dateline.events.classifier import (
    ClassifierInput,
    EventClassifier,
    features,
    parse_features,
    with_parse,
)


def _span(sentence: str, words: str) -> tuple[int, int]:
    start = sentence.index(words)
    return start, start + len(words)


def _sx(sentence: str, source: str | None, target: str | None) -> tuple[str, ...]:
    item = ClassifierInput(sentence, _span(sentence, source) if source else None,
                           _span(sentence, target) if target else None)
    return with_parse([item])[0].syntax


def test_active_verb_relates_subject_source_and_object_target() -> None:
    sx = _sx("Ukraine accused Russia of sending tanks to the separatists.", "Ukraine", "Russia")
    assert {"sx:a:accuse", "sx:sp:nsubj", "sx:tp:dobj", "sx:obj:<t>",
            "sx:pr:accuse|of"} <= set(sx)


def test_passive_source_is_reached_through_the_agent_by_phrase() -> None:
    sx = _sx("Russia was accused by Ukraine of sending tanks.", "Ukraine", "Russia")
    assert "sx:a:accuse" in sx and "sx:pass" in sx
    assert "sx:sp:pobj<agent_by" in sx
    assert "sx:tp:nsubjpass" in sx


def test_governing_verb_and_modal_of_an_intended_act() -> None:
    sx = _sx("China threatened to impose tariffs on Mexico.", "China", "Mexico")
    assert any(f.startswith("sx:gv:threaten") or f == "sx:a:threaten" for f in sx), sx
    sx = _sx("France will not send troops to Mali.", "France", "Mali")
    assert {"sx:a:send", "sx:neg", "sx:aux:will", "sx:obj:troop"} <= set(sx)


def test_prepositional_target_keeps_its_preposition() -> None:
    sx = _sx("The ACLU filed a lawsuit against the FBI.", "The ACLU", "the FBI")
    assert {"sx:a:file", "sx:tp:pobj<prep_against", "sx:ao:file|lawsuit"} <= set(sx)


def test_one_party_only_takes_the_verb_above_it() -> None:
    sx = _sx("Thousands of workers marched through the capital.", "Thousands of workers", None)
    assert "sx:a:march" in sx and "sx:tp:none" in sx and "sx:tr:none" in sx


def test_unparsed_tokens_give_no_features() -> None:
    import spacy

    doc = spacy.blank("en")("Rebels attacked the base.")
    assert parse_features(doc, (0, 6), (16, 24)) == ()


def test_spans_are_relative_to_the_given_base() -> None:
    from dateline import nlp

    story = "Officials met on Monday. Ukraine accused Russia of shelling."
    doc = nlp.parse(story)
    sent = list(doc.sents)[1]
    base = sent.start_char
    local = parse_features(sent, (0, 7), (16, 22), base=base)
    alone = _sx("Ukraine accused Russia of shelling.", "Ukraine", "Russia")
    assert local == alone


def test_features_append_the_parse_and_degrade_without_it() -> None:
    item = ClassifierInput("Ukraine accused Russia.", (0, 7), (16, 22))
    plain = features(item)
    assert not any(f.startswith("sx:") for f in plain)
    parsed = with_parse([item])[0]
    assert features(parsed)[: len(plain)] == plain
    assert [f for f in features(parsed) if f.startswith("sx:")] == list(parsed.syntax)


def test_heads_sharing_a_vocabulary_share_one_normalisation() -> None:
    from dateline.training.train import _in_union

    items = [ClassifierInput("Rebels attacked the army base.", (0, 6), (15, 29)),
             ClassifierInput("The minister met his counterpart.", (0, 12), (17, 32))]
    names = sorted({f for it in items for f in features(it)})
    union = {f: i for i, f in enumerate(names)}
    own = {f: i for i, f in enumerate(f for f in names if f.startswith("w:"))}
    rng = np.random.RandomState(1)
    heads = {"type": {"classes": ["A", "B"], "W": rng.randn(len(union), 2).astype(np.float32),
                      "b": np.zeros(2, np.float32)}}
    for name in ("penta", "mode:X"):
        heads[name] = _in_union(["0", "1"], rng.randn(len(own), 2).astype(np.float32),
                                np.array([0.2, -0.1], np.float32), own, union)
    model = EventClassifier(union, heads, {})
    assert len(model._masked) == 1 and len(model._masked[0][0]) == 2
    for name in ("penta", "mode:X"):
        alone = EventClassifier(own, {"type": {
            "classes": ["0", "1"], "W": heads[name]["W"][[union[f] for f in own]],
            "b": heads[name]["b"]}}, {})
        np.testing.assert_allclose(model.probabilities(items, name),
                                   alone.probabilities(items, "type"), rtol=1e-5, atol=1e-6)


def test_coder_passes_the_same_parse_features_as_training(monkeypatch) -> None:
    """The coder's candidates carry the features a standalone parse of the sentence gives."""
    from dateline.coder import code_document
    from dateline.records import Document

    model = EventClassifier.load()
    if not model.uses_syntax:
        pytest.skip("the shipped model reads no parse features")
    seen: list[ClassifierInput] = []
    real = EventClassifier.predict

    def spy(self, items):
        seen.extend(items)
        return real(self, items)

    monkeypatch.setattr(EventClassifier, "predict", spy)
    text = ("Ukraine accused Russia of shelling the port. French police arrested two "
            "protesters in Paris on Monday.")
    code_document(Document(text=text, published="2024-03-01"))
    assert seen and all(it.syntax for it in seen)
    for it in seen:
        again = with_parse([ClassifierInput(it.sentence, it.source, it.target)])[0]
        assert again.syntax == it.syntax

