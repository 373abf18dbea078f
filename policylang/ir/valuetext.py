"""How a table value reads in reports, diffs and coverage lists: 70%, 1,300.00 元, 上年度…, bands, a formula."""

from __future__ import annotations

from fractions import Fraction

from policylang import ir
from policylang.ir.units import fmt_ratio, fmt_yuan


def value_text(value: object) -> str:
    """A table value: a ratio, an amount, a reference value (上年度…), bands (分段) or a formula (= …)."""
    if isinstance(value, Fraction):
        return fmt_ratio(value)
    if isinstance(value, int):
        return f"{fmt_yuan(value)} 元"
    if isinstance(value, ir.RefValue):
        return value.describe()
    if isinstance(value, ir.Formula):
        return f"= {value.text}"
    if isinstance(value, ir.BandSet):
        return "；".join(f"{fmt_yuan(b.lower)}–{'∞' if b.upper is None else fmt_yuan(b.upper)} 元 {fmt_ratio(b.ratio)}"
                        for b in value.bands)
    return str(value)
