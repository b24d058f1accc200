"""`dateline check`: verify that a store is whole and consistent after a crash or a long run.

Each check is one SQL query over the store, so a check never loads a table into Python;
a full scan of every table also makes DuckDB verify the checksum of every block it reads.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import click
import duckdb

# Tables of migration 1 whose rows the checks below reason about.
CORE_TABLES = ("meta", "documents", "events", "event_actors", "quotes", "claims", "rejections")

# Events imported from other datasets (GDELT, ICEWS, POLECAT) have no dateline document.
OWN_EVENTS = "(origin IS NULL OR origin = 'dateline')"


@dataclass
class IntegrityReport:
    """What a check found: problems make the store unclean; notes are informational."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.problems

    def render(self) -> str:
        lines = [f"{name}: {n} rows" for name, n in self.counts.items()]
        lines += [f"note: {n}" for n in self.notes]
        lines += [f"PROBLEM: {p}" for p in self.problems]
        lines.append("store is clean" if self.clean else f"{len(self.problems)} problem(s) found")
        return "\n".join(lines)


def _count(con, sql: str) -> int:
    return int(con.execute(sql).fetchone()[0])


def _examples(con, sql: str, limit: int = 5) -> str:
    rows = con.execute(f"{sql} LIMIT {limit}").fetchall()
    return ", ".join(str(r[0]) if len(r) == 1 else str(tuple(r)) for r in rows)


def _check_schema(con, report: IntegrityReport) -> None:
    """Every migration this dateline knows must be recorded as applied."""
    from dateline.store.schema import MIGRATIONS, applied_migrations

    known = {n for n, _ in MIGRATIONS}
    try:
        applied = applied_migrations(con)
    except (duckdb.Error, ValueError) as exc:
        report.problems.append(f"schema version cannot be read from meta: {exc}")
        return
    if not applied:
        report.problems.append("schema version is not recorded in meta")
        return
    missing = sorted(known - applied)
    if missing:
        report.problems.append(f"migrations not applied: {missing} (open the store for "
                               "writing, e.g. `dateline code`, to migrate it)")
    newer = sorted(applied - known)
    if newer:
        report.notes.append(f"store has migrations this dateline does not know: {newer}")


def check_connection(con) -> IntegrityReport:
    """Run every check on an open DuckDB connection and return the report."""
    report = IntegrityReport()
    present = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()}
    if not present:
        # A run killed while creating the store leaves an empty file; the next run migrates it.
        report.notes.append("empty store: no tables yet (the next `dateline code` creates them)")
        return report
    missing = [t for t in CORE_TABLES if t not in present]
    if missing:
        report.problems.append(f"missing tables: {', '.join(missing)}")
        return report

    # Full scan of every table: hashing whole rows forces every column block to be read
    # (and its checksum verified) instead of answering from metadata.
    for table in sorted(present):
        try:
            report.counts[table] = _count(con, f'SELECT count(*) FROM (SELECT hash("{table}") '
                                               f'FROM "{table}")')
        except duckdb.Error as exc:  # a corrupt block surfaces here as a DuckDB error
            report.problems.append(f"table {table} cannot be read: {exc}")
    if report.problems:
        return report

    _check_schema(con, report)

    for table, key in (("documents", "id"), ("events", "id"), ("rejections", "id"),
                       ("event_actors", "event_id, role, position"),
                       ("quotes", "doc_id, position"), ("claims", "doc_id, position")):
        dupes = f"SELECT {key}, count(*) FROM {table} GROUP BY ALL HAVING count(*) > 1"
        n = _count(con, f"SELECT count(*) FROM ({dupes})")
        if n:
            report.problems.append(f"{n} duplicate key(s) in {table}: {_examples(con, dupes)}")

    orphans = {
        "events without their document": f"""
            SELECT e.id FROM events e ANTI JOIN documents d ON e.doc_id = d.id
            WHERE {OWN_EVENTS.replace('origin', 'e.origin')}""",
        "event_actors without their event": """
            SELECT a.event_id FROM event_actors a ANTI JOIN events e ON a.event_id = e.id""",
        "quotes without their document": """
            SELECT q.doc_id FROM quotes q ANTI JOIN documents d ON q.doc_id = d.id""",
        "claims without their document": """
            SELECT c.doc_id FROM claims c ANTI JOIN documents d ON c.doc_id = d.id""",
    }
    for what, sql in orphans.items():
        n = _count(con, f"SELECT count(*) FROM ({sql})")
        if n:
            report.problems.append(f"{n} {what}: {_examples(con, sql)}")

    # A half-stored story shows up as a document whose recorded counts differ from its rows.
    for column, table in (("n_events", "events"), ("n_quotes", "quotes"),
                          ("n_claims", "claims")):
        sql = f"""
            SELECT d.id, d.{column}, coalesce(x.n, 0) FROM documents d
            LEFT JOIN (SELECT doc_id, count(*) AS n FROM {table}
                       {'WHERE ' + OWN_EVENTS if table == 'events' else ''}
                       GROUP BY doc_id) x ON x.doc_id = d.id
            WHERE d.{column} IS NOT NULL AND d.{column} <> coalesce(x.n, 0)"""
        n = _count(con, f"SELECT count(*) FROM ({sql})")
        if n:
            report.problems.append(
                f"{n} document(s) whose {column} differs from their {table} rows "
                f"(id, recorded, found): {_examples(con, sql)}")
    if "mention_keys" in present:
        n_pending = _count(con, "SELECT count(*) FROM events e ANTI JOIN mention_keys k "
                                "ON k.id = e.id")
        if n_pending:
            report.notes.append(
                f"{n_pending} mention(s) not yet clustered across stories (each is its own "
                "event meanwhile; the next `dateline code` on this store clusters them)")
    if "clusters" in present:
        sql = "SELECT e.id FROM events e ANTI JOIN clusters c ON c.id = e.cluster_id"
        n = _count(con, f"SELECT count(*) FROM ({sql})")
        if n:
            report.problems.append(f"{n} event mention(s) in no event (cluster): "
                                   f"{_examples(con, sql)}")
    n_null = _count(con, "SELECT count(*) FROM documents WHERE n_events IS NULL")
    if n_null:
        report.notes.append(f"{n_null} document(s) without a recorded n_events")
    return report


def check_store(path: str | Path, wait: float = 30.0) -> IntegrityReport:
    """Open the store read-only (waiting up to `wait` s while a writer holds it), check it."""
    from dateline.store import StoreBusyError, StoreError, open_store

    path = Path(path)
    if not path.exists():
        return IntegrityReport(problems=[f"no store at {path}"])
    try:
        store = open_store(path, read_only=True, wait=wait)
    except StoreBusyError:
        raise
    except StoreError as exc:
        return IntegrityReport(problems=[f"store cannot be opened: {exc}"])
    with store:
        return check_connection(store.con)


@click.command("check")
@click.option("--db", "db", required=True, type=click.Path(dir_okay=False),
              help="The DuckDB store to check.")
@click.option("--wait", default=30.0, show_default=True, type=float,
              help="Seconds to wait while another process writes the store.")
@click.option("--quiet", is_flag=True, help="Print only problems.")
def check(db: str, wait: float, quiet: bool) -> None:
    """Check a store's integrity: exit 0 when clean, 1 with a report otherwise."""
    from dateline.store import StoreBusyError

    try:
        report = check_store(db, wait=wait)
    except StoreBusyError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    if quiet:
        for p in report.problems:
            click.echo(f"PROBLEM: {p}")
    else:
        click.echo(report.render())
    sys.exit(0 if report.clean else 1)
