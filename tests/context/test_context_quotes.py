"""Direct quotes: shapes of quotation and who said them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dateline.context.quotes import find_quotes
from dateline.records import Actor


@dataclass
class Mention:
    start: int
    end: int
    text: str
    actor: Actor
    kind: str
    antecedent: int | None = None


def mentions_for(text: str, specs: list[tuple[str, str, str | None, int]]) -> list[Mention]:
    """Mentions of (surface text, kind, name, occurrence) in text; pronouns point back to the
    closest earlier person mention."""
    out: list[Mention] = []
    for surface, kind, name, nth in specs:
        pos = [m.start() for m in re.finditer(rf"\b{re.escape(surface)}\b", text)][nth]
        actor = Actor(text=surface, name=name, country="USA" if name else None, sector="GOV")
        ante = None
        if kind == "pronoun":
            ante = max(i for i, m in enumerate(out) if m.kind == "person" and m.start < pos)
        out.append(Mention(pos, pos + len(surface), surface, actor, kind, ante))
    return sorted(out, key=lambda m: m.start)


def test_split_quote_around_attribution_is_one_quote_with_pronoun_speaker():
    text = 'Maria Lopez met the press.\n"We have," she said, "a lot to discuss."\n'
    ms = mentions_for(text, [("Maria Lopez", "person", "Maria Lopez", 0),
                             ("she", "pronoun", None, 0)])
    (q,) = find_quotes(text, None, ms)
    assert q.text == "We have a lot to discuss."
    assert q.speaker.name == "Maria Lopez"
    assert text[q.start:q.end].startswith("We have,") and text[q.start:q.end].endswith("discuss.")


def test_curly_quote_with_trailing_attribution_by_name():
    text = "“The border will stay open for trade,” Juan Perez said on Monday.\n"
    ms = mentions_for(text, [("Juan Perez", "person", "Juan Perez", 0)])
    (q,) = find_quotes(text, None, ms)
    assert q.text.startswith("The border will stay open for trade")
    assert q.speaker.name == "Juan Perez"


def test_inverted_attribution_said_the_minister():
    text = '"We will not accept these tariffs at all," said Foreign Minister Ana Silva.\n'
    ms = mentions_for(text, [("Foreign Minister Ana Silva", "person", "Ana Silva", 0)])
    (q,) = find_quotes(text, None, ms)
    assert q.speaker.name == "Ana Silva"


def test_multi_sentence_quote_introduced_by_speaker():
    text = ('The governor Tom Reed said: "The flood destroyed 400 homes. We need help now. '
            'Every family counts."\n')
    ms = mentions_for(text, [("Tom Reed", "person", "Tom Reed", 0)])
    (q,) = find_quotes(text, None, ms)
    assert q.text.count(".") == 3 and q.speaker.name == "Tom Reed"


def test_quote_spanning_paragraphs_without_closing_mark():
    text = ('“We are ready to sign the agreement next week,” Omar Haddad said. “The talks went well.\n'
            '“Both sides made concessions that nobody expected,” he added.\n')
    ms = mentions_for(text, [("Omar Haddad", "person", "Omar Haddad", 0),
                             ("he", "pronoun", None, 0)])
    quotes = find_quotes(text, None, ms)
    assert len(quotes) == 2
    second = quotes[1]
    assert "The talks went well." in second.text and "concessions" in second.text
    assert second.speaker.name == "Omar Haddad"


def test_quote_only_paragraph_takes_previous_paragraphs_speaker():
    text = ('In turn, Minister Lena Berg indicated that her government is committed to the '
            'partnership.\n\n“We are very anxious to start this new relationship together.”\n')
    ms = mentions_for(text, [("Minister Lena Berg", "person", "Lena Berg", 0)])
    (q,) = find_quotes(text, None, ms)
    assert q.speaker.name == "Lena Berg"


def test_fragment_quote_inside_speakers_sentence():
    text = ('Carlos Ruiz highlighted the support of the government for a security plan “which '
            'has nothing to do with the sovereign decisions of either country.”\n')
    ms = mentions_for(text, [("Carlos Ruiz", "person", "Carlos Ruiz", 0)])
    (q,) = find_quotes(text, None, ms)
    assert q.text.startswith("which has nothing") and q.speaker.name == "Carlos Ruiz"


def test_scare_quotes_are_not_quotes():
    text = 'The so-called "peace plan" was rejected by the "interim" council.\n'
    assert find_quotes(text, None, []) == []


def test_straight_quotes_pair_correctly_with_two_quotes_in_a_paragraph():
    text = ('"The army has left the city," Ali Khan said. Later he added: "Nobody was hurt in '
            'the operation."\n')
    ms = mentions_for(text, [("Ali Khan", "person", "Ali Khan", 0), ("he", "pronoun", None, 0)])
    quotes = find_quotes(text, None, ms)
    assert [q.text[:10] for q in quotes] == ["The army h", "Nobody was"]
    assert all(q.speaker.name == "Ali Khan" for q in quotes)


def test_unattributed_quote_keeps_no_invented_speaker():
    text = 'Stocks fell.\n\n"Nobody saw this coming at all this year."\n'
    (q,) = find_quotes(text, None, [])
    assert q.speaker is None
