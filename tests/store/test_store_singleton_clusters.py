"""The event a new mention gets when it is stored (its own, until it is clustered) comes from
a statement of its own; its rows must be what the general cluster statement gives for
clusters of one mention."""

from __future__ import annotations

from dateline.records import Actor, CodedDocument, Document, Event, Evidence, Location, Modality
from dateline.store import open_store
from dateline.store.dedup import _CLUSTER_SQL


def _event(k: int, actors: list[Actor], recipients: list[Actor], **kw) -> Event:
    return Event(type=kw.pop("type", "ACCUSE"), actors=actors, recipients=recipients,
                 evidence=Evidence(sentence=f"Sentence {k}.", start=10 * k, end=10 * k + 9,
                                   trigger="accused", trigger_start=10 * k + 2,
                                   trigger_end=10 * k + 9), confidence=0.5 + k / 100, **kw)


def _stories() -> list[CodedDocument]:
    mex, usa = Actor("Mexico", country="MEX", sector="GOV"), Actor("the US", country="USA")
    fra, nobody = Actor("Paris", country="FRA", sector="MIL"), Actor("rebels", sector="REB")
    first = CodedDocument(doc=Document(text="First story.", published="2018-03-22",
                                       source="paper"), origin="a")
    first.events = [
        _event(0, [mex, usa, fra], [nobody], contexts=["crime", "border", "crime"],
               location=Location(name="Tijuana", country="MEX", lat=32.5, lon=-117.0),
               date="2018-03", date_precision="month"),
        _event(1, [], [usa, mex]),  # recipients only
        _event(2, [], [], modality=Modality(future=True)),  # no parties at all
        _event(3, [nobody, Actor("someone")], [], type="CONSULT"),  # parties without countries
    ]
    second = CodedDocument(doc=Document(text="Second story, no date, no source."), origin="b")
    second.events = [_event(4, [usa], [mex], modality=Modality(negated=True),
                            date="2017", date_precision="year")]
    return [first, second]


def test_stored_singletons_equal_the_general_statement(tmp_path):
    with open_store(tmp_path / "s.duckdb") as store:
        store.write_batch(_stories(), defer_clustering=True)
        con = store.con
        con.execute("CREATE TEMP TABLE general AS SELECT * FROM clusters LIMIT 0")
        con.execute("CREATE TEMP TABLE ids AS SELECT id, id AS loc_id FROM events")
        as_singletons = ("(SELECT * REPLACE (id AS cluster_id), NULL::INTEGER AS num_mentions, "
                         "NULL::INTEGER AS num_sources, NULL::INTEGER AS num_articles, "
                         "NULL::VARCHAR AS source_event_id FROM events)")
        con.execute(_CLUSTER_SQL.replace("INSERT INTO clusters", "INSERT INTO general").format(
            cids="ids", events=as_singletons, actors="event_actors", documents="documents"))
        stored = con.execute("SELECT * FROM clusters ORDER BY id").fetchall()
        general = con.execute("SELECT * FROM general ORDER BY id").fetchall()
    assert len(stored) == 5
    assert stored == general
    by_rep = {row[0]: row for row in stored}
    assert len(by_rep) == 5
