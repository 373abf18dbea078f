"""Benchmarks (not part of the test suite): `make bench` or `.venv/bin/python bench/run.py`.

1,000,000 seeded claims for 100,000 persons of 随州 职工门诊; claims/second of (a) the scalar evaluator,
(b) the batch kernel, (c) a hand-written NumPy baseline, in the same run; peak memory; compile time of
every region; single-claim settle time; and the end-to-end `policylang batch` on a CSV file.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import sys
import tempfile
import time
import timeit
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from baseline_numpy import settle_suizhou  # noqa: E402

from policylang.api import check_path  # noqa: E402
from policylang.batch.columns import FactColumn  # noqa: E402
from policylang.batch.generate import generate  # noqa: E402
from policylang.batch.settle import settle_columns  # noqa: E402
from policylang.eval.settle import settle  # noqa: E402
from policylang.ir.claims import Claim, Person, facts  # noqa: E402

N_CLAIMS, N_PERSONS, SEED = 1_000_000, 100_000, 20240101


def bench_claims(policy):
    """Mostly 职工医保 普通门诊 (the rule under test), persons' facts constant."""
    cols = generate(policy, N_CLAIMS, N_PERSONS, seed=SEED, noise=0.0, start=dt.date(2024, 1, 1), days=730)
    rng = np.random.default_rng(SEED)
    for name, value, share in (("险种", "职工医保", 0.9), ("就医类型", "普通门诊", 0.85)):
        col = cols.facts[name]
        idx = col.values.index(value)
        per_person = np.where(rng.random(N_PERSONS) < share, idx, rng.integers(0, len(col.values), N_PERSONS))
        codes = per_person[cols.person] if name == "险种" else np.where(rng.random(N_CLAIMS) < share, idx,
                                                                         col.codes)
        cols.facts[name] = FactColumn(codes.astype(np.int64), col.values)  # type: ignore[index]
    for name in list(cols.facts):  # the rule reads these four; no 断缴 history, so its 要求 do not apply
        if name not in ("险种", "人员类别", "就医类型", "医院等级"):
            del cols.facts[name]  # type: ignore[attr-defined]
    col = cols.facts["人员类别"]
    retired = rng.random(N_PERSONS) < 0.3
    codes = np.where(retired, col.values.index("退休"), col.values.index("在职"))[cols.person]
    cols.facts["人员类别"] = FactColumn(codes.astype(np.int64), col.values)  # type: ignore[index]
    return cols


def bench_claim_file() -> tuple[float, float, float]:
    """Read and settle one person's JSON claim file of N_CLAIMS claims (what `settle --claims` does before
    printing), in a child process: (seconds to read, seconds to settle, the child's max RSS in MiB)."""
    import json
    import subprocess

    claims = [{"日期": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "就医类型": "普通门诊", "医院等级": "二级",
               "费用": f"{i % 5000}.{i % 100:02d}"} for i in range(N_CLAIMS)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.json"
        path.write_text(json.dumps({"参保人": {"险种": "职工医保", "人员类别": "在职"}, "就诊": claims},
                                   ensure_ascii=False, indent=1), encoding="utf-8")
        del claims
        child = ("import sys, time; from pathlib import Path; from policylang.api import check_path; "
                 "from policylang.eval.settle import settle; from policylang.inputs.claimfile import read_claims; "
                 "p = check_path(Path(sys.argv[1])).policy; t = time.perf_counter(); "
                 "cf = read_claims(Path(sys.argv[2]), p); r = time.perf_counter() - t; assert not cf.diagnostics; "
                 "t = time.perf_counter(); settle(p, cf.person, cf.claims); print(r, time.perf_counter() - t)")
        out = subprocess.run([sys.executable, "-c", child, str(ROOT / "regions" / "suizhou"), str(path)],
                             capture_output=True, text=True, check=True)
    t_read, t_settle = (float(x) for x in out.stdout.split())
    return t_read, t_settle, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    t = time.perf_counter()
    check_path(ROOT / "regions" / "suizhou")
    first = time.perf_counter() - t
    policy = check_path(ROOT / "regions" / "suizhou").policy
    assert policy is not None
    cols = bench_claims(policy)
    say(f"- 数据 (data): {N_CLAIMS:,} claims, {N_PERSONS:,} persons, seed {SEED}; the kernel settles every "
        f"scheme of regions/suizhou, the baseline only 职工 普通门诊 (compared on those claims)")

    # (c) the hand-written baseline
    f = cols.facts
    args = (cols.person, cols.date, cols.amount, f["险种"].codes == f["险种"].values.index("职工医保"),
            f["人员类别"].codes == f["人员类别"].values.index("退休"),
            f["就医类型"].codes == f["就医类型"].values.index("普通门诊"),
            np.array([("一级", "二级", "三级").index(v) for v in f["医院等级"].values])[f["医院等级"].codes])
    t_numpy = best_of(lambda: settle_suizhou(*args))
    baseline = settle_suizhou(*args)

    # (b) the batch kernel
    t_batch = best_of(lambda: settle_columns(policy, cols))
    tracemalloc.start()
    settled = settle_columns(policy, cols)
    _, peak_kernel = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rule = settled.scheme == [s.name for s in policy.schemes].index("职工医保 普通门诊统筹")
    assert np.array_equal(settled.money["统筹支付"][rule], baseline[rule]), "baseline and kernel disagree"

    # (a) the scalar evaluator on the first 10,000 persons' claims
    sub = np.nonzero(cols.person < 10_000)[0]
    order = sub[np.argsort(cols.person[sub], kind="stable")]
    cuts = np.nonzero(np.diff(cols.person[order]))[0] + 1
    groups = [cols.person_claims(g) for g in np.split(order, cuts)]
    t = time.perf_counter()
    scalar_paid = {}
    for g, (person, claims) in zip(np.split(order, cuts), groups, strict=True):
        for pos, r in zip(g, settle(policy, person, claims), strict=True):
            scalar_paid[pos] = r.fund
    t_scalar = time.perf_counter() - t
    assert all(settled.money["统筹支付"][p] == v for p, v in scalar_paid.items()), "scalar and kernel disagree"

    rate_scalar, rate_batch, rate_numpy = len(sub) / t_scalar, N_CLAIMS / t_batch, N_CLAIMS / t_numpy
    say(f"- (a) 逐笔 scalar `settle`: {rate_scalar:,.0f} claims/s ({len(sub):,} claims in {t_scalar:.2f} s)")
    say(f"- (b) 批量 batch kernel: {rate_batch:,.0f} claims/s ({N_CLAIMS:,} claims in {t_batch:.3f} s, best of 3)")
    say(f"- (c) 手写 NumPy baseline: {rate_numpy:,.0f} claims/s ({N_CLAIMS:,} claims in {t_numpy:.3f} s, best of 3)")
    say(f"- batch / NumPy = {rate_batch / rate_numpy:.2f} (target ≥ 0.5); batch / scalar = "
        f"{rate_batch / rate_scalar:.0f}× (target ≥ 50×)")
    say(f"- 峰值内存 (peak memory): kernel allocations {peak_kernel / 2**20:.0f} MiB (tracemalloc); "
        f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")

    # compile times (the LALR parser is built once per process: reported separately)
    say(f"- 首次编译（含构建 LALR 解析器） first compile incl. parser construction: {first * 1000:.0f} ms")
    regions = sorted(p for p in [*(ROOT / "regions").iterdir(), *(ROOT / "tests" / "vocabulary").iterdir()]
                     if p.is_dir() and any(p.glob("*.policy")))
    worst = max((best_of(lambda r=r: check_path(r), 5), r.name) for r in regions)
    say(f"- 编译每个地区脚本 compile each region (parser warm): slowest {worst[1]} {worst[0] * 1000:.1f} ms (target < 100 ms)")
    person = Person("P")
    claim = (Claim(dt.date(2024, 3, 1), 200_000, facts({"险种": "职工医保", "人员类别": "在职", "就医类型": "普通门诊",
                                                        "医院等级": "二级"})),)
    n = 20_000
    per = timeit.timeit(lambda: settle(policy, person, claim), number=n) / n
    say(f"- 单笔结算 single-claim `settle`: {per * 1e6:.1f} µs (target < 100 µs)")

    # end to end: CSV → policylang batch → CSV
    from policylang.batch.engine import Run
    from policylang.batch.tables import write_table
    with tempfile.TemporaryDirectory() as tmp:
        claims_csv = Path(tmp) / "claims.csv"
        write_table(policy, cols, claims_csv)
        size = os.path.getsize(claims_csv) / 2**20
        t = time.perf_counter()
        run = Run(policy, claims_csv, Path(tmp) / "out.csv")
        run.settle_local(lambda n: None)
        run.results_view(run.work / "out")
        run.write()
        run.close()
        t_e2e = time.perf_counter() - t
    say(f"- 端到端 end-to-end `policylang batch` CSV→CSV: {N_CLAIMS / t_e2e:,.0f} claims/s ({t_e2e:.1f} s, "
        f"{size:.0f} MiB of CSV)")
    t_read, t_settle, rss = bench_claim_file()
    say(f"- JSON 理赔文件 of {N_CLAIMS:,} claims (one person): read {t_read:.1f} s, settle {t_settle:.1f} s, "
        f"max RSS {rss:.0f} MiB (reading is linear: claims parsed in C, positions by bisection)")
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    say(f"- 机器 (machine): {machine}; {platform.platform()}; {dt.date.today()}")
    (ROOT / "bench" / "latest.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
