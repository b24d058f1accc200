"""`dateline check` finds what a crash or a bad writer could leave behind."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dateline.records import Actor, Claim, CodedDocument, Document, Event, Evidence, Quote, Rejected
from dateline.store import open_store
from dateline.store.integrity import check, check_store


def _coded(n: int) -> list[CodedDocument]:
    out = []
    for i in range(n):
        text = f"Officials from Mexico and the United States met on day {i} to talk about security."
        doc = Document(text=text, published="2018-03-23", source="test", origin=f"story{i}")
        event = Event(type="CONSULT", evidence=Evidence(sentence=text, start=0, end=len(text),
                                                        trigger="met", trigger_start=36,
                                                        trigger_end=39),
                      actors=[Actor(text="Mexico", country="MEX", sector="GOV"),
                              Actor(text="the United States", country="USA", sector="GOV")],
                      date="2018-03-23", date_precision="day", confidence=0.9)
        event.assign_id(doc.id)
        out.append(CodedDocument(doc=doc, events=[event],
                                 quotes=[Quote(text="security", start=70, end=78)],
                                 claims=[Claim(text="day", start=50, end=53)], origin=doc.origin))
    out.append(CodedDocument.rejection(Rejected(origin="empty.txt", reason="empty")))
    return out


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        store.write_batch(_coded(3))
    return path


def _corrupt(path, sql: str) -> None:
    with open_store(path) as store:
        store.con.execute(sql)


def test_a_freshly_written_store_is_clean(store_path):
    report = check_store(store_path)
    assert report.clean, report.render()
    assert report.counts["documents"] == 3
    assert report.counts["events"] == 3
    assert report.counts["rejections"] == 1


def test_check_command_exits_zero_on_a_clean_store(store_path):
    result = CliRunner().invoke(check, ["--db", str(store_path)])
    assert result.exit_code == 0, result.output
    assert "store is clean" in result.output


@pytest.mark.parametrize("sql, expected", [
    ("DELETE FROM events WHERE id IN (SELECT id FROM events LIMIT 1)", "n_events differs"),
    ("DELETE FROM documents WHERE id IN (SELECT doc_id FROM events LIMIT 1)",
     "events without their document"),
    ("INSERT INTO event_actors (event_id, role, position) VALUES ('nope', 'actor', 0)",
     "event_actors without their event"),
    ("INSERT INTO quotes (doc_id, position) VALUES ('nope', 0)", "quotes without"),
    ("INSERT INTO claims (doc_id, position) VALUES ('nope', 0)", "claims without"),
    ("DELETE FROM quotes WHERE doc_id IN (SELECT id FROM documents LIMIT 1)",
     "n_quotes differs"),
    ("DELETE FROM meta", "schema version is not recorded"),
])
def test_check_reports_each_kind_of_damage(store_path, sql, expected):
    _corrupt(store_path, sql)
    report = check_store(store_path)
    assert not report.clean
    assert any(expected in p for p in report.problems), report.problems
    result = CliRunner().invoke(check, ["--db", str(store_path)])
    assert result.exit_code == 1
    assert expected in result.output


def test_check_reports_duplicate_ids_when_constraints_are_gone(tmp_path):
    # A store rebuilt without its primary keys (e.g. by a careless export/import).
    path = tmp_path / "dup.duckdb"
    with open_store(path) as store:
        store.write_batch(_coded(1))
        store.con.execute("CREATE TABLE d2 AS SELECT * FROM documents UNION ALL "
                          "SELECT * FROM documents")
        store.con.execute("DROP TABLE documents")
        store.con.execute("ALTER TABLE d2 RENAME TO documents")
    report = check_store(path)
    assert any("duplicate key(s) in documents" in p for p in report.problems), report.problems


def test_check_on_a_missing_file_fails_clearly(tmp_path):
    result = CliRunner().invoke(check, ["--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no store at" in result.output


def test_check_on_a_file_that_is_not_a_store_fails_clearly(tmp_path):
    path = tmp_path / "junk.duckdb"
    path.write_bytes(b"this is not a database" * 100)
    result = CliRunner().invoke(check, ["--db", str(path)])
    assert result.exit_code == 1
    assert "PROBLEM" in result.output
    assert "Traceback" not in result.output


def test_an_empty_database_is_an_empty_store_not_a_damaged_one(tmp_path):
    import duckdb

    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    report = check_store(path)
    assert report.clean
    assert any("empty store" in n for n in report.notes)


def test_a_store_missing_some_tables_is_damaged(store_path):
    _corrupt(store_path, "DROP TABLE claims")
    report = check_store(store_path)
    assert any("missing tables: claims" in p for p in report.problems)
