"""Exports: GDELT 2.0 lines validate against GDELT's lookup tables; round trips hold."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from dateline import ontology
from dateline.exports import export
from dateline.exports.gdelt import cameo_countries, cameo_known_groups, cameo_types, columns
from dateline.store import open_store
from dateline.store.imports import import_file
from dateline.store.queries import EventFilter, select_events

_DEDUP_TESTS = Path(__file__).resolve().parents[1] / "store" / "test_dedup_fixture.py"


def _fixture_documents():
    spec = importlib.util.spec_from_file_location("dedup_fixture_stories", _DEDUP_TESTS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.fixture_documents()[0]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("exp") / "s.duckdb"
    with open_store(path) as store:
        store.write_batch(_fixture_documents())
    return path


@pytest.fixture
def con(store_path):
    with open_store(store_path, read_only=True) as store:
        yield store.con


def test_gdelt_export_has_61_fields_whose_codes_validate(con, tmp_path):
    out = tmp_path / "events.tsv"
    n = export(con, "gdelt", out)
    lines = out.read_text("utf-8").splitlines()
    assert n == len(lines) == select_events(con, EventFilter(limit=None)).__len__() > 10
    names = columns()
    assert len(names) == 61
    fips = set(ontology.fips_to_iso3())
    event_codes = set(ontology.cameo_names())
    ids = set()
    for line in lines:
        f = dict(zip(names, line.split("\t")))
        assert len(line.split("\t")) == 61
        assert f["EventCode"] in event_codes
        assert f["EventBaseCode"] in event_codes and f["EventRootCode"] in event_codes
        assert f["EventCode"].startswith(f["EventBaseCode"])
        assert f["EventBaseCode"].startswith(f["EventRootCode"])
        assert int(f["QuadClass"]) == ontology.gdelt_quad_class(f["EventCode"])
        assert float(f["GoldsteinScale"]) == ontology.goldstein(f["EventCode"])
        for actor in ("Actor1", "Actor2"):
            if f[f"{actor}CountryCode"]:
                assert f[f"{actor}CountryCode"] in cameo_countries()
            if f[f"{actor}KnownGroupCode"]:
                assert f[f"{actor}KnownGroupCode"] in cameo_known_groups()
            for k in (1, 2, 3):
                if f[f"{actor}Type{k}Code"]:
                    assert f[f"{actor}Type{k}Code"] in cameo_types()
        if f["ActionGeo_CountryCode"]:
            assert f["ActionGeo_CountryCode"] in fips
        assert f["AvgTone"] == ""
        assert len(f["SQLDATE"]) == 8 and f["SQLDATE"].startswith(f["MonthYear"])
        assert f["GLOBALEVENTID"].isdigit()
        ids.add(f["GLOBALEVENTID"])
    assert len(ids) == len(lines)  # one stable id per canonical event


def test_gdelt_export_uses_fips_and_gdelt_actor_codes(con, tmp_path):
    out = tmp_path / "events.tsv"
    export(con, "gdelt", out, EventFilter(type="COERCE", place="Tijuana"))
    f = dict(zip(columns(), out.read_text("utf-8").splitlines()[0].split("\t")))
    assert (f["Actor1Code"], f["Actor1CountryCode"], f["Actor1Type1Code"]) == \
        ("MEXCOP", "MEX", "COP")
    assert f["ActionGeo_CountryCode"] == "MX"  # FIPS, not ISO
    assert f["ActionGeo_Fullname"] == "Tijuana, Baja California, Mexico"
    assert f["NumMentions"] == "3" and f["NumArticles"] == "3"


def _key(row: dict) -> tuple:
    return tuple(str(row[k]) for k in ("type", "cameo", "actor1_country", "actor2_country",
                                       "event_date", "location_country", "num_mentions",
                                       "num_stories"))


def test_gdelt_round_trip_gives_the_same_events(con, tmp_path):
    out = tmp_path / "events.CSV"
    export(con, "gdelt", out)
    with open_store(tmp_path / "back.duckdb") as back:
        report = import_file(back.con, "gdelt", out)
        assert report.skipped == 0
        again = select_events(back.con, EventFilter(limit=None))
    original = select_events(con, EventFilter(limit=None))
    # GDELT has no PLOVER mode: compare the PLOVER type the CAMEO code maps back to.
    assert sorted(_key(r) for r in again) == sorted(_key(r) for r in original)


def test_plover_round_trip_through_the_polecat_reader(con, tmp_path):
    out = tmp_path / "events.jsonl"
    n = export(con, "plover", out)
    first = json.loads(out.read_text("utf-8").splitlines()[0])
    assert {"Event ID", "Event Type", "Actor Country", "Recipient Country", "Num Mentions",
            "Evidence"} <= set(first)
    with open_store(tmp_path / "back.duckdb") as back:
        assert import_file(back.con, "polecat", out).loaded == n
        again = select_events(back.con, EventFilter(limit=None))
    original = select_events(con, EventFilter(limit=None))
    fields = ("type", "mode", "actor1_country", "actor1_sector", "actor2_country", "event_date",
              "date_precision", "location_name", "num_mentions", "num_sources", "sentence")
    assert sorted(tuple(str(r[k]) for k in fields) for r in again) == \
        sorted(tuple(str(r[k]) for k in fields) for r in original)


def test_parquet_is_partitioned_by_month(con, tmp_path):
    out = tmp_path / "pq"
    n = export(con, "parquet", out)
    months = sorted(p.name for p in out.iterdir())
    assert months == ["month=2018-03", "month=2018-04", "month=2018-05"]
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == n
    assert "num_mentions" in table.column_names


def test_csv_has_a_header_and_one_row_per_event(con, tmp_path):
    out = tmp_path / "events.csv"
    n = export(con, "csv", out, EventFilter(mentions=True, include_modal=True))
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n == 30
    assert {"id", "cluster_id", "sentence", "negated"} <= set(rows[0])
