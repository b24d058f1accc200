"""Click commands over a store: ``events``, ``stats``, ``export`` and ``import``.

A thin layer over :mod:`dateline.store.queries`, :mod:`dateline.exports` and
:mod:`dateline.store.imports`: anything here can be done from Python too.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from dateline.store.queries import PERIODS, EventFilter, QueryError

DEFAULT_DB = "dateline.duckdb"


def _open(db: str, read_only: bool):
    from dateline.store import StoreError, open_store
    from dateline.store.busy import store_wait

    try:
        # Wait out a batch being written by `dateline code` (h8: same policy as the writer).
        store = open_store(db, read_only=read_only, wait=store_wait())
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    if read_only:
        has = store.con.execute("SELECT count(*) FROM information_schema.tables "
                                "WHERE table_name = 'clusters'").fetchone()[0]
        if not has:
            store.close()
            raise click.ClickException(
                f"{db} predates canonical events; open it for writing once (e.g. "
                f"`dateline code` or `dateline import`) to upgrade it")
    return store


def filter_options(func: Callable) -> Callable:
    """The event filter options shared by events, stats and export."""
    options = [
        click.option("--actor", multiple=True, help="Country (ISO3) or group code of a party."),
        click.option("--sector", multiple=True, help="PLOVER sector of a party (GOV, MIL, ...)."),
        click.option("--dyad", help="Two parties, AAA-BBB (undirected unless --directed)."),
        click.option("--directed", is_flag=True, help="--dyad AAA-BBB means AAA acts on BBB."),
        click.option("--type", "types", multiple=True, help="PLOVER event type."),
        click.option("--mode", multiple=True, help="PLOVER mode."),
        click.option("--quad-class", multiple=True, type=click.IntRange(1, 4)),
        click.option("--context", multiple=True, help="PLOVER context."),
        click.option("--since", help="From this date (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option("--until", help="Through this date (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option("--place", help="Location name."),
        click.option("--country", multiple=True, help="ISO3 of the event location."),
        click.option("--include-modal", is_flag=True,
                     help="Also negated, hypothetical and future events."),
        click.option("--origin", multiple=True,
                     type=click.Choice(["dateline", "gdelt", "icews", "polecat"])),
        click.option("--mentions", is_flag=True,
                     help="One row per stored mention instead of per canonical event."),
        click.option("--text", help="Words in the evidence sentence."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filter(opts: dict[str, Any], **extra: Any) -> EventFilter:
    return EventFilter(
        actor=list(opts["actor"]) or None, sector=list(opts["sector"]) or None,
        dyad=opts["dyad"], directed=opts["directed"], type=list(opts["types"]) or None,
        mode=list(opts["mode"]) or None, quad_class=list(opts["quad_class"]) or None,
        context=list(opts["context"]) or None, since=opts["since"], until=opts["until"],
        place=opts["place"], country=list(opts["country"]) or None,
        include_modal=opts["include_modal"], origin=list(opts["origin"]) or None,
        mentions=opts["mentions"], text=opts["text"], **extra)


_TABLE_COLUMNS = (("id", 16), ("event_date", 10), ("type", 9), ("mode", 12),
                  ("actor1_code", 9), ("actor2_code", 9), ("location_name", 16),
                  ("num_mentions", 4), ("num_stories", 4), ("origin", 8), ("trigger", 24))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return " ".join(str(value).split())


def _print_table(rows: list[dict], columns: list[tuple[str, int]]) -> None:
    heads = {"num_mentions": "ment", "num_stories": "stor", "event_date": "date",
             "actor1_code": "actor", "actor2_code": "recip", "location_name": "place"}
    click.echo("  ".join(heads.get(c, c)[:w].ljust(w) for c, w in columns).rstrip())
    for row in rows:
        click.echo("  ".join(_cell(row.get(c))[:w].ljust(w) for c, w in columns).rstrip())


def _emit(rows: list[dict], fmt: str, columns: list[tuple[str, int]]) -> None:
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        if rows:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _cell(v) if isinstance(v, list) else v
                                 for k, v in row.items()})
    else:
        _print_table(rows, columns)


@click.command("events")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="The store (DuckDB file).")
@filter_options
@click.option("--limit", default=50, show_default=True, help="Rows to show (0: all).")
@click.option("--offset", default=0)
@click.option("--order-by", default="event_date", show_default=True)
@click.option("--asc", "ascending", is_flag=True, help="Oldest / smallest first.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table",
              show_default=True)
@click.option("--explain", "explain_id", metavar="ID",
              help="Show which mentions form event ID and the rule that merged each.")
def events(db: str, limit: int, offset: int, order_by: str, ascending: bool, fmt: str,
           explain_id: str | None, **opts: Any) -> None:
    """List canonical events (or mentions) matching the filters."""
    from dateline.store import queries

    with _open(db, read_only=True) as store:
        if explain_id:
            _explain(store.con, explain_id, fmt)
            return
        try:
            f = _filter(opts, limit=limit or None, offset=offset, order_by=order_by,
                        order_dir="asc" if ascending else "desc")
            rows = queries.select_events(store.con, f)
        except QueryError as exc:
            raise click.UsageError(str(exc)) from None
        columns = list(_TABLE_COLUMNS)
        if f.mentions:
            columns = [c for c in columns if not c[0].startswith("num_")]
            columns.insert(1, ("cluster_id", 16))
        _emit(rows, fmt, columns)


def _explain(con, event_id: str, fmt: str) -> None:
    from dateline.store.queries import explain_cluster

    info = explain_cluster(con, event_id)
    if info is None:
        raise click.ClickException(f"no event or mention with id {event_id}")
    if fmt != "table":
        click.echo(json.dumps(info, ensure_ascii=False, indent=None if fmt == "jsonl" else 2))
        return
    click.echo(f"event {info['cluster_id']}: {info['num_mentions']} mention(s) in "
               f"{info['num_stories']} story(ies)")
    click.echo(f"rule: {info['rule']}")
    for m in info["mentions"]:
        click.echo(f"\n- mention {m['id']} (story {m['doc_id']}: {m['title'] or ''})")
        click.echo(f"  {m['type']} {m['mode'] or ''} date={m['date']} ({m['date_precision']}) "
                   f"actors={m['actors']} recipients={m['recipients']} "
                   f"place={(m['place'] or {}).get('name')}")
        click.echo(f"  joined: {m['joined_by']}")
        for check in m["checks"]:
            mark = "ok " if check["ok"] else "NO "
            click.echo(f"    {mark}{check['field']:9} {check['why']}")


@click.command("stats")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="The store (DuckDB file).")
@filter_options
@click.option("--by", type=click.Choice(PERIODS), default="month", show_default=True)
@click.option("--top-dyads", default=0, help="Also list the N most frequent dyads.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table",
              show_default=True)
def stats(db: str, by: str, top_dyads: int, fmt: str, **opts: Any) -> None:
    """Counts, mean Goldstein, mean PLOVER score and quad-class shares per period."""
    from dateline.store import queries

    with _open(db, read_only=True) as store:
        try:
            f = _filter(opts, limit=None)
            rows = queries.aggregate(store.con, f, by=by)
            dyads = queries.top_dyads(store.con, f, n=top_dyads) if top_dyads else []
        except QueryError as exc:
            raise click.UsageError(str(exc)) from None
    cols = [("period", 10), ("n", 7), ("goldstein_mean", 8), ("plover_mean", 8),
            ("q1", 6), ("q2", 6), ("q3", 6), ("q4", 6)]
    _emit(rows, fmt, cols)
    if dyads:
        if fmt == "table":
            click.echo("")
        _emit(dyads, fmt, [("dyad", 9), ("n", 7), ("goldstein_mean", 8), ("plover_mean", 8)])


@click.command("export")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="The store (DuckDB file).")
@click.option("--format", "fmt", required=True,
              type=click.Choice(["gdelt", "plover", "parquet", "csv", "gold"]))
@click.option("--out", required=True, help="Output file (a directory for parquet).")
@filter_options
def export(db: str, fmt: str, out: str, **opts: Any) -> None:
    """Write events as GDELT 2.0 TSV, PLOVER JSONL, Parquet (by month) or CSV."""
    with _open(db, read_only=True) as store:
        if fmt == "gold":
            from dateline.web.gold import write_gold

            n = write_gold(store.con, out)
            click.echo(f"wrote {n} gold stories to {out}", err=True)
            return
        from dateline.exports import export as run_export

        try:
            n = run_export(store.con, fmt, out, _filter(opts, limit=None))
        except QueryError as exc:
            raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {n} events to {out} ({fmt})", err=True)


@click.command("import")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="The store (DuckDB file).")
@click.option("--format", "fmt", required=True, type=click.Choice(["gdelt", "icews", "polecat"]))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def import_cmd(db: str, fmt: str, paths: tuple[str, ...]) -> None:
    """Load GDELT 2.0, ICEWS or POLECAT event files under their own origin."""
    from dateline.store.imports import import_files

    with _open(db, read_only=False) as store:
        reports = import_files(store.con, fmt, list(paths))
    failed = False
    for report in reports:
        click.echo(report.summary(), err=True)
        for line, why in report.errors:
            click.echo(f"  line {line}: {why}", err=True)
        if report.skipped > len(report.errors):
            click.echo(f"  ... {report.skipped - len(report.errors)} more", err=True)
        failed |= report.failed is not None
    if failed:
        sys.exit(1)
