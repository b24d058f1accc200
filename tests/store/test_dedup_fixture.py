"""Cross-story dedup on our fixture stories: merges the same happening, never near misses."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest

from dateline import ontology
from dateline.records import (
    Actor,
    CodedDocument,
    Document,
    Event,
    Evidence,
    Location,
    Modality,
)
from dateline.store import open_store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "dedup" / "stories.jsonl"


def fixture_documents(path: Path = FIXTURE) -> tuple[list[CodedDocument], dict[str, str]]:
    """The fixture stories as coded documents (hand-built events) and event id -> gold label."""
    docs, gold = [], {}
    for line in path.read_text("utf-8").splitlines():
        story = json.loads(line)
        doc = Document(text=story["text"], published=story["published"], title=story["title"],
                       source=story["source"], origin=f"fixture:{story['id']}")
        events = []
        for spec in story["events"]:
            cameo = ontology.cameo_for(spec["type"], spec.get("mode"))
            trigger = spec["trigger"]
            start = doc.text.find(trigger)
            event = Event(
                type=spec["type"], mode=spec.get("mode"), cameo=cameo,
                quad_class=ontology.quad_class(spec["type"]), goldstein=ontology.goldstein(cameo),
                evidence=Evidence(sentence=doc.text, start=0, end=len(doc.text), trigger=trigger,
                                  trigger_start=start if start >= 0 else None,
                                  trigger_end=start + len(trigger) if start >= 0 else None),
                actors=[Actor(**a) for a in spec["actors"]],
                recipients=[Actor(**a) for a in spec["recipients"]],
                date=spec["date"], date_precision=spec["date_precision"],
                location=Location(**spec["location"]) if spec.get("location") else None,
                modality=Modality(**spec.get("modality", {})), confidence=0.9,
            )
            event.assign_id(doc.id)
            gold[event.id] = spec["gold"]
            events.append(event)
        docs.append(CodedDocument(doc=doc, events=events))
    return docs, gold


def pairwise_scores(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float]:
    """Pairwise precision and recall of merges (pairs of mentions put in one event)."""
    ids = sorted(gold)
    pred_pairs = {(a, b) for a, b in itertools.combinations(ids, 2)
                  if predicted[a] == predicted[b]}
    gold_pairs = {(a, b) for a, b in itertools.combinations(ids, 2) if gold[a] == gold[b]}
    hit = len(pred_pairs & gold_pairs)
    precision = hit / len(pred_pairs) if pred_pairs else 1.0
    recall = hit / len(gold_pairs) if gold_pairs else 1.0
    return precision, recall


def _clusters(store) -> dict[str, str]:
    return dict(store.con.execute("SELECT id, cluster_id FROM events").fetchall())


def test_fixture_has_enough_stories_and_repeated_events():
    docs, gold = fixture_documents()
    assert len(docs) >= 20
    labels = list(gold.values())
    assert sum(labels.count(g) > 1 for g in set(labels)) >= 8


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> dict[str, str]:
    """Event id -> cluster id after writing every fixture story in one batch."""
    docs, _ = fixture_documents()
    with open_store(tmp_path_factory.mktemp("dedup") / "d.duckdb") as store:
        store.write_batch(docs)
        return _clusters(store)


def test_pairwise_precision_and_recall_of_merges_reach_the_bar(stored):
    _, gold = fixture_documents()
    precision, recall = pairwise_scores(stored, gold)
    assert precision >= 0.9
    assert recall >= 0.9


def test_cluster_ids_do_not_depend_on_arrival_order(tmp_path):
    docs, _ = fixture_documents()
    with open_store(tmp_path / "a.duckdb") as store:
        store.write_batch(docs)
        expected = _clusters(store)
        counts = store.con.execute("SELECT id, num_mentions, num_stories FROM clusters "
                                   "ORDER BY id").fetchall()
    rng = random.Random(7)
    for trial in range(2):
        shuffled = docs[:]
        rng.shuffle(shuffled)
        with open_store(tmp_path / f"b{trial}.duckdb") as store:
            for start in range(0, len(shuffled), 4):  # several batches, one story at a time
                store.write_batch(shuffled[start:start + 4])
            assert _clusters(store) == expected
            assert store.con.execute("SELECT id, num_mentions, num_stories FROM clusters "
                                     "ORDER BY id").fetchall() == counts


def test_recoding_the_same_stories_adds_no_events(tmp_path):
    docs, _ = fixture_documents()
    with open_store(tmp_path / "c.duckdb") as store:
        store.write_batch(docs)
        before = store.con.execute("SELECT count(*), sum(num_mentions) FROM clusters").fetchone()
        store.write_batch(docs)
        from dateline.store.dedup import update_clusters

        update_clusters(store.con, list(_clusters(store)))  # re-running dedup is a no-op too
        after = store.con.execute("SELECT count(*), sum(num_mentions) FROM clusters").fetchone()
    assert before == after


@pytest.mark.parametrize("a,b", [("E3", "E4"), ("E1", "E2"), ("E1", "E2s"), ("E5", "E6"), ("E8", "E9"),
                                 ("E11", "E12"), ("E10", "N1"), ("N1", "N2")])
def test_near_miss_events_stay_apart(stored, a, b):
    _, gold = fixture_documents()
    predicted = stored
    left = {predicted[i] for i, g in gold.items() if g == a}
    right = {predicted[i] for i, g in gold.items() if g == b}
    assert left and right and not left & right


def test_merged_event_counts_mentions_sources_and_stories(tmp_path):
    docs, gold = fixture_documents()
    with open_store(tmp_path / "m.duckdb") as store:
        store.write_batch(docs)
        e1 = next(i for i, g in gold.items() if g == "E1")
        row = store.con.execute(
            "SELECT c.num_mentions, c.num_sources, c.num_stories, c.location_name, c.event_date "
            "FROM clusters c JOIN events e ON e.cluster_id = c.id WHERE e.id = ?", [e1]).fetchone()
    assert row[:3] == (5, 4, 5)
    assert row[3] == "Mexico City"  # the most specific place of its mentions
    assert str(row[4]) == "2018-03-21"  # the earliest day-precise report seeds the event


def test_fast_rule_agrees_with_the_explained_rule_on_every_pair(tmp_path):
    from dateline.store.dedup import compare, compatible, load_mentions

    docs, _ = fixture_documents()
    with open_store(tmp_path / "r.duckdb") as store:
        store.write_batch(docs)
        mentions = load_mentions(store.con, None)
    for a, b in itertools.permutations(mentions, 2):
        assert compatible(a, b) == all(c.ok for c in compare(a, b)), (a.id, b.id)
