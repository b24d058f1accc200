"""Rebuild BENCHMARKS.md: the summary head followed by every area's write-up.

Usage: python benchmarks/assemble.py   (from the repository root)
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["classifier", "coder", "actors", "context", "foundation", "store", "web", "scale"]


def demote_headings(markdown: str) -> str:
    """Push every heading one level down, leaving fenced code (shell comments) alone."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        out.append("#" + line if line.startswith("#") and not fenced else line)
    return "\n".join(out)


def main() -> None:
    results = ROOT / "benchmarks" / "results"
    parts = [(results / "HEAD.md").read_text("utf-8").rstrip() + "\n"]
    names = ORDER + sorted(p.stem for p in results.glob("*.md")
                           if p.stem not in ORDER and p.stem != "HEAD")
    for name in names:
        path = results / f"{name}.md"
        if path.exists():
            body = path.read_text("utf-8").rstrip()
            body = demote_headings(body)
            parts.append(f"\n<!-- from benchmarks/results/{name}.md -->\n{body}\n")
    (ROOT / "BENCHMARKS.md").write_text("\n".join(parts), "utf-8")


if __name__ == "__main__":
    main()
