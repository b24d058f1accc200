"""A reference source tree importable beside this one, for in-process A/B benchmarks."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path


def renamed_copy(ref_src: str) -> str:
    """Copy REF_SRC/dateline to a temporary folder as package `dateline_ref`; its folder
    (put it on sys.path, then import `dateline_ref.…`)."""
    out = Path(tempfile.mkdtemp(prefix="dateline_ref_"))
    shutil.copytree(Path(ref_src) / "dateline", out / "dateline_ref",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for py in (out / "dateline_ref").rglob("*.py"):
        text = py.read_text(encoding="utf-8")
        text = re.sub(r"\bfrom dateline(\.| import)", r"from dateline_ref\1", text)
        text = re.sub(r"\bimport dateline\.", "import dateline_ref.", text)
        text = text.replace('files("dateline"', 'files("dateline_ref"')
        py.write_text(text, encoding="utf-8")
    return str(out)
