"""Vectorised building blocks: group ids, segmented cumulative sums, exact rounding of p/q multiples."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from policylang.rounding import round_fen

_LIMIT = 1 << 62


def group_ids(*keys: np.ndarray) -> np.ndarray:
    """One dense int64 id per distinct tuple of keys (each an int64 array of the same length)."""
    if not keys:
        raise ValueError("group_ids needs at least one key")
    acc = np.zeros(len(keys[0]), dtype=np.int64)
    card = 1
    for key in keys:
        codes, uniques = pd.factorize(key)
        k = max(len(uniques), 1)
        if card * k >= _LIMIT:
            acc = pd.factorize(acc)[0].astype(np.int64)
            card = int(acc.max()) + 1 if len(acc) else 1
        acc = acc * k + codes
        card *= k
    return pd.factorize(acc)[0].astype(np.int64)


def seg_cumsum(x: np.ndarray, gid: np.ndarray) -> np.ndarray:
    """Inclusive cumulative sum of x within each group, in position order (positions are time order)."""
    if len(x) == 0:
        return x.copy()
    order = np.argsort(gid, kind="stable")
    xs, gs = x[order], gid[order]
    cs = np.cumsum(xs)
    start = np.empty(len(gs), dtype=bool)
    start[0] = True
    np.not_equal(gs[1:], gs[:-1], out=start[1:])
    offset = (cs - xs)[start]
    cs -= offset[np.cumsum(start) - 1]
    out = np.empty_like(cs)
    out[order] = cs
    return out


def varies(values: np.ndarray, gid: np.ndarray) -> np.ndarray:
    """Group ids whose values are not all equal."""
    if len(values) == 0:
        return np.empty(0, dtype=np.int64)
    order = np.argsort(gid, kind="stable")
    vs, gs = values[order], gid[order]
    start = np.empty(len(gs), dtype=bool)
    start[0] = True
    np.not_equal(gs[1:], gs[:-1], out=start[1:])
    first = vs[start][np.cumsum(start) - 1]
    return np.unique(gs[vs != first])


def fits(x: np.ndarray, factor: int) -> bool:
    """Whether |x|·factor stays clear of int64 overflow."""
    if len(x) == 0:
        return True
    return int(np.abs(x).max()) * abs(int(factor)) < _LIMIT


def round_div(n: np.ndarray, d: int, mode: str) -> np.ndarray:
    """round(n / d) to an integer by the named rule of policylang.rounding (d > 0), elementwise and exact."""
    if d == 1:
        return n.copy()
    neg = n < 0
    q, r = np.divmod(np.abs(n), d)
    if mode == "四舍五入":
        up = (2 * r >= d) & (r != 0)
    elif mode == "截尾":
        up = np.zeros(len(n), dtype=bool)
    elif mode == "进位":
        up = r != 0
    else:
        raise ValueError(f"unknown rounding mode {mode!r}")
    out = q + up
    return np.where(neg, -out, out)


def mul_round(x: np.ndarray, num: int, den: int, mode: str) -> np.ndarray:
    """round(x · num/den) exactly; falls back to Python integers when int64 could overflow."""
    if fits(x, 2 * num) and 2 * den < _LIMIT:
        return round_div(x * num, den, mode)
    big = x.astype(object) * num
    return np.array([round_fen(Fraction(int(v), den), mode) for v in big], dtype=np.int64)
