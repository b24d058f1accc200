"""Memory stays bounded on enormous inputs: a 1 GB text file, a 500 MB single line, a big JSONL.

Files are generated under /tmp and deleted afterwards. The first two go through the real
CLI (`dateline code FILE --no-db --out FILE`): they must end as one rejection ("too large")
without reading the whole file. The JSONL goes through the readers only
(`pipeline.iter_inputs`, streaming line by line), since coding a gigabyte of stories is a
throughput question, not a memory one. Peak RSS is sampled from /proc (see throughput.py).

    .venv/bin/python benchmarks/big_input.py --text-gb 1 --line-mb 500 --jsonl-gb 0.25
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import DATELINE, run_measured

PARAGRAPH = ("The interior minister met the ambassador in the capital on Tuesday to discuss "
             "border security, officials said. Police arrested three men after a protest.\n\n")


def write_text(path: Path, size: int) -> None:
    block = (PARAGRAPH * (2**20 // len(PARAGRAPH) + 1)).encode()[: 2**20]
    with open(path, "wb") as fh:
        fh.writelines(block for _ in range(size // len(block)))


def write_line(path: Path, size: int) -> None:
    block = (b"word " * (1 << 18))[: 1 << 20]
    with open(path, "wb") as fh:
        fh.writelines(block for _ in range(size // len(block)))
        fh.write(b"\n")


def write_jsonl(path: Path, size: int) -> int:
    line = (json.dumps({"text": PARAGRAPH * 20, "date": "2018-03-23"}) + "\n").encode()
    n = size // len(line)
    with open(path, "wb") as fh:
        # A per-line number keeps every story distinct, as a real archive would be.
        fh.writelines(line.replace(b"Tuesday", f"Tuesday {i}".encode(), 1) for i in range(n))
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--text-gb", type=float, default=1.0)
    ap.add_argument("--line-mb", type=float, default=500.0)
    ap.add_argument("--jsonl-gb", type=float, default=0.25)
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="dl-big-", dir="/tmp") as tmp:
        tmp = Path(tmp)
        cases = []
        if args.text_gb:
            cases.append(("text file", tmp / "big.txt", write_text, int(args.text_gb * 2**30)))
        if args.line_mb:
            cases.append(("single line", tmp / "line.txt", write_line,
                          int(args.line_mb * 2**20)))
        for label, path, writer, size in cases:
            writer(path, size)
            out = tmp / "out.jsonl"
            wall, mem, rc = run_measured(DATELINE + ["code", str(path), "--no-db", "--out",
                                                     str(out), "--quiet"])
            lines = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
            reasons = [(x.get("rejected") or {}).get("reason") for x in lines]
            results.append({"case": label, "input_mib": round(path.stat().st_size / 2**20),
                            "exit": rc, "seconds": round(wall, 1), "out_lines": len(lines),
                            "reasons": reasons, **mem})
            print(json.dumps(results[-1]), flush=True)
            os.remove(path)
        if args.jsonl_gb:
            path = tmp / "big.jsonl"
            n = write_jsonl(path, int(args.jsonl_gb * 2**30))
            program = ("import sys\nfrom dateline.pipeline import iter_inputs\n"
                       "docs = rej = 0\nfor item in iter_inputs([sys.argv[1]]):\n"
                       "    docs += hasattr(item, 'text'); rej += not hasattr(item, 'text')\n"
                       "print(docs, rej)\n")
            wall, mem, rc = run_measured([sys.executable, "-c", program, str(path)])
            results.append({"case": "JSONL through the readers (streamed)",
                            "input_mib": round(path.stat().st_size / 2**20), "lines": n,
                            "exit": rc, "seconds": round(wall, 1), **mem})
            print(json.dumps(results[-1]), flush=True)
            os.remove(path)


if __name__ == "__main__":
    main()
