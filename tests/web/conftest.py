"""A small, realistic store for the dashboard tests, written through the real store writer.

The stories are written for these tests (not third-party text). One of them is hostile: a
<script> in its title and text and a javascript: URL, which must render as plain text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.records import (
    Actor,
    Claim,
    CodedDocument,
    Document,
    Location,
    Modality,
    Quote,
)
from dateline.store import open_store
from dateline.store.synthetic import make_event
from dateline.store.synthetic import span as _span

HOSTILE = '<script>window.__pwned = 1; alert("xss")</script>'

MEXICO_CITY = Location("Mexico City", "MEX", "Mexico City", 19.43, -99.13, 3530597, "city")
TIJUANA = Location("Tijuana", "MEX", "Baja California", 32.53, -117.02, 3981609, "city")
OTTAWA = Location("Ottawa", "CAN", "Ontario", 45.42, -75.70, 6094817, "city")


def demo_documents() -> list[CodedDocument]:
    """Five short stories: one meeting told twice, an attack, an agreement, a hostile page."""
    out = []
    t1 = ("US and Mexican security chiefs meet in Mexico City\n\n"
          "Homeland Security Secretary Kirstjen Nielsen met Mexican Interior Secretary "
          "Alfonso Navarrete in Mexico City on Thursday to discuss border security. "
          "\"We have a lot to discuss,\" Nielsen said. A study found that an average of "
          "253,000 firearms cross the border into Mexico each year.")
    d1 = Document(text=t1, title="US and Mexican security chiefs meet in Mexico City",
                  published="2018-03-23", url="https://news.example.org/us-mexico-meeting",
                  source="Example Wire", origin="test")
    s1 = ("Homeland Security Secretary Kirstjen Nielsen met Mexican Interior Secretary "
          "Alfonso Navarrete in Mexico City on Thursday to discuss border security.")
    e1 = make_event(d1, s1, "met", "CONSULT", mode="visit", date="2018-03-22",
                    location=MEXICO_CITY, contexts=("crime", "border"),
                    actors=[("Kirstjen Nielsen", "USA", "GOV", "Kirstjen Nielsen",
                             "Secretary of Homeland Security")],
                    recipients=[("Alfonso Navarrete", "MEX", "GOV")])
    q_s, q_e = _span(t1, '"We have a lot to discuss,"')
    c_s, c_e = _span(t1, "an average of 253,000 firearms cross the border into Mexico each year")
    out.append(CodedDocument(
        doc=d1, events=[e1],
        quotes=[Quote(text="We have a lot to discuss,", start=q_s, end=q_e,
                      speaker=Actor(text="Nielsen", name="Kirstjen Nielsen", country="USA",
                                    sector="GOV"))],
        claims=[Claim(text=t1[c_s:c_e], start=c_s, end=c_e, value=253000, unit="firearms",
                      per="year", attributed_to={"name": "a study", "kind": "study"})]))

    t2 = ("Nielsen in Mexico for talks\n\nKirstjen Nielsen held talks with Alfonso Navarrete "
          "in Mexico City on Thursday, officials said.")
    d2 = Document(text=t2, title="Nielsen in Mexico for talks", published="2018-03-23",
                  url="http://another.example.net/nielsen-talks", source="Other Daily",
                  origin="test")
    e2 = make_event(d2, "Kirstjen Nielsen held talks with Alfonso Navarrete in Mexico City on "
                        "Thursday, officials said.", "held talks", "CONSULT", mode="visit",
                    date="2018-03-22", location=MEXICO_CITY, contexts=("border",),
                    actors=[("Kirstjen Nielsen", "USA", "GOV")],
                    recipients=[("Alfonso Navarrete", "MEX", "GOV")])
    out.append(CodedDocument(doc=d2, events=[e2]))

    t3 = ("Gunmen attack police in Tijuana\n\nGunmen attacked Mexican police officers in "
          "Tijuana on Monday. Mexican police arrested two suspects.")
    d3 = Document(text=t3, title="Gunmen attack police in Tijuana", published="2018-02-12",
                  url="https://news.example.org/tijuana", source="Example Wire", origin="test")
    e3 = make_event(d3, "Gunmen attacked Mexican police officers in Tijuana on Monday.",
                    "attacked", "ASSAULT", date="2018-02-12", location=TIJUANA,
                    contexts=("crime",), actors=[("Gunmen", "MEX", "CRM")],
                    recipients=[("Mexican police officers", "MEX", "COP")])
    e4 = make_event(d3, "Mexican police arrested two suspects.", "arrested", "COERCE",
                    mode="arrest", date="2018-02-12", location=TIJUANA, contexts=("crime",),
                    actors=[("Mexican police", "MEX", "COP")],
                    recipients=[("two suspects", "MEX", "CRM")])
    out.append(CodedDocument(doc=d3, events=[e3, e4]))

    t4 = ("Canada and the US sign a border pact\n\nCanada signed an agreement with the "
          "United States in Ottawa on January 15. Washington did not threaten Ottawa.")
    d4 = Document(text=t4, title="Canada and the US sign a border pact", published="2018-01-15",
                  url="https://news.example.org/pact", source="Third Paper", origin="test")
    e5 = make_event(d4, "Canada signed an agreement with the United States in Ottawa on "
                        "January 15.", "signed an agreement", "AGREE", date="2018-01-15",
                    location=OTTAWA, contexts=("border",), actors=[("Canada", "CAN", None)],
                    recipients=[("the United States", "USA", None)])
    e6 = make_event(d4, "Washington did not threaten Ottawa.", "threaten", "THREATEN",
                    date="2018-01-15", actors=[("Washington", "USA", "GOV")],
                    recipients=[("Ottawa", "CAN", "GOV")], modality=Modality(negated=True),
                    confidence=0.4)
    out.append(CodedDocument(doc=d4, events=[e5, e6]))

    t5 = (f"Hostile page {HOSTILE}\n\nMexico accused the United States of meddling "
          f"{HOSTILE} in Mexico City on March 20. <img src=x onerror=alert(1)>")
    d5 = Document(text=t5, title=f"Hostile page {HOSTILE}", published="2018-03-20",
                  url="javascript:alert('xss')", source="<b>Bad Source</b>", origin="test")
    e7 = make_event(d5, f"Mexico accused the United States of meddling {HOSTILE} in Mexico "
                        "City on March 20.", "accused", "ACCUSE", date="2018-03-20",
                    location=MEXICO_CITY, actors=[("Mexico", "MEX", "GOV")],
                    recipients=[("the United States", "USA", "GOV")])
    out.append(CodedDocument(doc=d5, events=[e7]))
    return out


def build_store(path: Path) -> dict[str, str]:
    """Write the demo documents (and one imported GDELT row) to a new store; return ids."""
    docs = demo_documents()
    with open_store(str(path)) as store:
        store.write_batch(docs)
        con = store.con
        # One imported GDELT event on the same dyad, for the dyad view's comparison line.
        con.execute("BEGIN TRANSACTION")
        con.execute("""INSERT INTO events (id, doc_id, origin, type, cameo, quad_class,
                       goldstein, actor1_code, actor1_country, actor2_code, actor2_country,
                       date, date_precision, event_date, negated, hypothetical, future,
                       historical, sentence, source, url)
                       VALUES ('gdelt-1', 'gdelt-doc', 'gdelt', 'CONSULT', '042', 1, 1.9,
                       'USAGOV', 'USA', 'MEXGOV', 'MEX', '2018-03-22', 'day',
                       DATE '2018-03-22', false, false, false, false, NULL, 'gdelt',
                       'https://gdelt.example/1')""")
        from dateline.store.dedup import update_clusters
        update_clusters(con, ["gdelt-1"])
        con.execute("COMMIT")
    ids = {"meeting": docs[0].events[0].id, "meeting2": docs[1].events[0].id,
           "assault": docs[2].events[0].id, "arrest": docs[2].events[1].id,
           "agree": docs[3].events[0].id, "negated": docs[3].events[1].id,
           "hostile": docs[4].events[0].id, "hostile_doc": docs[4].doc.id}
    return ids


@pytest.fixture(scope="module")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("webstore") / "demo.duckdb"
    ids = build_store(path)
    return path, ids


@pytest.fixture()
def fresh_store(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A store of its own, for tests that write reviews or hold locks."""
    path = tmp_path / "fresh.duckdb"
    return path, build_store(path)


@pytest.fixture(scope="session")
def store_builder():
    """build_store itself, for fixtures that need a store at a path of their own."""
    return build_store
