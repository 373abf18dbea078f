"""The two batch engines in-process, beside each other (not part of the test suite):
`.venv/bin/python bench/engines.py [ROWS]`.

For every region's `policylang sample` table: validation, then settle_columns with the closed-form kernel (its
scalar fallback included), the wave engine, and the automatic choice; CPU seconds, claims per CPU-second and the
persons left to the scalar evaluator. What a user runs end to end is in bench/endtoend.py; this is the kernel
figure to read beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policylang.api import check_path  # noqa: E402
from policylang.batch.engine import Run  # noqa: E402
from policylang.batch.rejects import as_table, validate  # noqa: E402
from policylang.batch.settle import needs_wave, settle_columns  # noqa: E402

CLI = str(Path(sys.executable).parent / "policylang")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    lines = [f"## in-process engines, {rows:,} `sample` rows per region, load average {os.getloadavg()[0]:.1f}"]
    print(lines[0], flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for region in sorted(p for p in (ROOT / "regions").iterdir() if any(p.glob("*.policy"))):
            table = Path(tmp) / f"{region.name}.parquet"
            subprocess.run([CLI, "sample", str(region), "-n", str(rows), "-o", str(table), "--quiet"], check=True,
                           capture_output=True)
            policy = check_path(region).policy
            run = Run(policy, table, Path(tmp) / "out.parquet")
            chunk = run.kept
            t = time.process_time()
            cols, _, _ = validate(policy, as_table(chunk))
            figures = [f"validate {time.process_time() - t:.2f} s"]
            settle_columns(policy, cols.take(np.arange(min(len(cols), 1000))))  # one-time costs (imports, caches)
            for engine in ("kernel", "wave", "auto"):
                cpu = float("inf")
                slow = engine == "kernel" and needs_wave(policy)  # its scalar fallback takes long: once
                for _ in range(1 if slow else 2):  # best of two: the machine is shared
                    t = time.process_time()
                    settled = settle_columns(policy, cols, engine=engine)
                    cpu = min(cpu, time.process_time() - t)
                scalar = sum(settled.scalar_persons.values())
                figures.append(f"{engine} {cpu:.2f} s ({len(cols) / cpu:,.0f} claims/CPU-s, scalar {scalar:,} persons)")
            run.close()
            chosen = "wave" if needs_wave(policy) else "kernel"
            line = f"- {region.name} (auto → {chosen}): " + "; ".join(figures)
            print(line, flush=True)
            lines.append(line)
    (ROOT / "bench" / "engines.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
