"""Deferred cross-story clustering: batches stored with their clustering put off, then
clustered together, end exactly where a full rebuild ends; meanwhile every mention is an
event of its own, and a run killed at any point leaves a store the next run completes."""

from __future__ import annotations

import itertools
import os
import random
import subprocess
import sys
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st
from test_dedup_sql_equivalence import random_event

from dateline.records import Actor, CodedDocument, Document, Event, Evidence
from dateline.store import open_store
from dateline.store.dedup import explain, rebuild_clusters
from dateline.store.integrity import check_connection

PLACES = [None, ("Tijuana", "MEX", "Baja California", 3981609),
          ("Culiacan", "MEX", "Sinaloa", None), ("Baja California", "MEX", "Baja California", None),
          ("Mexico", "MEX", None, None), ("El Paso", "USA", "Texas", 5520993),
          (None, "USA", None, None)]
PARTIES = [("MEX", "COP"), ("MEX", "GOV"), ("MEX", None), ("USA", "GOV"), ("USA", None),
           (None, "CRM"), ("GTM", "GOV"), ("MEX", "CVL"), ("MEX", "CRM"), (None, None)]
PRECISIONS = ["day"] * 6 + ["month", "month", "year", None]


def stories(seed: int, n: int) -> list[CodedDocument]:
    """n two-event stories over three months (month and year dates reach across them)."""
    rng = random.Random(seed)
    docs = []
    for d in range(n):
        text = f"Story {seed}-{d}: something happened between the parties."
        doc = Document(text=text, published=f"2018-0{rng.randrange(2, 5)}-{rng.randrange(1, 29):02d}",
                       source=f"src{d % 3}", title=f"t{d}")
        events = []
        for k in range(2):
            precision = rng.choice(PRECISIONS)
            month, day = rng.randrange(2, 5), rng.randrange(1, 29)
            date = {"day": f"2018-{month:02d}-{day:02d}", "month": f"2018-{month:02d}",
                    "year": "2018", None: None}[precision]
            events.append(random_event(rng, doc, k, date, precision,
                                       ["COERCE", "CONSULT", "ACCUSE"], [None, None, "arrest"],
                                       PARTIES, PLACES, [0, 1, 1]))
        docs.append(CodedDocument(doc=doc, events=events))
    return docs


def _state(con) -> tuple[list, list]:
    """Every mention's cluster and every cluster row, in a fixed order."""
    return (con.execute("SELECT id, cluster_id FROM events ORDER BY id").fetchall(),
            con.execute("SELECT * FROM clusters ORDER BY id").fetchall())


def _rebuilt(con) -> tuple[list, list]:
    con.execute("BEGIN TRANSACTION")
    rebuild_clusters(con)
    state = _state(con)
    con.execute("ROLLBACK")
    return state


def _orphans(con) -> int:
    return con.execute("SELECT count(*) FROM events e ANTI JOIN clusters c "
                       "ON c.id = e.cluster_id").fetchone()[0]


def test_deferred_batches_clustered_together_equal_a_rebuild():
    docs = stories(3, 90)
    with open_store(":memory:") as store:
        for start in range(0, 60, 10):
            store.write_batch(docs[start:start + 10], defer_clustering=True)
        assert store.pending_mentions() == 120
        assert store.cluster_pending() == 120
        for start in range(60, 90, 10):
            store.write_batch(docs[start:start + 10], defer_clustering=True)
        assert store.pending_mentions() == 60
        assert store.cluster_pending() == 60
        assert store.pending_mentions() == 0
        merged, rows = _state(store.con)
        assert len({c for _, c in merged}) < len(merged)  # real merging happened
        assert (merged, rows) == _rebuilt(store.con)


def test_a_pending_mention_is_an_event_of_its_own_until_clustered(tmp_path):
    docs = stories(5, 30)
    with open_store(tmp_path / "s.duckdb") as store:
        store.write_batch(docs[:20])
        store.write_batch(docs[20:], defer_clustering=True)
        con = store.con
        assert store.pending_mentions() == 20
        assert _orphans(con) == 0
        fresh = [e.id for d in docs[20:] for e in d.events]
        assert con.execute(
            "SELECT count(*) FROM clusters WHERE id IN (SELECT unnest(?)) AND num_mentions = 1",
            [fresh]).fetchone()[0] == len(fresh)
        assert explain(con, fresh[0])["pending"] is True
        store.cluster_pending()
        assert explain(con, fresh[0])["pending"] is False
        assert _state(con) == _rebuilt(con)


def test_a_year_or_month_mention_finds_stored_days_later_in_its_period(tmp_path):
    def story(text: str, date: str, precision: str) -> CodedDocument:
        doc = Document(text=text, published="2018-01-02", source=text[:5])
        event = Event(type="COERCE", evidence=Evidence(sentence=text, start=0, end=len(text),
                                                       trigger="x", trigger_start=0),
                      actors=[Actor(text="a", country="MEX", sector="COP")],
                      recipients=[Actor(text="b", country="MEX", sector="CRM")],
                      date=date, date_precision=precision)
        event.assign_id(doc.id)
        return CodedDocument(doc=doc, events=[event])

    with open_store(tmp_path / "s.duckdb") as store:
        store.write_batch([story("Police arrested gang members on 20 June.", "2018-06-20", "day"),
                           story("Police arrested traffickers on 2 March.", "2018-03-02", "day"),
                           story("An unrelated first story.", "2017-01-01", "day")])
        store.write_batch([story("This year police arrested gang members.", "2018", "year"),
                           story("In June police arrested gang members.", "2018-06", "month")])
        assert _state(store.con) == _rebuilt(store.con)
        # June joins 20 June; the year joins the closest seed it matches (2 March)
        assert store.con.execute("SELECT count(*) FROM clusters WHERE num_mentions = 2"
                                 ).fetchone()[0] == 2


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), cuts=st.lists(st.integers(1, 44), max_size=5),
       flush_after=st.sets(st.integers(0, 5)))
def test_any_batching_and_flushing_ends_where_a_rebuild_ends(seed, cuts, flush_after):
    docs = stories(seed, 45)
    random.Random(seed).shuffle(docs)
    bounds = [0, *sorted(set(cuts)), 45]
    with open_store(":memory:") as store:
        for k, (lo, hi) in enumerate(itertools.pairwise(bounds)):
            store.write_batch(docs[lo:hi], defer_clustering=k % 2 == 0)
            assert _orphans(store.con) == 0
            if k in flush_after:
                store.cluster_pending()
        store.cluster_pending()
        assert _state(store.con) == _rebuilt(store.con)


def test_writing_the_same_stories_again_adds_nothing(tmp_path):
    docs = stories(8, 20)
    with open_store(tmp_path / "s.duckdb") as store:
        store.write_batch(docs, defer_clustering=True)
        store.cluster_pending()
        before = _state(store.con)
        result = store.write_batch(docs, defer_clustering=True)
        assert result.documents == 0 and result.skipped == len(docs)
        assert store.pending_mentions() == 0
        assert _state(store.con) == before


def test_a_store_from_before_components_is_clustered_again_once(tmp_path):
    path = tmp_path / "old.duckdb"
    docs = stories(9, 40)
    with open_store(path) as store:
        store.write_batch(docs[:30])
        expected_before = _state(store.con)
        # what a store written before migration 12 looks like
        store.con.execute("DROP TABLE mention_components")
        store.con.execute("UPDATE meta SET value = replace(value, ',12', '') "
                          "WHERE key = 'migrations'")
    with open_store(path) as store:  # migrates: every mention awaits clustering again
        assert store.pending_mentions() == len(expected_before[0])
        assert _orphans(store.con) == 0
        store.write_batch(docs[30:])
        assert store.pending_mentions() == 0
        assert _state(store.con) == _rebuilt(store.con)


_KILLED_RUN = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from test_store_deferred_clustering import stories
    from dateline.store import clustering, open_store
    docs = stories(21, 60)
    where = sys.argv[2]
    with open_store(sys.argv[1]) as store:
        store.write_batch(docs[:20])
        store.write_batch(docs[20:40], defer_clustering=True)
        if where == "between":
            os.kill(os.getpid(), signal.SIGKILL)
        real = clustering._make_region
        def dying(con, *args, **kwargs):  # killed inside the clustering transaction
            n = real(con, *args, **kwargs)
            con.execute("UPDATE events SET cluster_id = NULL")
            os.kill(os.getpid(), signal.SIGKILL)
        clustering._make_region = dying
        store.write_batch(docs[40:], defer_clustering=True)
        store.cluster_pending()
""")


def _killed(tmp_path, where: str):
    path = tmp_path / f"{where}.duckdb"
    script = _KILLED_RUN.format(tests=os.path.dirname(__file__))
    proc = subprocess.run([sys.executable, "-c", script, str(path), where],
                          capture_output=True, timeout=300, check=False)
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    return path


def test_a_run_killed_between_batches_or_while_clustering_is_recovered(tmp_path):
    from dateline.pipeline import _StoreSessions

    for where, stored in (("between", 40), ("clustering", 60)):
        path = _killed(tmp_path, where)
        with open_store(path, read_only=True) as store:
            con = store.con
            report = check_connection(con)
            assert report.clean, report.render()
            n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
            assert n_events == 2 * stored  # nothing stored was lost
            assert _orphans(con) == 0  # every mention is shown in an event
            assert store.pending_mentions() == 2 * (stored - 20)
        _StoreSessions(str(path), 0)  # what the next `dateline code` does first
        with open_store(path) as store:
            assert store.pending_mentions() == 0
            assert _state(store.con) == _rebuilt(store.con)


def test_the_run_loop_clusters_its_backlog_when_due_and_at_the_end(tmp_path, monkeypatch):
    from dateline import pipeline

    monkeypatch.setattr(pipeline, "CLUSTER_BACKLOG", 25)
    path = str(tmp_path / "run.duckdb")
    sessions = pipeline._StoreSessions(path, 0)
    docs = stories(13, 48)
    seen_backlog = []
    for start in range(0, 48, 8):
        sessions.write_batch(docs[start:start + 8])
        seen_backlog.append(sessions.backlog)
    assert 0 in seen_backlog and max(seen_backlog) > 0  # clustered when due, not each batch
    sessions.finish()
    with open_store(path) as store:
        assert store.pending_mentions() == 0
        assert _state(store.con) == _rebuilt(store.con)
