"""The `dateline` command line: a thin layer over the library (see CONTRACT.md)."""

from __future__ import annotations

import datetime as dt
import importlib
import sys

import click

from dateline.ingest.options import DEFAULT_MAX_BYTES

# Commands other areas implement, imported only when used so that `dateline --help` stays
# fast and one broken module cannot break `dateline code`: name -> (module:attr, help).
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "events": ("dateline.store.commands:events", "List coded events with filters."),
    "stats": ("dateline.store.commands:stats", "Counts and scores over time for a dyad."),
    "export": ("dateline.store.commands:export", "Export events (GDELT, PLOVER, Parquet, CSV)."),
    "import": ("dateline.store.commands:import_cmd", "Import GDELT/ICEWS/POLECAT events."),
    "check": ("dateline.store.integrity:check", "Check a store is whole and consistent."),
    "serve": ("dateline.web.commands:serve", "Serve the dashboard over a store."),
    "evaluate": ("dateline.evaluate.commands:evaluate", "Score the coder on a gold set."),
    "train": ("dateline.evaluate.commands:train", "Retrain the shipped event classifier."),
    "spark": ("dateline.distributed.commands:spark", "Code a corpus with Spark to Parquet."),
    "spark-load": ("dateline.distributed.commands:spark_load",
                   "Load Spark Parquet output into a store."),
}


class LazyGroup(click.Group):
    """A click group whose listed commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in LAZY_COMMANDS:
            return command
        target, help_text = LAZY_COMMANDS[cmd_name]
        module_name, attr = target.split(":")
        try:
            command = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            return _unavailable(cmd_name, help_text, f"{type(exc).__name__}: {exc}")
        command.name = cmd_name
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in LAZY_COMMANDS:
                rows.append((name, LAZY_COMMANDS[name][1]))
            else:
                rows.append((name, self.commands[name].get_short_help_str(limit=60)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _unavailable(name: str, help_text: str, why: str) -> click.Command:
    def run(**_kwargs) -> None:
        raise click.ClickException(f"`dateline {name}` is not available in this install ({why})")

    return click.Command(name, callback=run, help=help_text, context_settings={
        "ignore_unknown_options": True, "allow_extra_args": True})


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dateline")
def main() -> None:
    """dateline: news stories in, structured and explained political event data out."""


def _valid_date(_ctx, _param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


@main.command("code")
@click.argument("inputs", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.option("--out", "out", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write one coded document per line (JSONL) to FILE, or - for stdout.")
@click.option("--db", default="dateline.duckdb", show_default=True,
              type=click.Path(dir_okay=False), help="DuckDB store to write into.")
@click.option("--no-db", is_flag=True, help="Do not write a store (only --out).")
@click.option("--date", callback=_valid_date, metavar="YYYY-MM-DD",
              help="Story date for sources that give none.")
@click.option("--source", metavar="NAME", help="Source name for sources that give none.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Coding processes (output is identical to one worker).")
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True,
              type=click.IntRange(1), help="Reject any single story larger than this.")
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1),
              help="Stories per store transaction.")
@click.option("--fetch/--no-fetch", default=None,
              help="Fetch each feed item's page (default: only for feeds read from a URL).")
@click.option("--story-timeout", default=120.0, show_default=True, type=click.FloatRange(0),
              help="Seconds one story may take before it is rejected (0: no limit).")
@click.option("--store-wait", default=30.0, show_default=True, type=click.FloatRange(0),
              help="Seconds to wait for a store another process has open.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
def code_cmd(inputs: tuple[str, ...], out: str | None, db: str, no_db: bool, date: str | None,
             source: str | None, workers: int, max_bytes: int, batch_size: int,
             fetch: bool | None, story_timeout: float, store_wait: float, quiet: bool) -> None:
    """Code stories: files, folders, globs, - (stdin), URLs, RSS/Atom feeds, WARC files.

    Each input item yields one line in --out and rows in the store, or a rejection with
    its reason. Stories already in the store are skipped unless --out asks for every line.
    The store is opened for each batch only, so the dashboard can read it during a run.
    """
    from dateline.ingest import IngestOptions
    from dateline.pipeline import InputError, expand_inputs

    if no_db and not out:
        raise click.UsageError("--no-db needs --out, or nothing would be kept")
    try:
        expand_inputs(inputs)  # a bad path is a usage error before any work starts
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="PATH_OR_URL") from None
    options = IngestOptions(max_bytes=max_bytes, date=date, source=source, fetch=fetch)
    from dateline.pipeline import run_coding, set_story_timeout, skip_pandas_import

    set_story_timeout(story_timeout)
    skip_pandas_import()  # this process gives pyarrow no pandas objects
    try:
        summary = run_coding(inputs, options, db=None if no_db else db, out=out,
                             workers=workers, batch_size=batch_size,
                             progress=not quiet and sys.stderr.isatty(), store_wait=store_wait)
    except BrokenPipeError:
        sys.stderr.close()  # e.g. `--out - | head`: the reader left, nothing more to say
        sys.exit(0)
    except Exception as exc:
        # The store (DuckDB, Arrow: ~0.3 s to import) is imported only once the workers
        # have started loading, so its error class is looked up here.
        from dateline.store import StoreError

        if isinstance(exc, StoreError):
            raise click.ClickException(str(exc)) from None
        raise
    if not quiet:
        click.echo(summary.describe(), err=True)


@main.command("demo")
@click.option("--db", default="dateline.duckdb", show_default=True,
              type=click.Path(dir_okay=False), help="DuckDB store to code the demo into.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 256))
def demo_cmd(db: str, workers: int) -> None:
    """Code the bundled sample stories into a store and print what came out."""
    from dateline.demo import demo_summary, run_demo
    from dateline.store import StoreError

    try:
        run = run_demo(db, workers=workers, progress=sys.stderr.isatty())
        click.echo(demo_summary(db, run))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


if __name__ == "__main__":  # pragma: no cover
    main()
