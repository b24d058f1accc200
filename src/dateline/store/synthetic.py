"""Coded documents made by hand or at random, for stores in tests, demos and benchmarks.

Every event made here is a valid record: its sentence, trigger and actor mentions point at
real character offsets of the document text, and its CAMEO code, quad class and Goldstein
score come from the ontology, as the coder would give them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from dateline.ontology import cameo_for, goldstein, quad_class
from dateline.records import (
    Actor,
    Claim,
    CodedDocument,
    Document,
    Event,
    Evidence,
    Location,
    Modality,
    Quote,
)

# (mention text, country, sector[, name[, title]]): a party as it appears in the sentence.
PartySpec = tuple


def span(text: str, part: str, after: int = 0) -> tuple[int, int]:
    """Start and end offsets of ``part`` in ``text`` (at or after ``after``)."""
    start = text.index(part, after)
    return start, start + len(part)


def _actor(text: str, mention: str, country: str | None, sector: str | None,
           name: str | None = None, title: str | None = None, *, sent_start: int) -> Actor:
    s, e = span(text, mention, sent_start)
    return Actor(text=mention, name=name or mention, country=country, sector=sector,
                 title=title, start=s, end=e)


def make_event(doc: Document, sentence: str, trigger: str, etype: str, *,
               actors: Sequence[PartySpec], recipients: Sequence[PartySpec] = (),
               mode: str | None = None, date: str | None = None,
               location: Location | None = None, contexts: Sequence[str] = (),
               modality: Modality | None = None, confidence: float = 0.8,
               after: int = 0) -> Event:
    """An event whose offsets all point into doc.text (sentence, trigger, actor mentions)."""
    s, e = span(doc.text, sentence, after)
    ts, te = span(doc.text, trigger, s)
    cameo = cameo_for(etype, mode)
    event = Event(
        type=etype, mode=mode, cameo=cameo, quad_class=quad_class(etype),
        goldstein=goldstein(cameo),
        evidence=Evidence(sentence=sentence, start=s, end=e, trigger=trigger,
                          trigger_start=ts, trigger_end=te),
        actors=[_actor(doc.text, *a, sent_start=s) for a in actors],
        recipients=[_actor(doc.text, *r, sent_start=s) for r in recipients],
        contexts=list(contexts), date=date,
        date_precision=("day" if len(date) == 10 else "month" if len(date) == 7 else "year")
        if date else None,
        location=location, modality=modality or Modality(), confidence=confidence)
    event.assign_id(doc.id)
    return event


SYNTHETIC_TYPES = ["CONSULT", "AGREE", "COERCE", "ASSAULT", "ACCUSE", "PROTEST", "AID",
                   "THREATEN"]
SYNTHETIC_COUNTRIES = ["USA", "MEX", "GTM", "CHN", "RUS", "UKR", "IND", "PAK", "IRN", "IRQ"]


def synthetic_documents(n_docs: int, n_events: int, seed: int = 0) -> list[CodedDocument]:
    """n_docs stories of n_events events each (two governments, a day in June 2019, a
    place), with a quote and a claim: volume for store benchmarks, not realistic text."""
    rng = random.Random(seed)
    out = []
    for d in range(n_docs):
        sentences = [f"Story {d}.{e}: {{a}} officials met {{b}} officials in the capital."
                     for e in range(n_events)]
        pairs = [rng.sample(SYNTHETIC_COUNTRIES, 2) for _ in range(n_events)]
        sentences = [s.format(a=a, b=b) for s, (a, b) in zip(sentences, pairs, strict=True)]
        # Padding to the length of a short news story (the writer stores the text).
        text = " ".join(sentences) + " " + "Officials met to discuss security and trade. " * 40
        doc = Document(text=text, title=f"Story {d}", published="2019-06-07", source="Bench",
                       origin=f"bench#{d}")
        events = []
        for sentence, (a, b) in zip(sentences, pairs, strict=True):
            events.append(make_event(
                doc, sentence, "met", rng.choice(SYNTHETIC_TYPES),
                actors=[(f"{a} officials", a, "GOV")], recipients=[(f"{b} officials", b, "GOV")],
                date=f"2019-06-{rng.randint(1, 28):02d}",
                location=Location(name="Capital", country=a, lat=1.0, lon=2.0)))
        out.append(CodedDocument(
            doc=doc, events=events,
            quotes=[Quote(text="We agreed", start=0, end=9, speaker=Actor(text="minister"))],
            claims=[Claim(text="200 people", start=0, end=10, value=200)], contexts=["trade"]))
    return out
