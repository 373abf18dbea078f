"""Vectorised building blocks: group ids, segmented cumulative sums, exact rounding of p/q multiples."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from policylang.ir.rounding import round_fen

_LIMIT = 1 << 62


def group_ids(*keys: np.ndarray) -> np.ndarray:
    """One int64 id per distinct tuple of keys (int64 arrays of the same length); ids keep the keys' order."""
    if not keys:
        raise ValueError("group_ids needs at least one key")
    acc = np.zeros(len(keys[0]), dtype=np.int64)
    card = 1
    for key in keys:
        lo, hi = (int(key.min()), int(key.max())) if len(key) else (0, 0)
        if hi - lo < 1 << 31:  # a small range: the offset itself is a code, and order is kept
            codes, k = key - lo, hi - lo + 1
        else:
            codes, uniques = pd.factorize(key)
            k = max(len(uniques), 1)
        if card * k >= _LIMIT:
            acc = pd.factorize(acc)[0].astype(np.int64)
            card = int(acc.max()) + 1 if len(acc) else 1
        acc = acc * k + codes
        card *= k
    return acc


def _group_order(gid: np.ndarray) -> np.ndarray | None:
    """A stable order that makes groups contiguous; None if they already are (ids non-decreasing)."""
    if len(gid) < 2 or bool(np.all(gid[1:] >= gid[:-1])):
        return None
    return np.argsort(gid, kind="stable")


def seg_cumsum(x: np.ndarray, gid: np.ndarray) -> np.ndarray:
    """Inclusive cumulative sum of x within each group, in position order (positions are time order)."""
    if len(x) == 0:
        return x.copy()
    order = _group_order(gid)
    if order is None:
        cs = np.cumsum(x)
        start = np.empty(len(gid), dtype=bool)
        start[0] = True
        np.not_equal(gid[1:], gid[:-1], out=start[1:])
        return cs - (cs - x)[start][np.cumsum(start) - 1]
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
    order = _group_order(gid)
    vs, gs = (values, gid) if order is None else (values[order], gid[order])
    start = np.empty(len(gs), dtype=bool)
    start[0] = True
    np.not_equal(gs[1:], gs[:-1], out=start[1:])
    first = vs[start][np.cumsum(start) - 1]
    return distinct(gs[vs != first])


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a 1-D array: np.unique by one sort (NumPy 2's default np.unique hashes
    integers, ten times slower on a chunk's person codes)."""
    if len(values) == 0:
        return values.copy()
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def fits(x: np.ndarray, factor: int) -> bool:
    """Whether |x|·factor stays clear of int64 overflow."""
    if len(x) == 0:
        return True
    return int(np.abs(x).max()) * abs(int(factor)) < _LIMIT


def round_div(n: np.ndarray, d: int | np.ndarray, mode: str) -> np.ndarray:
    """round(n / d) to an integer by the named rule of policylang.ir.rounding (d > 0), elementwise and exact."""
    if isinstance(d, int) and d == 1:
        return n.copy()
    if len(n) == 0 or int(n.min()) >= 0:  # amounts are never negative: one floor division
        if mode == "四舍五入":
            return (2 * n + d) // (2 * d)
        if mode == "截尾":
            return n // d
        if mode == "进位":
            return (n + d - 1) // d
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


def mul_round(x: np.ndarray, num: int | np.ndarray, den: int | np.ndarray, mode: str) -> np.ndarray:
    """round(x · num/den) exactly, elementwise (num, den scalars or arrays); Python integers if int64 could overflow."""
    top_num = int(np.max(np.abs(num))) if len(np.atleast_1d(num)) else 0
    top_den = int(np.max(den)) if len(np.atleast_1d(den)) else 1
    if fits(x, 2 * top_num) and 2 * top_den < _LIMIT:
        return round_div(x * num, den, mode)
    nums = np.broadcast_to(np.asarray(num, dtype=object), x.shape)
    dens = np.broadcast_to(np.asarray(den, dtype=object), x.shape)
    return np.array([round_fen(Fraction(int(v) * int(a), int(b)), mode) for v, a, b in zip(x, nums, dens, strict=True)],
                    dtype=np.int64)
