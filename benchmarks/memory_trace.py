"""Where the RSS of a `dateline code` run goes: RSS and the C heap at every stage, in-process.

Codes the first N stories of the memory benchmark's set (see memory.py) with the same
pipeline the CLI runs (`pipeline.run_coding`, one worker, --batch-size 64), and records,
around every story, every store batch and the end-of-run clustering: RSS, the highest RSS
sampled inside the step (a 5 ms sampler thread), glibc's heap in use and free-but-kept
(mallinfo2), and after the run, for the clustering step, Python's own peak (tracemalloc).

    .venv/bin/python benchmarks/memory_trace.py --stories 640 --json /tmp/trace.json
"""

from __future__ import annotations

import argparse
import ctypes
import json
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import story_texts, write_texts
from throughput import DEFAULT_CORPUS, load_corpus

from dateline.store.allocator import mallctl

MIB = 2**20


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


_libc = ctypes.CDLL("libc.so.6")
_libc.mallinfo2.restype = _MallInfo2


# DuckDB's built-in jemalloc's mallctl, the store's own lookup (None where there is none).
_mallctl = mallctl()


def _je(name: str) -> int:
    value, size = ctypes.c_size_t(0), ctypes.c_size_t(8)
    epoch, esize = ctypes.c_uint64(1), ctypes.c_size_t(8)
    _mallctl(b"epoch", ctypes.byref(epoch), ctypes.byref(esize), ctypes.byref(epoch), 8)
    _mallctl(name.encode(), ctypes.byref(value), ctypes.byref(size), None, 0)
    return value.value


def heap() -> dict[str, float]:
    """Who holds the memory, in MiB: glibc's heap (in use, free but kept), DuckDB's jemalloc
    (allocated, resident), pyarrow's pool, and Python's object count (millions)."""
    import pyarrow as pa

    info = _libc.mallinfo2()
    out = {"heap_used": round((info.uordblks + info.hblkhd) / MIB, 1),
           "heap_free": round(info.fordblks / MIB, 1),
           "arrow": round(pa.total_allocated_bytes() / MIB, 1),
           "py_blocks_m": round(sys.getallocatedblocks() / 1e6, 2)}
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(("RssAnon:", "RssFile:")):
                out[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    if _mallctl is not None:
        out["je_alloc"] = round(_je("stats.allocated") / MIB, 1)
        out["je_resident"] = round(_je("stats.resident") / MIB, 1)
    return out


def rss() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Sampler:
    """Highest RSS inside each open step (steps nest), sampled every 5 ms in a thread."""

    def __init__(self) -> None:
        self.frames: list[list[float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            now = rss()
            for frame in list(self.frames):
                frame[0] = max(frame[0], now)
            time.sleep(0.005)

    def open(self) -> list[float]:
        frame = [rss()]
        self.frames.append(frame)
        return frame

    def close(self, frame: list[float]) -> float:
        self.frames = [f for f in self.frames if f is not frame]
        return max(frame[0], rss())

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--stories", type=int, default=640)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--json", type=Path, help="write every step's record here")
    ap.add_argument("--tracemalloc", action="store_true",
                    help="trace Python allocations in the end-of-run clustering")
    ap.add_argument("--growth", type=int, metavar="BATCH",
                    help="trace Python allocations from the end of this store batch to the "
                         "end of the run; print the lines whose allocations are still alive")
    ap.add_argument("--replay", type=Path,
                    help="store the coded documents of this JSONL (`dateline code --out`) "
                         "instead of coding: the store's share alone, step by step")
    ap.add_argument("--copies", type=int, default=1,
                    help="with --replay: store the documents this many times, each copy "
                         "as other stories of a later time (a store 10x larger: --copies 10)")
    args = ap.parse_args()

    from dateline import pipeline

    steps: list[dict] = []
    sampler = Sampler()

    def record(kind: str, n: int, before: float, top: float, seconds: float, **extra) -> None:
        steps.append({"step": kind, "n": n, "rss_before": round(before, 1),
                      "rss_after": round(rss(), 1), "rss_top": round(top, 1),
                      "seconds": round(seconds, 3), **heap(), **extra})

    def wrap(kind: str, fn):
        count = [0]

        def inner(*a, **kw):
            frame = sampler.open()
            before, start = frame[0], time.process_time()
            if kind == "finish" and args.tracemalloc:
                tracemalloc.start()
            try:
                return fn(*a, **kw)
            finally:
                extra = {}
                if kind == "finish" and args.tracemalloc:
                    extra["python_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / MIB, 1)
                    tracemalloc.stop()
                count[0] += 1
                record(kind, count[0], before, sampler.close(frame),
                       time.process_time() - start, **extra)
                if kind == "batch" and count[0] == args.growth:
                    tracemalloc.start(4)
        return inner

    pipeline.process_item = wrap("story", pipeline.process_item)
    pipeline._StoreSessions.write_batch = wrap("batch", pipeline._StoreSessions.write_batch)
    pipeline._StoreSessions.finish = wrap("finish", pipeline._StoreSessions.finish)
    if args.replay:
        import dateline.store as store_module
        from dateline.store import clustering, dedup

        # The steps inside a store batch and a clustering.
        for name in ("insert_keys", "_near", "_region_of", "_make_region", "_region_pairs",
                     "_assign", "_greedy", "_assignment_tables", "_write", "rebuild"):
            setattr(clustering, name, wrap(name, getattr(clustering, name)))
        # a batch's singleton events (looked up from dedup when a batch is written)
        dedup.provisional_clusters = wrap("provisional_clusters", dedup.provisional_clusters)
        store_module.open_store = wrap("open_store", store_module.open_store)
        for name in ("write_batch", "close", "cluster_pending"):
            setattr(store_module.Store, name,
                    wrap(f"Store.{name}", getattr(store_module.Store, name)))
        replay(args.replay, args.batch_size, steps, args.copies)
        sampler.stop()
        report(steps)
        if args.json:
            args.json.write_text(json.dumps(steps))
        return

    stories = load_corpus(args.corpus)
    texts = story_texts(stories, args.stories)
    with tempfile.TemporaryDirectory(prefix="dl-trace-") as tmp:
        corpus, db = Path(tmp) / "c.jsonl", Path(tmp) / "db.duckdb"
        write_texts(texts, corpus)
        start_rss = rss()
        summary = pipeline.run_coding([str(corpus)], db=str(db), batch_size=args.batch_size)
    sampler.stop()
    if args.growth and tracemalloc.is_tracing():
        snapshot = tracemalloc.take_snapshot()
        tracemalloc.stop()
        print(f"Python allocations made after batch {args.growth} and alive at the end:")
        for stat in snapshot.statistics("traceback")[:12]:
            print(f"  {stat.size / MIB:6.2f} MiB in {stat.count} blocks:")
            for line in stat.traceback.format()[-8:]:
                print("     " + line)
    with open("/proc/self/status") as fh:
        hwm = next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmHWM:"))
    print(f"stories {summary.documents}, events {summary.events}; RSS at start "
          f"{start_rss:.1f} MiB, peak (VmHWM) {hwm:.1f} MiB")
    report(steps)
    if args.json:
        args.json.write_text(json.dumps(steps))


def _as_copy(item, copy: int):
    """Copy number `copy` of a coded document as another story of another time: new
    document and event ids, and every date YEARS_APART * copy years later (so a store
    grows in time, as an archive does, instead of piling copies onto the same days)."""
    from dateline.records import content_id

    if not copy or item.doc is None:
        return item
    item.doc.id = content_id(f"{item.doc.id}#{copy}")
    if item.doc.published:
        item.doc.published = _later(item.doc.published, copy)
    for event in item.events:
        if event.date:
            event.date = _later(event.date, copy)
        event.assign_id(item.doc.id)
    return item


YEARS_APART = 3  # the coded sample spans 2017-2019


def _later(date: str, copy: int) -> str:
    return f"{int(date[:4]) + YEARS_APART * copy:04d}{date[4:]}"


def replay(path: Path, batch_size: int, steps: list[dict], copies: int = 1) -> None:
    """Store already coded documents in batches, as `dateline code` does after coding;
    `copies` times, each copy as other stories of a later time (see _as_copy)."""
    from dateline.pipeline import _StoreSessions
    from dateline.records import CodedDocument

    with tempfile.TemporaryDirectory(prefix="dl-trace-") as tmp:
        store = _StoreSessions(str(Path(tmp) / "db.duckdb"), None)
        for copy in range(copies):
            batch = []
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    batch.append(_as_copy(CodedDocument.from_json(json.loads(line)), copy))
                    if len(batch) >= batch_size:
                        store.write_batch(batch)
                        batch = []
            if batch:
                store.write_batch(batch)
        store.finish()
    with open("/proc/self/status") as fh:
        hwm = next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmHWM:"))
    print(f"replayed {path.name}; peak (VmHWM) {hwm:.1f} MiB")


def report(steps: list[dict]) -> None:
    """Which steps raised the running peak; every step but stories, one line each."""
    top = 0.0
    for s in steps:
        if s["rss_top"] > top + 1:
            print(f"  new peak {s['rss_top']:7.1f} MiB in {s['step']} {s['n']} "
                  f"(before {s['rss_before']}, after {s['rss_after']}, heap used "
                  f"{s['heap_used']}, free {s['heap_free']})")
        top = max(top, s["rss_top"])
    for s in steps:
        if s["step"] != "story":
            print(f"  {s['step']:6} {s['n']:3}: rss {s['rss_before']:6.1f} -> top "
                  f"{s['rss_top']:6.1f} -> {s['rss_after']:6.1f}; heap used "
                  f"{s['heap_used']:6.1f} free {s['heap_free']:6.1f}; {s['seconds']:.2f} CPU s"
                  + (f"; python peak {s['python_peak_mib']} MiB"
                     if "python_peak_mib" in s else ""))


if __name__ == "__main__":
    main()
