"""The set-based dedup (candidate pairs in SQL) gives exactly the clusters of the merge rule
run mention by mention (dedup.cluster_mentions), on our fixture and on random sets."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from dateline.store.dedup import (
    cluster_mentions,
    load_mentions,
    location_member,
    rebuild_clusters,
)

PLACES = [None, ("Tijuana", "MEX", "Baja California", 3981609),
          ("Culiacan", "MEX", "Sinaloa", None), ("Baja California", "MEX", "Baja California", None),
          ("Mexico", "MEX", None, None), ("El Paso", "USA", "Texas", 5520993),
          ("Texas", "USA", "Texas", None), (None, "USA", None, None)]
TYPES = ["COERCE", "CONSULT", "AGREE", "ACCUSE"]
PARTIES = [("MEX", "COP"), ("MEX", "GOV"), ("MEX", None), ("USA", "GOV"), ("USA", None),
           (None, "CRM"), (None, "COP"), ("GTM", "GOV"), ("MEX", "CVL"), ("MEX", "CRM"),
           ("USA", "CVL"), (None, None)]


def random_stories(seed: int, n: int = 70) -> list[CodedDocument]:
    """n events over a few weeks from a handful of parties, places, types and precisions."""
    rng = random.Random(seed)
    docs = []
    for d in range(n // 3 + 1):
        text = f"Story {seed}-{d}: something happened between the parties."
        doc = Document(text=text, published=f"2018-03-{rng.randrange(1, 29):02d}",
                       source=f"src{d % 4}", title=f"t{d}")
        events = []
        for k in range(3):
            precision = rng.choice(["day"] * 6 + ["month", "year", None])
            day = rng.randrange(1, 21)
            date = {"day": f"2018-03-{day:02d}", "month": "2018-03", "year": "2018",
                    None: None}[precision]
            events.append(random_event(rng, doc, k, date, precision, TYPES,
                                       [None, None, "arrest", "meet"], PARTIES, PLACES,
                                       [0, 1, 1, 2]))
        docs.append(CodedDocument(doc=doc, events=events))
    return docs


def random_event(rng: random.Random, doc: Document, k: int, date: str | None,
                 precision: str | None, types: list[str], modes: list[str | None],
                 parties: list[tuple], places: list[tuple | None],
                 recipient_counts: list[int]) -> Event:
    """One event of ``doc`` with parties, place, type and mode drawn from the given lists
    (one or two actors; a recipient count from ``recipient_counts``; 5 % negated)."""
    place = rng.choice(places)
    event = Event(
        type=rng.choice(types), mode=rng.choice(modes),
        evidence=Evidence(sentence=doc.text, start=k, end=len(doc.text), trigger="happened",
                          trigger_start=k),
        actors=[Actor(text="a", country=c, sector=s)
                for c, s in rng.sample(parties, rng.choice([1, 1, 2]))],
        recipients=[Actor(text="r", country=c, sector=s)
                    for c, s in rng.sample(parties, rng.choice(recipient_counts))],
        date=date, date_precision=precision,
        location=Location(*place) if place else None,
        modality=Modality(negated=rng.random() < 0.05))
    event.assign_id(doc.id)
    return event


def _sql_clusters(con) -> tuple[dict[str, str], dict[str, str]]:
    assignment = dict(con.execute("SELECT id, cluster_id FROM events").fetchall())
    locations = {cid: (name, gid) for cid, name, gid in con.execute(
        "SELECT id, location_name, geonameid FROM clusters").fetchall()}
    return assignment, locations


def _rule_clusters(con) -> tuple[dict[str, str], dict[str, tuple]]:
    assignment, locations = {}, {}
    for cluster in cluster_mentions(load_mentions(con, None)):
        for m in cluster:
            assignment[m.id] = cluster[0].id
        loc = location_member(cluster)
        locations[cluster[0].id] = (loc.place.name, loc.place.geonameid) if loc.place else None
    return assignment, locations


def _check_same(con, in_transaction: bool = False) -> int:
    if in_transaction:  # rows written inside a transaction are numbered differently
        con.execute("BEGIN TRANSACTION")
        n = rebuild_clusters(con)
        con.execute("COMMIT")
    else:
        n = rebuild_clusters(con)
    sql, sql_loc = _sql_clusters(con)
    rule, rule_loc = _rule_clusters(con)
    assert sql == rule
    assert n == len(set(rule.values()))
    for cid, loc in rule_loc.items():
        if loc is not None:
            assert sql_loc[cid] == loc, cid
    return len(rule) - len(set(rule.values()))


def test_sql_dedup_equals_the_rule_on_the_fixture(tmp_path):
    from test_dedup_fixture import fixture_documents

    docs, _ = fixture_documents()
    with open_store(tmp_path / "f.duckdb") as store:
        store.write_batch(docs)
        assert _check_same(store.con) > 10  # the fixture merges
        assert _check_same(store.con, in_transaction=True) > 10


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6))
def test_sql_dedup_equals_the_rule_on_random_sets(tmp_path_factory, seed):
    docs = random_stories(seed)
    with open_store(tmp_path_factory.mktemp("r") / "r.duckdb") as store:
        store.write_batch(docs)
        _check_same(store.con)


def test_batches_give_the_rule_clusters_on_a_random_set(tmp_path):
    docs = random_stories(5, n=120)
    with open_store(tmp_path / "a.duckdb") as store:
        store.write_batch(docs)
        expected = _rule_clusters(store.con)[0]
    assert len(set(expected.values())) < len(expected)  # real merging happened
    shuffled = docs[:]
    random.Random(3).shuffle(shuffled)
    with open_store(tmp_path / "b.duckdb") as store:
        for start in range(0, len(shuffled), 7):
            store.write_batch(shuffled[start:start + 7])
        assert _sql_clusters(store.con)[0] == expected
        orphans = store.con.execute(
            "SELECT count(*) FROM events e ANTI JOIN clusters c ON c.id = e.cluster_id"
        ).fetchall()[0][0]
        assert orphans == 0


def test_cluster_party_lists_are_the_seed_parties(tmp_path):
    """actor_countries, recipient_countries, party_codes and party_sectors of every cluster
    are the sorted distinct values of its seed's parties (one, two and more of them)."""
    docs = random_stories(9, n=90)
    with open_store(tmp_path / "p.duckdb") as store:
        store.write_batch(docs)
        rows = store.con.execute(
            "SELECT event_id, role, country, code, sector FROM event_actors").fetchall()
        clusters = store.con.execute(
            "SELECT id, actor_countries, recipient_countries, party_codes, party_sectors, "
            "n_parties FROM clusters").fetchall()
    parties: dict[str, list[tuple]] = {}
    for event_id, *rest in rows:
        parties.setdefault(event_id, []).append(tuple(rest))
    seen_many = False
    for cid, actor_c, recip_c, codes, sectors, n in clusters:
        mine = parties.get(cid, [])
        assert n == len(mine)

        def distinct(values):
            return sorted({v for v in values if v is not None})
        assert actor_c == distinct(c for role, c, _, _ in mine if role == "actor")
        if any(role == "recipient" for role, *_ in mine):
            assert recip_c == distinct(c for role, c, _, _ in mine if role == "recipient")
        assert codes == distinct(code for _, _, code, _ in mine)
        assert sectors == distinct(s for *_, s in mine)
        seen_many = seen_many or len(distinct(code for _, _, code, _ in mine)) > 2
    assert seen_many  # the list path for more than two values was exercised


def test_a_large_batch_is_clustered_with_the_whole_store(tmp_path, monkeypatch):
    """Past BIG_BATCH new mentions a batch re-clusters set-based; same clusters either way."""
    from dateline.store import clustering

    docs = random_stories(21, n=60)
    with open_store(tmp_path / "s.duckdb") as store:
        store.write_batch(docs[:8])
        monkeypatch.setattr(clustering, "BIG_BATCH", 5)
        store.write_batch(docs[8:])
        assert _sql_clusters(store.con)[0] == _rule_clusters(store.con)[0]
        assert store.con.execute("SELECT count(*) FROM events e ANTI JOIN clusters c "
                                 "ON c.id = e.cluster_id").fetchall()[0][0] == 0
