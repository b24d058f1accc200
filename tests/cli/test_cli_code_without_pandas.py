"""`dateline code` writes its store without importing pandas (pyarrow's probe for it cost the
run ~0.5-0.8 CPU s), and pyarrow still works with pandas afterwards in the same process."""

from __future__ import annotations

import subprocess
import sys

PROGRAM = r"""
import sys
from dateline.cli import main
try:
    main(["code", sys.argv[1], "--db", sys.argv[2], "--quiet"], standalone_mode=False)
finally:
    print("pandas loaded:", "pandas" in sys.modules)
import pyarrow as pa
import pandas as pd
frame = pa.table({"a": [1, 2]}).to_pandas()
print("to_pandas:", type(frame).__name__, frame["a"].sum())
print("from pandas:", pa.array(pd.Series(pd.to_datetime(["2020-01-01"]))).type)
"""


def test_code_stores_without_pandas_and_pyarrow_still_uses_it_after(tmp_path):
    empty = tmp_path / "empty.txt"  # a rejection: the store is written, no models loaded
    empty.write_bytes(b"")
    db = tmp_path / "s.duckdb"
    done = subprocess.run([sys.executable, "-c", PROGRAM, str(empty), str(db)],
                          check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pandas loaded: False" in done.stdout
    assert "to_pandas: DataFrame 3" in done.stdout
    assert "from pandas: timestamp[ns]" in done.stdout
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM rejections").fetchone()[0] == 1
