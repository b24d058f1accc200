"""Imports of GDELT 2.0, ICEWS and POLECAT files: mapping, bad rows, atomic files."""

from __future__ import annotations

import zipfile

import pytest

from dateline.store import open_store
from dateline.store.imports import import_file, import_files
from dateline.store.queries import EventFilter, count_events, select_events


def gdelt_line(gid: str = "741463022", day: str = "20180322", a1: str = "USAGOV",
               a1c: str = "USA", a1t: str = "GOV", a2: str = "MEXGOV", a2c: str = "MEX",
               a2t: str = "GOV", code: str = "042", quad: str = "1", goldstein: str = "1.9",
               geo: tuple = ("4", "Mexico City, Distrito Federal, Mexico", "MX", "MX09", "",
                             "19.4342", "-99.1386", "-1658079")) -> str:
    """One GDELT 2.0 event line in the published 61-column layout (values written by us)."""
    f = [""] * 61
    f[0], f[1], f[2], f[3], f[4] = gid, day, day[:6], day[:4], "2018.2247"
    f[5], f[6], f[7], f[12] = a1, "UNITED STATES", a1c, a1t
    f[15], f[16], f[17], f[22] = a2, "MEXICO", a2c, a2t
    f[25], f[26], f[27], f[28] = "1", code, code[:3], code[:2]
    f[29], f[30], f[31], f[32], f[33], f[34] = quad, goldstein, "10", "2", "10", "-2.5"
    f[35] = f[43] = "0"
    f[51:59] = list(geo)
    f[59], f[60] = day + "150000", "https://news.example.org/us-mexico-talks"
    return "\t".join(f)


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "i.duckdb") as s:
        yield s


def test_gdelt_rows_map_to_plover_iso3_and_keep_their_counts(store, tmp_path):
    path = tmp_path / "20180322150000.export.CSV"
    path.write_text(gdelt_line() + "\n" + gdelt_line(gid="741463023", code="173", quad="4",
                                                       goldstein="-5.0", a2="MEXCRM",
                                                       a2t="CRM") + "\n")
    report = import_file(store.con, "gdelt", path)
    assert (report.loaded, report.skipped, report.failed) == (2, 0, None)
    rows = select_events(store.con, EventFilter(origin="gdelt", order_by="id", order_dir="asc"))
    consult = rows[0]
    assert (consult["type"], consult["mode"], consult["cameo"]) == ("CONSULT", "visit", "042")
    assert (consult["actor1_country"], consult["actor2_country"]) == ("USA", "MEX")
    assert consult["location_country"] == "MEX"  # FIPS MX -> ISO3
    assert consult["location_name"] == "Mexico City"
    assert (consult["num_mentions"], consult["num_sources"], consult["num_stories"]) == (10, 2, 10)
    assert rows[1]["type"] == "COERCE" and rows[1]["actor2_sector"] == "CRM"


def test_zipped_gdelt_file_is_read(store, tmp_path):
    path = tmp_path / "20180322150000.export.CSV.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("20180322150000.export.CSV", gdelt_line() + "\n")
    assert import_file(store.con, "gdelt", path).loaded == 1


def test_malformed_rows_are_reported_by_line_and_skipped_whole(store, tmp_path):
    path = tmp_path / "bad.CSV"
    path.write_text("\n".join([
        gdelt_line(),
        "only\tthree\tfields",
        gdelt_line(gid="x12"),
        gdelt_line(gid="741463030", day="20181345"),
        gdelt_line(gid="741463031", code="999"),
        gdelt_line(gid="741463032", goldstein="high"),
    ]) + "\n")
    report = import_file(store.con, "gdelt", path)
    assert report.loaded == 1 and report.skipped == 5
    lines = [line for line, _ in report.errors]
    assert lines == [2, 3, 4, 5, 6]
    assert "61" in report.errors[0][1] and "CAMEO" in report.errors[3][1]
    assert count_events(store.con, EventFilter(include_modal=True)) == 1
    assert store.con.execute("SELECT count(*) FROM event_actors").fetchone()[0] == 2


def test_reimporting_a_file_adds_nothing(store, tmp_path):
    path = tmp_path / "a.CSV"
    path.write_text(gdelt_line() + "\n")
    import_file(store.con, "gdelt", path)
    again = import_file(store.con, "gdelt", path)
    assert (again.loaded, again.duplicates) == (0, 1)
    assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    assert store.con.execute("SELECT count(*) FROM clusters").fetchone()[0] == 1


def test_a_file_that_fails_leaves_the_store_as_it_was(store, tmp_path, monkeypatch):
    good = tmp_path / "good.CSV"
    good.write_text(gdelt_line() + "\n")
    import_file(store.con, "gdelt", good)
    before = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
    broken = tmp_path / "broken.CSV"
    broken.write_text(gdelt_line(gid="1") + "\n" + gdelt_line(gid="2") + "\n")

    from dateline.store import dedup

    def explode(con, ids):
        raise RuntimeError("disk full")

    monkeypatch.setattr(dedup, "update_clusters", explode)
    report = import_file(store.con, "gdelt", broken)
    assert report.failed and report.loaded == 0
    assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == before
    assert store.con.execute("SELECT count(*) FROM event_actors WHERE event_id IN "
                             "('gdelt:1', 'gdelt:2')").fetchone()[0] == 0


def test_unreadable_file_fails_alone(store, tmp_path):
    ok = tmp_path / "ok.CSV"
    ok.write_text(gdelt_line() + "\n")
    bad = tmp_path / "bad.CSV.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    reports = import_files(store.con, "gdelt", [bad, ok])
    assert reports[0].failed and reports[1].loaded == 1


ICEWS_HEADER = ("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\t"
                "CAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\t"
                "Sentence Number\tPublisher\tCity\tDistrict\tProvince\tCountry\tLatitude\t"
                "Longitude")


def test_icews_country_names_and_sectors_are_mapped(store, tmp_path):
    path = tmp_path / "events.2018.tab"
    rows = (
        ("29114001\t2018-03-22\tKirstjen Nielsen\tExecutive,Government\tUnited States\t"
         "Make a visit\t42\t1.9\tMexico\tGovernment\tMexico\t3612\t1\tWire\tMexico City\t\t"
         "Distrito Federal\tMexico\t19.43\t-99.13"),
        ("29114002\t2018-03-20\tPolice (Mexico)\tPolice\tMexico\tArrest, detain\t173\t-5\t"
         "Criminal (Mexico)\tCriminal\tMexico\t3613\t1\tWire\tTijuana\t\tBaja California\t"
         "Mexico\t32.5\t-117.0"),
        ("29114003\t2018-03-20\tX\t\tAtlantis\tMake a visit\t42\t1.9\tMexico\t\tMexico\t1\t1\t"
         "W\t\t\t\tMexico\t\t"),
    )
    path.write_text("\n".join((ICEWS_HEADER, *rows)) + "\n")
    report = import_file(store.con, "icews", path)
    assert (report.loaded, report.skipped) == (2, 1)
    assert report.errors[0][0] == 4 and "Atlantis" in report.errors[0][1]
    rows = select_events(store.con, EventFilter(origin="icews", order_by="id", order_dir="asc"))
    assert rows[0]["cameo"] == "042" and rows[0]["type"] == "CONSULT"
    assert (rows[0]["actor1_country"], rows[0]["actor1_sector"]) == ("USA", "GOV")
    assert (rows[1]["actor1_sector"], rows[1]["actor2_sector"]) == ("COP", "CRM")
    assert rows[1]["location_country"] == "MEX"


POLECAT_COLUMNS = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code",
    "Contexts", "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector",
    "Actor Sectors", "Actor Title", "Actor Name Raw", "Wikipedia Actor ID", "Recipient Name",
    "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID", "Placename", "City",
    "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID", "Raw Placename",
    "Feature Type", "Source", "Publication Date", "Story People", "Story Organizations",
    "Story Locations", "Language", "Version")
POLECAT_HEADER = "\t".join(POLECAT_COLUMNS)


def polecat_row(eid: str, etype: str = "consult", mode: str = "meet") -> str:
    values = {"Event ID": eid, "Event Date": "2018-03-22", "Event Type": etype,
              "Event Mode": mode, "Event Intensity": "2.5", "Quad Code": "1",
              "Contexts": "security;crime", "Actor Name": "Kirstjen Nielsen",
              "Actor Country": "USA", "Primary Actor Sector": "GOV",
              "Recipient Name": "Alfonso Navarrete", "Recipient Country": "MEX",
              "Primary Recipient Sector": "GOV", "Placename": "Mexico City",
              "City": "Mexico City", "Country": "MEX", "Latitude": "19.43",
              "Longitude": "-99.13", "GeoNames ID": "3530597", "Source": "wire",
              "Publication Date": "2018-03-23", "Language": "en", "Version": "1.0"}
    return "\t".join(values.get(c, "") for c in POLECAT_HEADER.split("\t"))


def test_polecat_rows_load_and_compare_with_other_origins_in_one_query(store, tmp_path):
    pol = tmp_path / "polecat.txt"
    pol.write_text("\n".join([POLECAT_HEADER, polecat_row("p1"), polecat_row("p2", "dance")])
                   + "\n")
    gd = tmp_path / "g.CSV"
    gd.write_text(gdelt_line() + "\n")
    report = import_file(store.con, "polecat", pol)
    assert (report.loaded, report.skipped) == (1, 1)
    assert "dance" in report.errors[0][1]
    import_file(store.con, "gdelt", gd)
    rows = select_events(store.con, EventFilter(dyad="MEX-USA", since="2018-03",
                                                until="2018-03", order_by="origin",
                                                order_dir="asc"))
    assert [r["origin"] for r in rows] == ["gdelt", "polecat"]
    assert rows[1]["contexts"] == ["crime", "security"]
    assert rows[1]["geonameid"] == 3530597
