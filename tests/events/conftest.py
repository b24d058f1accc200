"""Fixtures for the event coder: a parsed sentence and a small, predictable actor finder.

The fake finder stands in for dateline.actors so that these tests exercise the event logic
(triggers, roles, modality, evidence) and not the actor dictionaries.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dateline.records import Actor, Document

# phrase -> (name, country, sector, kind)
FAKE_ACTORS = {
    "mexican police": ("Mexican police", "MEX", "COP", "role"),
    "police": ("police", None, "COP", "role"),
    "protesters": ("protesters", None, "CVL", "role"),
    "the rebels": ("rebels", None, "REB", "role"),
    "rebels": ("rebels", None, "REB", "role"),
    "france": ("France", "FRA", None, "country"),
    "germany": ("Germany", "DEU", None, "country"),
    "mexico": ("Mexico", "MEX", None, "country"),
    "russia": ("Russia", "RUS", None, "country"),
    "ukraine": ("Ukraine", "UKR", None, "country"),
    "china": ("China", "CHN", None, "country"),
    "american": ("American", "USA", None, "country"),
    "the united states": ("United States", "USA", None, "country"),
    "president macron": ("Emmanuel Macron", "FRA", "GOV", "person"),
    "macron": ("Emmanuel Macron", "FRA", "GOV", "person"),
    "chancellor scholz": ("Olaf Scholz", "DEU", "GOV", "person"),
    "scholz": ("Olaf Scholz", "DEU", "GOV", "person"),
    "the army": ("army", None, "MIL", "role"),
    "soldiers": ("soldiers", None, "MIL", "role"),
    "the opposition": ("opposition", None, "OPP", "role"),
    "the government": ("government", None, "GOV", "role"),
    "secretaries": ("Secretaries", None, "GOV", "role"),
}
PRONOUNS = {"he", "she", "they"}


@dataclass
class FakeMention:
    start: int
    end: int
    text: str
    actor: Actor
    kind: str
    token_start: int
    token_end: int
    head: int
    group: int | None = None
    antecedent: int | None = None


def fake_find_mentions(doc: Document, sdoc) -> list[FakeMention]:
    """Longest-match phrase lookup over tokens; he/she/they -> the last named actor before it."""
    out: list[FakeMention] = []
    words = [t.lower_ for t in sdoc]
    i = 0
    while i < len(sdoc):
        hit = None
        for n in (3, 2, 1):
            phrase = " ".join(words[i:i + n])
            if phrase in FAKE_ACTORS and i + n <= len(sdoc):
                hit = (n, FAKE_ACTORS[phrase])
                break
        if hit:
            n, (name, country, sector, kind) = hit
            span = sdoc[i:i + n]
            actor = Actor(text=span.text, name=name, country=country, sector=sector,
                          start=span.start_char, end=span.end_char)
            out.append(FakeMention(span.start_char, span.end_char, span.text, actor, kind,
                                   i, i + n, span.root.i if span.root else i))
            i += n
            continue
        if words[i] in PRONOUNS and out:
            ante = len(out) - 1
            a = out[ante].actor
            tok = sdoc[i]
            actor = Actor(text=tok.text, name=a.name, country=a.country, sector=a.sector,
                          start=tok.idx, end=tok.idx + len(tok))
            out.append(FakeMention(tok.idx, tok.idx + len(tok), tok.text, actor, "pronoun",
                                   i, i + 1, i, antecedent=ante))
        i += 1
    return out


@pytest.fixture(scope="session")
def code_with_fakes():
    """Code a text with the real parser and event extractor but the fake actor finder."""
    from dateline import events, nlp

    def run(text: str, published: str | None = "2024-05-01"):
        doc = Document(text=text, published=published)
        sdoc = nlp.parse(text, select=events.may_hold_event)
        mentions = fake_find_mentions(doc, sdoc)
        return events.extract_events(doc, sdoc, mentions)

    return run
