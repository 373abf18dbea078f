"""Rounding to the 分: a named rule, applied once where the script says, never hidden in a money type."""

from __future__ import annotations

from fractions import Fraction

# 四舍五入: half away from zero (amounts are never negative here); 截尾: toward zero; 进位: away from zero.
MODES = ("四舍五入", "截尾", "进位")
DEFAULT = "四舍五入"


def round_fen(x: Fraction | int, mode: str = DEFAULT) -> int:
    """Round an exact amount of 分 to a whole 分 by the named rule."""
    if isinstance(x, int):
        return x
    n, d = x.numerator, x.denominator
    sign = -1 if n < 0 else 1
    q, r = divmod(abs(n), d)
    if r == 0:
        return sign * q
    if mode == "四舍五入":
        up = 2 * r >= d
    elif mode == "截尾":
        up = False
    elif mode == "进位":
        up = True
    else:
        raise ValueError(f"unknown rounding mode {mode!r}")
    return sign * (q + 1 if up else q)
