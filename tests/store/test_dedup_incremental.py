"""Incremental dedup (batch by batch, any order) ends where a full rebuild ends."""

from __future__ import annotations

import random

from dateline.records import Actor, CodedDocument, Document, Event, Evidence, Location
from dateline.store import open_store
from dateline.store.dedup import rebuild_clusters

CITIES = [("Tijuana", "MEX", "Baja California"), ("Culiacan", "MEX", "Sinaloa"),
          ("Mexico", "MEX", None)]


def crowded_stories(n: int, seed: int = 11) -> list[CodedDocument]:
    """n one-event stories packed into a few weeks, parties and places: many near misses."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        text = f"Story {i}: police acted."
        doc = Document(text=text, published="2018-03-01", source=f"src{i % 5}", title=f"s{i}")
        day = rng.randrange(1, 29)
        monthly = rng.random() < 0.15
        name, country, admin1 = rng.choice(CITIES)
        event = Event(
            type=rng.choice(["COERCE", "CONSULT"]),
            evidence=Evidence(sentence=text, start=0, end=len(text), trigger="acted",
                              trigger_start=text.index("acted")),
            actors=[Actor(text="a", country=rng.choice(["MEX", "USA", None]),
                          sector=rng.choice(["COP", "GOV"]))],
            recipients=[Actor(text="r", country=rng.choice(["MEX", "USA"]), sector="CRM")],
            date="2018-03" if monthly else f"2018-03-{day:02d}",
            date_precision="month" if monthly else "day",
            location=None if rng.random() < 0.2 else Location(name, country, admin1),
        )
        event.assign_id(doc.id)
        docs.append(CodedDocument(doc=doc, events=[event]))
    return docs


def _assignment(store) -> dict[str, str]:
    return dict(store.con.execute("SELECT id, cluster_id FROM events").fetchall())


def test_batches_in_any_order_give_the_rebuilt_clusters(tmp_path):
    docs = crowded_stories(90)
    with open_store(tmp_path / "all.duckdb") as store:
        store.write_batch(docs)
        rebuild_clusters(store.con)
        expected = _assignment(store)
        n_clusters = store.con.execute("SELECT count(*) FROM clusters").fetchone()[0]
    assert 10 < len(set(expected.values())) < len(docs)  # real merging happened
    assert n_clusters == len(set(expected.values()))
    for trial in range(1):
        shuffled = docs[:]
        random.Random(trial).shuffle(shuffled)
        with open_store(tmp_path / f"inc{trial}.duckdb") as store:
            for start in range(0, len(shuffled), 30):
                store.write_batch(shuffled[start:start + 30])
            assert _assignment(store) == expected
            assert store.con.execute("SELECT count(*) FROM clusters").fetchone()[0] == n_clusters
            orphans = store.con.execute(
                "SELECT count(*) FROM events e ANTI JOIN clusters c ON c.id = e.cluster_id"
            ).fetchone()[0]
            assert orphans == 0
