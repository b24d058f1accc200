"""From command-line inputs to coded documents: expand inputs, read them, code each item.

``iter_inputs`` and ``process_item`` are the two halves that the CLI, the library and the
Spark job share; ``code_items`` runs ``process_item`` over many items, in parallel if asked.
"""

from __future__ import annotations

import glob
import multiprocessing
import multiprocessing.pool
import os
import signal
import sys
import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from dateline.ingest import IngestOptions, read_path, read_stream, read_url
from dateline.ingest.fetch import is_url
from dateline.records import CodedDocument, Document, Rejected

if TYPE_CHECKING:  # the store (DuckDB, Arrow) is imported where it is used: workers never are
    from dateline.store import WriteResult

Item = Document | Rejected
_GLOB_CHARS = set("*?[")


class InputError(ValueError):
    """A command-line input that names nothing (no such file, a glob matching nothing)."""


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Files, URLs and ``-`` named by the inputs: directories recursively, globs expanded.

    Raises InputError for a path that does not exist or a glob that matches nothing, so
    the CLI can report a bad argument before any work is done.
    """
    out: list[str] = []
    for raw in inputs:
        if raw == "-" or is_url(raw):
            out.append(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            out.extend(_walk(path))
        elif path.exists():
            out.append(raw)
        elif _GLOB_CHARS & set(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise InputError(f"no files match {raw!r}")
            for match in matches:
                out.extend(_walk(Path(match)) if Path(match).is_dir() else [match])
        elif "://" in raw:
            raise InputError(f"only http and https URLs are read, not {raw!r}")
        else:
            raise InputError(f"no such file or directory: {raw!r}")
    return out


def _walk(root: Path) -> list[str]:
    """Every regular file under ``root``, sorted; hidden files and folders are skipped."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(str(Path(folder) / name) for name in sorted(files)
                     if not name.startswith("."))
    return found


def iter_inputs(paths: Iterable[str], options: IngestOptions | None = None, *,
                stdin: BinaryIO | None = None, exclude: Iterable[str] = ()) -> Iterator[Item]:
    """Every item of every input, in order: a Document or a Rejected, never an exception.

    Files in ``exclude`` (the run's own store and output) are not inputs, so
    `dateline code .` does not read the store it is writing.
    """
    options = options or IngestOptions()
    skip = {os.path.realpath(p) for p in exclude}
    for target in expand_inputs(paths):
        if skip and target != "-" and not is_url(target) and os.path.realpath(target) in skip:
            continue
        if target == "-":
            stream = stdin or sys.stdin.buffer
            if not hasattr(stream, "peek"):
                import io

                stream = io.BufferedReader(stream)
            yield from read_stream(stream, "<stdin>", options)
        elif is_url(target):
            yield from read_url(target, options)
        else:
            yield from read_path(target, options)


DEFAULT_STORY_TIMEOUT = 120.0  # seconds; a story that takes longer is a rejection, not a hang
_story_timeout = float(os.environ.get("DATELINE_STORY_TIMEOUT", DEFAULT_STORY_TIMEOUT))


def set_story_timeout(seconds: float) -> None:
    """Seconds one story may take to code in this process (0: no limit)."""
    global _story_timeout  # a per-process setting, like the loaded models
    _story_timeout = max(float(seconds), 0.0)


class StoryTimeout(Exception):
    """Raised inside a story that ran past the per-story time limit."""


def _on_alarm(_signum, _frame) -> None:
    raise StoryTimeout


def process_item(item: Item) -> CodedDocument:
    """Code one ingested item: language check, then the coder; failures become rejections."""
    if isinstance(item, Rejected):
        return CodedDocument.rejection(item)
    from dateline.coder import code_document
    from dateline.ingest.language import check_language

    checked = check_language(item)
    if isinstance(checked, Rejected):
        return CodedDocument.rejection(checked)
    try:
        with _time_limit(_story_timeout):
            return code_document(checked)
    except StoryTimeout:
        reason = f"timeout: coding took over {_story_timeout:g} s"
    except Exception as exc:  # noqa: BLE001 - one story the coder cannot handle is one rejection
        reason = f"coding failed: {type(exc).__name__}: {exc}"[:300]
    return CodedDocument.rejection(Rejected(origin=checked.origin or checked.id,
                                            reason=reason, language=checked.language))


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """SIGALRM-based limit; only where signals work (POSIX, main thread), else no limit."""
    usable = (seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# Reads as English by its function words, so the warm-up loads no langdetect profiles (0.6 s):
# a worker loads them on its first story that does not (none of the Guardian sample's 249).
_WARM_UP_STORY = ("The two ministers met in Mexico City on Friday to discuss security "
                  "cooperation along the border. They said that the talks, which were the "
                  "first of their kind, would be held again in the spring, and that both "
                  "sides had agreed to share more of what they know about the trade in arms.")


def _warm_worker(story_timeout: float = DEFAULT_STORY_TIMEOUT) -> None:
    """Pool initializer: load the models once per worker, coding a short story with them."""
    import gc

    from dateline.coder import settle_worker

    # Loading makes ~600k long-lived objects and no cyclic garbage (measured: a full
    # collection after it finds 0 unreachable objects), so the collector is off until the
    # worker is settled: its passes during loading and the full one after it (~0.9 CPU s
    # a worker) would only walk the models.
    gc.disable()
    try:
        from dateline import nlp

        nlp.load()
        gc.disable()  # spaCy's loader (srsly's msgpack reader) switches it back on
        set_story_timeout(story_timeout)
        process_item(Document(text=_WARM_UP_STORY, origin="<warm-up>"))
    finally:
        settle_worker(collect=False)  # the loaded models leave the collector's full passes


def _process_chunk(chunk: list[Item], lines: bool = False
                   ) -> list[tuple[CodedDocument, str | None]]:
    """Code a chunk in a worker; with ``lines``, also each result's JSONL line, so that the
    main process (which every result passes through) only writes it."""
    out = []
    for item in chunk:
        coded = process_item(item)
        out.append((coded, coded.to_line() if lines else None))
    return out


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _chunks_with_tail(items: Iterable[Item], size: int, tail: int) -> Iterator[list[Item]]:
    """Chunks of ``size``, except the last ``tail`` items, which go one a chunk: at the end
    of a run the workers share the last stories instead of one coding a whole chunk while
    the others wait. Reads ``tail`` items ahead."""
    ahead: deque = deque()
    chunk: list[Item] = []
    for item in items:
        ahead.append(item)
        if len(ahead) > tail:
            chunk.append(ahead.popleft())
            if len(chunk) >= size:
                yield chunk
                chunk = []
    if chunk:
        yield chunk
    for item in ahead:
        yield [item]


def code_items(items: Iterable[Item], workers: int = 1, chunk_size: int = 8
               ) -> Iterator[CodedDocument]:
    """``process_item`` over ``items`` in input order; ``workers`` > 1 codes in processes.

    At most ``(2 * workers + 1) * chunk_size`` stories are in flight, so memory follows the
    chunk size, not the corpus; results come back in input order, identical to one worker.
    """
    with _worker_pool(workers) as pool:
        for coded, _ in _code_items(items, pool, workers, chunk_size):
            yield coded


@contextmanager
def _worker_pool(workers: int) -> Iterator[multiprocessing.pool.Pool | None]:
    """A pool of ``workers`` coding processes (None for one worker: code in this process).

    The workers start loading their models at once (~2-4 CPU s each), so a caller opens
    the pool before its own set-up (the store) and that set-up runs meanwhile.
    """
    if workers <= 1:
        yield None
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_warm_worker, initargs=(_story_timeout,)) as pool:
        yield pool


def _code_items(items: Iterable[Item], pool: multiprocessing.pool.Pool | None,
                workers: int = 1, chunk_size: int = 8, lines: bool = False
                ) -> Iterator[tuple[CodedDocument, str | None]]:
    """:func:`code_items` in ``pool`` of ``workers`` (None: in this process), with each
    result's JSONL line when ``lines`` and a pool codes."""
    if pool is None:
        for item in items:
            yield process_item(item), None
        return
    # Stories in flight, not chunks, are bounded: the one-story chunks at the end must all
    # be queued while a worker still codes the last whole chunk, the oldest in flight.
    limit = (2 * workers + 1) * chunk_size
    pending: deque = deque()
    in_flight = 0
    for chunk in _chunks_with_tail(items, chunk_size, tail=workers * chunk_size):
        pending.append((pool.apply_async(_process_chunk, (chunk, lines)), len(chunk)))
        in_flight += len(chunk)
        while in_flight >= limit:
            result, n = pending.popleft()
            in_flight -= n
            yield from result.get()
    while pending:
        yield from pending.popleft()[0].get()


def _write_result() -> WriteResult:
    from dateline.store import WriteResult

    return WriteResult()


@dataclass
class RunSummary:
    """What one coding run did, for the end-of-run report."""

    documents: int = 0  # stories coded (new or, with --out, recoded)
    events: int = 0
    rejected: Counter = field(default_factory=Counter)  # reason kind -> count
    stored: WriteResult = field(default_factory=_write_result)
    skipped_known: int = 0  # stories not recoded because the store has them

    def describe(self) -> str:
        """A few human lines: counts, rejection reasons, what the store gained."""
        lines = [f"coded {self.documents} stories, {self.events} events"
                 + (f"; {self.skipped_known} already in the store, skipped"
                    if self.skipped_known else "")]
        if self.rejected:
            reasons = ", ".join(f"{n} {why}" for why, n in self.rejected.most_common())
            lines.append(f"rejected {sum(self.rejected.values())}: {reasons}")
        s = self.stored
        if s.documents or s.rejections or s.skipped:
            lines.append(f"store: +{s.documents} stories, +{s.events} events, "
                         f"+{s.rejections} rejections ({s.skipped} already stored)")
        return "\n".join(lines)


def _reason_kind(reason: str) -> str:
    return reason.split(":", 1)[0].strip() or reason


def run_coding(inputs: Iterable[str], options: IngestOptions | None = None, *,
               db: str | None = "dateline.duckdb", out: str | None = None, workers: int = 1,
               batch_size: int = 64, progress: bool = False,
               stdin: BinaryIO | None = None, store_wait: float | None = None) -> RunSummary:
    """What `dateline code` does: read, code and store every input, one batch at a time.

    Only this (main) process writes the store. Without ``out``, stories already stored are
    not coded again, so an interrupted run resumes where it stopped.
    """
    own = [p for p in (db, f"{db}.wal" if db else None, out) if p and p != "-"]
    return run_items(iter_inputs(inputs, options, stdin=stdin, exclude=own), db=db, out=out,
                     workers=workers, batch_size=batch_size, progress=progress,
                     store_wait=store_wait)


def run_items(items: Iterable[Item], *, db: str | None = "dateline.duckdb",
              out: str | None = None, workers: int = 1, batch_size: int = 64,
              progress: bool = False, store_wait: float | None = None) -> RunSummary:
    """Code ingested items and store them in batches (see :func:`run_coding`)."""
    with _worker_pool(workers) as pool:  # the workers load while the store opens
        return _run(items, pool, workers, db=db, out=out, batch_size=batch_size,
                    progress=progress, store_wait=store_wait)


def _run(items: Iterable[Item], pool: multiprocessing.pool.Pool | None, workers: int, *,
         db: str | None, out: str | None, batch_size: int, progress: bool,
         store_wait: float | None) -> RunSummary:
    summary = RunSummary()
    store = _StoreSessions(db, store_wait) if db else None
    sink = None
    try:
        if out == "-":
            sink = sys.stdout
        elif out:
            sink = open(out, "w", encoding="utf-8")  # noqa: SIM115 - closed in finally
        if store is not None and sink is None:
            items = _skip_known(items, store, batch_size, summary)
        coded_stream = _code_items(items, pool, workers, lines=sink is not None)
        if progress:
            from tqdm import tqdm

            coded_stream = tqdm(coded_stream, unit="doc", file=sys.stderr, dynamic_ncols=True)
        batch: list[CodedDocument] = []
        for coded, line in coded_stream:
            if coded.doc is None:
                summary.rejected[_reason_kind((coded.rejected or {}).get("reason", "?"))] += 1
            else:
                summary.documents += 1
                summary.events += len(coded.events)
            if sink is not None:
                sink.write((line or coded.to_line()) + "\n")
            if store is not None:
                batch.append(coded)
                if len(batch) >= batch_size:
                    summary.stored += store.write_batch(batch)
                    batch = []
        if store is not None and batch:
            # the run's clustering in the same session: one open and checkpoint fewer, at
            # the end of the run, when the workers are idle
            summary.stored += store.write_batch(batch, final=True)
        if store is not None:
            store.finish()
    finally:
        if sink is not None and sink is not sys.stdout:
            sink.close()
        elif sink is not None:
            sink.flush()
    return summary


_answer_pandas_probe = False


def skip_pandas_import() -> None:
    """For a process that never hands pyarrow pandas objects (`dateline code`): pyarrow asks
    whether pandas is installed the first time it converts Python values, by importing it
    (~0.5-0.8 CPU s in the writing process, every run); the store then tells it "no".

    pyarrow still imports pandas where it needs it (``to_pandas``, ``from_pandas``) and
    uses it normally from then on; only its guess whether a value is a pandas object is off.
    """
    global _answer_pandas_probe  # a per-process setting, like the story timeout
    _answer_pandas_probe = True


class _NoPandas:
    """An import finder that refuses pandas (installed for one pyarrow call)."""

    def find_spec(self, name: str, path=None, target=None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("pandas is not imported by this process's writer")


def _probe_pandas_without_importing() -> None:
    import pyarrow as pa

    if "pandas" in sys.modules:
        return  # pyarrow finds it loaded: nothing to save
    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        pa.array([], type=pa.string())  # pyarrow's one probe for pandas happens here
    finally:
        sys.meta_path.remove(finder)


# Mentions stored with their cross-story clustering deferred before it runs: clustering
# many at once costs far less per mention than batch by batch, and gives the same events.
# Part of each clustering scans the store, so in a large store the backlog may reach a
# share of it (CLUSTER_SHARE) and the cost per story stays flat as the store grows.
CLUSTER_BACKLOG = 5_000
CLUSTER_SHARE = 0.05


class _StoreSessions:
    """The store, opened for each batch and closed after it, so that readers (the dashboard,
    `dateline events`) get the file between batches; waits up to ``wait`` s while it is busy.

    Batches are stored with their clustering deferred (each new mention is its own event
    until then); mentions are clustered once CLUSTER_BACKLOG await it and at the end of the
    run, and, at the start, any that an interrupted run left.
    """

    def __init__(self, db: str, wait: float | None) -> None:
        from dateline.store import open_store
        from dateline.store.busy import store_wait

        if _answer_pandas_probe:
            _probe_pandas_without_importing()
        self.db = db
        self.wait = store_wait() if wait is None else wait
        with open_store(self.db, wait=self.wait) as store:  # create and migrate it first
            store.cluster_pending()
            self.stored = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
        self.backlog = 0

    def _open(self):
        from dateline.store import open_store

        store = open_store(self.db, wait=self.wait)
        # One DuckDB thread: the workers have the cores, and a writer with fewer threads
        # holds less memory at its peak (measured: 358 -> 263 MiB writing 747 stories).
        store.con.execute("SET threads = 1")
        return store

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        with self._open() as store:
            return store.known_ids(ids)

    def write_batch(self, batch: list[CodedDocument], final: bool = False) -> WriteResult:
        """Store a batch; cluster the backlog when it is large enough, or ``final``."""
        from dateline.store.allocator import trim_heap

        # What coding the batch freed goes back first: DuckDB allocates through its own
        # jemalloc, so glibc's free pages would sit under the store's peak, unused.
        trim_heap()
        with self._open() as store:
            result = store.write_batch(batch, defer_clustering=True)
            self.backlog += result.events
            self.stored += result.events
            if self.backlog and (final or self.backlog >= max(CLUSTER_BACKLOG,
                                                              CLUSTER_SHARE * self.stored)):
                store.cluster_pending()
                self.backlog = 0
        # What the batch freed goes back to the system: otherwise glibc keeps it, and a
        # long run's resident size ratchets up to its largest batch or story (DuckDB's own
        # freed pages go back when the batch's connection closes).
        trim_heap()
        return result

    def finish(self) -> None:
        """Cluster what the run left awaiting it."""
        if self.backlog:
            with self._open() as store:
                store.cluster_pending()
            self.backlog = 0


def _skip_known(items: Iterable[Item], store, batch_size: int,
                summary: RunSummary) -> Iterator[Item]:
    """Drop items whose id the store already holds, asking the store once per window."""
    for window in _chunks(items, batch_size):
        known = store.known_ids(item.id for item in window)
        for item in window:
            if item.id in known:
                summary.skipped_known += 1
            else:
                yield item
