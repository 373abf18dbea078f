"""What the user runs, end to end (not part of the test suite): `.venv/bin/python bench/endtoend.py [ROWS]
[--compare]` (--compare: only `sample` and the hand pipeline beside `batch`, e.g. at 10,000,000 rows).

In one run, on the same files: `policylang sample` rows/s; a hand-written pipeline (read Parquet, settle
随州 职工门诊 with NumPy, write Parquet with every input column) beside `policylang batch regions/suizhou`;
`policylang batch` on `policylang sample` output of every region (claims/s end to end, and the share of
persons the scalar evaluator settled); batch beside the scalar evaluator on one realistic table (each side
its best run: the scalar evaluator of 2, batch of its 3 runs on the same 10M-row suizhou file). The
commands run as subprocesses, so process start, compiling and writing are all in the figures.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from baseline_numpy import settle_suizhou  # noqa: E402

CLI = [str(Path(sys.executable).parent / "policylang")]
SAMPLE_BIG = 10_000_000  # `sample` alone at the size: it takes seconds
SCALAR_ROWS = 20_000  # the scalar evaluator's table (it settles about 10k claims/s here)
VOCAB_ROWS = 20_000  # per vocabulary script: the scalar-fallback share, not speed
LAST_CPU = [0.0]  # CPU seconds (user + system) of the last `cli` command: the machine is shared
PYCACHE = Path(tempfile.mkdtemp(prefix="policylang-bench-pycache-"))  # see cli()


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cli(*args: object) -> tuple[float, str]:
    """Seconds and stdout of one `policylang` command, run as the user runs it."""
    # An installed tool runs from compiled bytecode (Python caches it on the first run). A sandbox that sets
    # PYTHONDONTWRITEBYTECODE would compile ~100 modules again on every command (~0.3 s): the cache goes to a
    # folder of the bench's own instead, so the first command compiles and the rest run as a user's would.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"PYTHONPATH": str(ROOT), "COLUMNS": "200", "PYTHONPYCACHEPREFIX": str(PYCACHE)}
    t, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t
    LAST_CPU[0] = _children_cpu() - cpu
    if done.returncode:
        raise SystemExit(f"policylang {' '.join(map(str, args))} failed:\n{done.stderr}")
    return elapsed, done.stdout


def fen(col: pa.ChunkedArray) -> np.ndarray:
    """decimal(·, 2) 费用 to int64 分, exactly: the unscaled integer of each decimal."""
    arr = col.combine_chunks()
    if pa.types.is_decimal(arr.type):
        scaled = pc.multiply(arr, pa.scalar(100, pa.decimal128(3, 0)))
        return pc.cast(scaled, pa.int64()).to_numpy()
    raise SystemExit(f"unexpected 费用 type {arr.type}")


def hand_pipeline(src: Path, out: Path) -> float:
    """Read, settle 随州 职工 普通门诊 with NumPy, write every input column plus the payment."""
    t, cpu = time.perf_counter(), time.process_time()
    table = pq.read_table(src)

    def text(name: str) -> pa.Array:
        return table.column(name).combine_chunks().cast(pa.string())

    person = pc.dictionary_encode(text("参保人ID")).indices.to_numpy().astype(np.int64)
    date = table.column("日期").combine_chunks().cast(pa.int32()).to_numpy().astype(np.int64)
    level = np.full(table.num_rows, 0, dtype=np.int64)
    levels = text("医院等级")
    for k, name in enumerate(("一级", "二级", "三级")):
        level[pc.equal(levels, name).to_numpy(zero_copy_only=False)] = k
    paid = settle_suizhou(person, date, fen(table.column("费用")),
                          pc.equal(text("险种"), "职工医保").to_numpy(zero_copy_only=False),
                          pc.equal(text("人员类别"), "退休").to_numpy(zero_copy_only=False),
                          pc.equal(text("就医类型"), "普通门诊").to_numpy(zero_copy_only=False), level)
    pq.write_table(table.append_column("统筹支付", pa.array(paid)), out)
    LAST_CPU[0] = time.process_time() - cpu
    return time.perf_counter() - t


def batch_stats(stdout: str) -> tuple[int, int]:
    """(persons, persons settled by the scalar evaluator) from the batch summary."""
    persons = int(re.search(r"参保人数 \(persons\)\D*([\d,]+)", stdout).group(1).replace(",", ""))  # type: ignore[union-attr]
    scalar = re.search(r"(\d+) 人使用逐笔结算", stdout)
    return persons, int(scalar.group(1)) if scalar else 0


def scalar_rate(region: Path, table: Path) -> float:
    """Claims/s of the scalar evaluator (reading excluded) on a claim table."""
    from policylang.api import check_path
    from policylang.commands.progress import progress
    from policylang.eval.settle import settle
    from policylang.inputs.claimtable import read_table

    policy = check_path(region).policy
    claims = read_table(table, policy)
    assert claims.ok, claims.diagnostics[:3]
    t = time.perf_counter()
    with progress("逐笔结算 (scalar evaluator)", claims.rows) as advance:  # drawn on a terminal only
        for pcl in claims.people:
            settle(policy, pcl.person, pcl.claims)
            advance(len(pcl.claims))
    return claims.rows / (time.perf_counter() - t)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = int(args[0]) if args else 1_000_000
    compare_only = "--compare" in sys.argv[1:]
    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    regions = sorted(p for p in (ROOT / "regions").iterdir() if p.is_dir() and any(p.rglob("*.policy")))
    suizhou = ROOT / "regions" / "suizhou"
    load = os.getloadavg()[0]
    say(f"## {dt.date.today()}: end to end, {rows:,} rows, 2 cores, load average {load:.1f} at start")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = work / "suizhou.parquet"
        t, _ = cli("sample", suizhou, "-n", rows, "-o", src, "--quiet")
        cpu = LAST_CPU[0]
        t0, _ = cli("sample", suizhou, "-n", 1000, "-o", work / "tiny.parquet", "--quiet")
        net = f"{rows / (t - t0):,.0f} rows/s without" if t > 2 * t0 else "mostly"
        say(f"- `policylang sample regions/suizhou -n {rows:,}` (Parquet): {t:.1f} s ({cpu:.1f} s CPU), "
            f"{rows / t:,.0f} rows/s end to end; {net} the {t0:.1f} s start of a 1,000-row run (imports, compile)")
        if not compare_only:
            t, _ = cli("sample", suizhou, "-n", rows, "-o", work / "suizhou.csv", "--quiet")
            say(f"- the same as CSV: {t:.1f} s, {rows / t:,.0f} rows/s end to end")
        if rows != SAMPLE_BIG:  # at the size the line above is the figure
            big = work / "big.parquet"
            t, _ = cli("sample", suizhou, "-n", SAMPLE_BIG, "-o", big, "--quiet")
            say(f"- `policylang sample regions/suizhou -n {SAMPLE_BIG:,}` (Parquet, {big.stat().st_size / 2**20:.0f} "
                f"MiB): {t:.1f} s ({LAST_CPU[0]:.1f} s CPU) end to end, {SAMPLE_BIG / t:,.0f} rows/s (target: under 10 s)")
            big.unlink()

        # alternated and best of two: the machine is shared, and a neighbour's burst should hit both or neither
        t_hand, t_batch, cpu_hand, cpu_batch = float("inf"), float("inf"), float("inf"), float("inf")
        for _ in range(2):
            t_hand = min(t_hand, hand_pipeline(src, work / "hand.parquet"))
            cpu_hand = min(cpu_hand, LAST_CPU[0])
            t_batch = min(t_batch, cli("batch", suizhou, src, "-o", work / "batch.parquet", "--quiet")[0])
            cpu_batch = min(cpu_batch, LAST_CPU[0])
        say(f"- hand-written pipeline (read Parquet, NumPy 随州 职工门诊, write Parquet with every input column): "
            f"{t_hand:.1f} s wall, {cpu_hand:.1f} s CPU; `policylang batch regions/suizhou` on the same {rows:,}-row "
            f"file: {t_batch:.1f} s wall, {cpu_batch:.1f} s CPU (best of 2 each) → {t_hand / t_batch:.2f}× the hand "
            f"pipeline by wall time, {cpu_hand / cpu_batch:.2f}× by CPU time (target ≥ 0.5×)")
        if compare_only:
            return

        say(f"- `policylang batch` on `policylang sample` output, {rows:,} rows per region:")
        for region in regions:
            table = work / f"{region.name}.parquet"
            if not table.exists():
                cli("sample", region, "-n", rows, "-o", table, "--quiet")
            t, out = cli("batch", region, table, "-o", work / f"{region.name}.out.parquet", "--quiet")
            if table == src:  # the same command on the same file as above: a third run of it
                t_batch = min(t_batch, t)
            persons, scalar = batch_stats(out)
            say(f"  - {region.name}: {t:.1f} s ({LAST_CPU[0]:.1f} s CPU), {rows / t:,.0f} claims/s end to end; "
                f"scalar fallback {scalar:,}/{persons:,} persons ({100 * scalar / max(persons, 1):.1f}%)")
            table.unlink()

        say(f"- scalar fallback on `policylang sample` output of every vocabulary script, {VOCAB_ROWS:,} rows each "
            "(target 0):")
        for script in sorted(p for p in (ROOT / "tests" / "vocabulary").iterdir() if any(p.glob("*.policy"))):
            table = work / f"vocab-{script.name}.parquet"
            try:
                cli("sample", script, "-n", VOCAB_ROWS, "-o", table, "--quiet")
                t, out = cli("batch", script, table, "-o", work / f"vocab-{script.name}.out.parquet", "--quiet")
            except SystemExit as e:
                say(f"  - {script.name}: not run ({str(e).splitlines()[-1][:120]})")
                continue
            persons, scalar = batch_stats(out)
            say(f"  - {script.name}: {scalar:,}/{persons:,} persons ({100 * scalar / max(persons, 1):.1f}%), "
                f"{t:.1f} s")

        small = work / "small.parquet"
        cli("sample", suizhou, "-n", SCALAR_ROWS, "-o", small, "--quiet", "--seed", "1")
        rate = max(scalar_rate(suizhou, small) for _ in range(2))  # best of 2, as batch is best of its runs
        t, _ = cli("batch", suizhou, small, "-o", work / "small.out.parquet", "--quiet")
        say(f"- batch vs scalar on one `sample` table of {SCALAR_ROWS:,} rows (suizhou): scalar evaluator "
            f"{rate:,.0f} claims/s (settling only); batch end to end {SCALAR_ROWS / t:,.0f} claims/s "
            f"({t:.1f} s, mostly start-up at this size); at {rows:,} rows batch ran "
            f"{rows / t_batch:,.0f} claims/s (best of its 3 runs on the suizhou file above) = "
            f"{rows / t_batch / rate:.0f}× the scalar rate (target ≥ 50×)")
    (ROOT / "bench" / "endtoend.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
