"""Queries over canonical events and mentions, and the events/stats/export/import commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_dedup_fixture import fixture_documents

from dateline.store import open_store
from dateline.store import queries as q
from dateline.store.commands import events, export, import_cmd, stats


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("q") / "s.duckdb"
    with open_store(path) as store:
        store.write_batch(fixture_documents()[0])
    return path


@pytest.fixture
def con(store_path):
    with open_store(store_path, read_only=True) as store:
        yield store.con


def _types(rows):
    return sorted(r["type"] for r in rows)


def test_undirected_dyad_matches_either_order_and_directed_only_one(con):
    both = q.select_events(con, q.EventFilter(dyad="GBR-RUS"))
    assert _types(both) == ["ACCUSE", "ACCUSE"]
    directed = q.select_events(con, q.EventFilter(dyad="RUS-GBR", directed=True))
    assert [(r["actor1_country"], r["actor2_country"]) for r in directed] == [("RUS", "GBR")]


def test_reciprocal_events_match_a_dyad_whatever_the_order(con):
    rows = q.select_events(con, q.EventFilter(dyad="USA-MEX", type="CONSULT"))
    assert len(rows) == 1 and rows[0]["num_mentions"] == 5


def test_actor_and_sector_filters(con):
    assert _types(q.select_events(con, q.EventFilter(actor="ISR"))) == ["ASSAULT"]
    police = q.select_events(con, q.EventFilter(actor="MEX", sector="COP"))
    assert _types(police) == ["COERCE", "COERCE"]
    assert q.count_events(con, q.EventFilter(sector="CVL")) == 2


def test_type_quad_context_place_country_and_dates(con):
    assert q.count_events(con, q.EventFilter(type=["PROTEST", "ASSAULT"])) == 3
    assert q.count_events(con, q.EventFilter(quad_class=4)) == \
        q.count_events(con, q.EventFilter(type=["PROTEST", "ASSAULT", "COERCE", "SANCTION"]))
    assert q.count_events(con, q.EventFilter(place="caracas")) == 2
    assert q.count_events(con, q.EventFilter(country="VEN")) == 2
    assert q.count_events(con, q.EventFilter(since="2018-05", until="2018-05")) == 3
    assert q.count_events(con, q.EventFilter(since="2018-04-09", until="2018-04-09")) == 1
    assert q.count_events(con, q.EventFilter(origin="gdelt")) == 0


def test_modal_events_are_excluded_unless_asked_for(con):
    # COERCE: two arrest events and the sanctions (E10) as fact; the two threatened
    # sanctions (N1 hypothetical, N2 future) only when modal events are asked for
    plain = q.count_events(con, q.EventFilter(type="COERCE"))
    modal = q.count_events(con, q.EventFilter(type="COERCE", include_modal=True))
    assert (plain, modal) == (3, 5)


def test_mentions_mode_lists_every_stored_mention(con):
    assert q.count_events(con, q.EventFilter(mentions=True, include_modal=True)) == 30
    rows = q.select_events(con, q.EventFilter(mentions=True, dyad="MEX-USA", type="CONSULT"))
    assert len(rows) == 5 and len({r["cluster_id"] for r in rows}) == 1


def test_untrusted_values_are_bound_not_spliced(con):
    assert q.select_events(con, q.EventFilter(place="x' OR '1'='1")) == []
    assert q.select_events(con, q.EventFilter(text="%'; DROP TABLE events; --")) == []
    with pytest.raises(q.QueryError):
        q.select_events(con, q.EventFilter(order_by="id; DROP TABLE events"))
    with pytest.raises(q.QueryError):
        q.select_events(con, q.EventFilter(since="yesterday"))
    assert q.count_events(con, q.EventFilter(mentions=True, include_modal=True)) == 30


def test_aggregate_by_month_counts_scores_and_quad_shares(con):
    rows = q.aggregate(con, q.EventFilter(), by="month")
    assert [r["period"] for r in rows] == ["2018-03", "2018-04", "2018-05"]
    assert sum(r["n"] for r in rows) == q.count_events(con, q.EventFilter())
    for r in rows:
        assert abs(r["q1"] + r["q2"] + r["q3"] + r["q4"] - 1.0) < 1e-3
    may = rows[2]  # two CONSULT (2.5) and one aerial ASSAULT
    assert may["n"] == 3 and may["q4"] == pytest.approx(1 / 3, abs=1e-3)
    weeks = q.aggregate(con, q.EventFilter(dyad="MEX-USA"), by="week")
    assert weeks[0]["period"] == "2018-W12"


def test_top_dyads_and_breakdown(con):
    dyads = q.top_dyads(con, q.EventFilter(), n=10)
    counts = {d["dyad"]: d["n"] for d in dyads}
    # MEX-USA: the meeting, the agreement to share intelligence and the signing (s05)
    assert counts["MEX-USA"] == 3 and counts["GBR-RUS"] == counts["CHN-USA"] == 2
    assert [d["n"] for d in dyads] == sorted((d["n"] for d in dyads), reverse=True)
    by_type = {r["value"]: r["n"] for r in q.breakdown(con, q.EventFilter(), "type")}
    assert by_type["COERCE"] == 3 and by_type["CONSULT"] == 3


def test_event_detail_lists_mentions_with_evidence_and_story(con):
    cid = q.select_events(con, q.EventFilter(dyad="MEX-USA", type="CONSULT"))[0]["id"]
    any_mention = q.select_events(con, q.EventFilter(mentions=True, place="Mexico"))[0]["id"]
    detail = q.event_detail(con, any_mention)  # a mention id resolves to its event
    assert detail["event"]["id"] == cid
    assert len(detail["mentions"]) == 5
    assert all(m["story_title"] and m["sentence"] and m["trigger"] for m in detail["mentions"])
    assert {a["country"] for m in detail["mentions"] for a in m["actors"]} == {"USA", "MEX"}
    assert q.event_detail(con, "no-such-id") is None


def test_explain_shows_every_merge_field_by_field(con):
    cid = q.select_events(con, q.EventFilter(dyad="MEX-USA", type="CONSULT"))[0]["id"]
    info = q.explain_cluster(con, cid)
    assert info["num_mentions"] == 5 and info["num_stories"] == 5
    joined = [m for m in info["mentions"] if m["checks"]]
    assert len(joined) == 4
    for m in joined:
        assert {c["field"] for c in m["checks"]} == {"origin", "modality", "type", "mode",
                                                    "parties", "date", "place"}
        assert all(c["ok"] for c in m["checks"])


def test_filter_from_query_parameters():
    f = q.EventFilter.from_mapping({"dyad": "MEX-USA", "type": "CONSULT,AGREE", "limit": "5",
                                    "include_modal": "1", "quad_class": "1,2", "bogus": "x"})
    assert (f.type, f.limit, f.include_modal, f.quad_class) == (["CONSULT", "AGREE"], 5, True,
                                                                [1, 2])


def test_events_command_prints_table_jsonl_and_explanations(store_path):
    runner = CliRunner()
    out = runner.invoke(events, ["--db", str(store_path), "--dyad", "MEX-USA"])
    assert out.exit_code == 0 and "CONSULT" in out.output and "AGREE" in out.output
    out = runner.invoke(events, ["--db", str(store_path), "--type", "PROTEST", "--format",
                                 "jsonl"])
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert len(rows) == 2 and {r["type"] for r in rows} == {"PROTEST"}
    cid = next(r["id"] for r in rows if r["num_mentions"] == 3)
    out = runner.invoke(events, ["--db", str(store_path), "--explain", cid])
    assert out.exit_code == 0 and "3 mention(s)" in out.output and "ok place" in out.output
    bad = runner.invoke(events, ["--db", str(store_path), "--since", "2018-13"])
    assert bad.exit_code == 2


def test_stats_export_and_import_commands(store_path, tmp_path):
    runner = CliRunner()
    out = runner.invoke(stats, ["--db", str(store_path), "--by", "month", "--format", "csv"])
    assert out.exit_code == 0 and out.output.splitlines()[0].startswith("period,")
    tsv = tmp_path / "e.CSV"
    out = runner.invoke(export, ["--db", str(store_path), "--format", "gdelt", "--out", str(tsv)])
    assert out.exit_code == 0 and tsv.read_text().count("\n") > 10
    tsv.write_text(tsv.read_text() + "broken\tline\n")
    target = tmp_path / "t.duckdb"
    out = runner.invoke(import_cmd, ["--db", str(target), "--format", "gdelt", str(tsv)])
    assert out.exit_code == 0 and "1 malformed" in out.output and "line " in out.output
