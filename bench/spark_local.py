"""Spark in local mode beside the local engine (not part of the test suite):
`.venv/bin/python bench/spark_local.py [ROWS] [MASTER]` (default 1,000,000 rows, local[2]).

On one `policylang sample regions/suizhou` table, `policylang batch` runs with `--engine local` and with
`--engine spark`, as the user runs them (subprocesses: start, compile, the JVM and the writes are in the
figures). The two OUT files must hold the same settlement to the 分: both are in input order, so the
settled columns are compared row by row (exact decimals, no float). Prints rows/s, CPU seconds and peak
memory of each.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from endtoend import LAST_CPU, cli  # noqa: E402


def _peak_children_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    master = sys.argv[2] if len(sys.argv) > 2 else "local[2]"
    if shutil.which("java") is None:
        raise SystemExit("Spark needs Java: not installed")
    suizhou = ROOT / "regions" / "suizhou"
    print(f"## {dt.date.today()}: Spark ({master}) beside the local engine, {rows:,} `sample` rows, "
          f"load average {os.getloadavg()[0]:.1f} at start", flush=True)
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        work = Path(tmp)
        src = work / "suizhou.parquet"
        cli("sample", suizhou, "-n", rows, "-o", src, "--quiet")
        figures = {}
        for engine in ("local", "spark"):
            t, _ = cli("batch", suizhou, src, "-o", work / f"{engine}.parquet", "--engine", engine,
                       "--master", master, "--quiet")
            figures[engine] = (t, LAST_CPU[0])
        local, spark = pq.read_table(work / "local.parquet"), pq.read_table(work / "spark.parquet")
        same = local.schema.names == spark.schema.names and local.num_rows == spark.num_rows and all(
            local.column(c).combine_chunks().equals(spark.column(c).combine_chunks().cast(local.schema.field(c).type))
            for c in local.schema.names)
        rejects_same = pq.read_table(work / "local.rejects.parquet").to_pylist() == \
            pq.read_table(work / "spark.rejects.parquet").to_pylist()
        for engine, (t, cpu) in figures.items():
            seen = "the command's processes" if engine == "local" else "the driver only: the JVM and its Python " \
                "workers are not reaped as children, so their CPU is not in this figure"
            print(f"- `--engine {engine}`: {t:.1f} s wall, {cpu:.1f} s CPU (user+sys, {seen}), "
                  f"{rows / t:,.0f} rows/s", flush=True)
        print(f"- spark / local = {figures['local'][0] / figures['spark'][0]:.2f}× the rows/s; peak RSS of any "
              f"run {_peak_children_mb():,.0f} MB")
        print(f"- results equal to the 分 (every OUT column, row by row): {'yes' if same else 'NO'}; "
              f"rejects equal: {'yes' if rejects_same else 'NO'}")
        if not (same and rejects_same):
            raise SystemExit(1)


if __name__ == "__main__":
    main()
