"""The baseline: 随州 职工 普通门诊统筹 written by hand in NumPy (no IR), for the benchmark only.

起付线 在职 500 / 退休 400 元 per year; 比例 一级 80%, 二级 70%, 三级 60%, 退休 +5%; 封顶线 在职 1300 /
退休 1600 元 per year; 四舍五入 to the 分; in force from 2024-01-01. Person-level facts are constant within a year in the bench data.
"""

from __future__ import annotations

import numpy as np


def settle_suizhou(person: np.ndarray, date: np.ndarray, amount: np.ndarray, insured: np.ndarray,
                   retired: np.ndarray, outpatient: np.ndarray, level: np.ndarray) -> np.ndarray:
    """统筹支付 in 分 per claim (input order). insured/retired/outpatient: bool; level: 0, 1, 2."""
    n = len(amount)
    order = np.lexsort((np.arange(n), date, person))
    p, d, a = person[order], date[order], amount[order]
    ok = (insured & outpatient)[order] & (d >= np.datetime64("2024-01-01").astype(np.int64))
    ret = retired[order]
    year = d.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    key = p * 512 + year
    start = np.r_[True, key[1:] != key[:-1]]
    seg = np.cumsum(start) - 1

    def segsum(x: np.ndarray) -> np.ndarray:
        cs = np.cumsum(x)
        return cs - (cs - x)[start][seg]

    base = np.where(ok, a, 0)
    ded = np.where(ret, 40_000, 50_000)
    cum = segsum(base)
    counted = np.minimum(cum, ded) - np.minimum(cum - base, ded)
    pct = np.array([80, 70, 60])[level[order]] + np.where(ret, 5, 0)
    raw = ((base - counted) * pct * 2 + 100) // 200
    cap = np.where(ret, 160_000, 130_000)
    used = segsum(raw)
    paid = np.minimum(used, cap) - np.minimum(used - raw, cap)
    out = np.empty(n, dtype=np.int64)
    out[order] = np.where(ok, paid, 0)
    return out
