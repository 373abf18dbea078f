"""A deductible's bounds and its compounding reduction (逐次), each explained in the trace.

The order (docs/reference.rst, 起付线的界限与逐次减免): the table's amount, bounded by the 最低/最高 of the
table line → 按最高等级补差 → the reduction of the n-th admission (第 n 次 factor, or 逐次, each bounded by the
最低/最高 of its own line; then 每次递减 down to its floors). A floor of a reduction limits the reduction only:
it never raises a deductible above its unreduced amount. 逐次 rounds at each step (the region's rule), so each
admission's deductible is the factor times the previous admission's deductible as the person was charged it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from policylang import ir
from policylang.ir.claims import Claim
from policylang.ir.units import fmt_yuan
from policylang.ir.values import Money

CHAIN_SHOWN = 6  # a longer 逐次 chain is shown by its first and last steps


class LayerSettler(Protocol):
    """What these steps read of eval.layers.LayerSettler (a protocol: layers imports this module)."""

    policy: ir.Policy
    claim: Claim
    facts: ir.Facts
    say: Callable

    def amount(self, value: ir.Value, origin=None) -> int | None: ...

    def count(self, what: str) -> int: ...


class Unavailable(Exception):
    """A bound's value cannot be had (a reference value or a formula's input is missing): the claim is refused."""


def _value(settler: LayerSettler, cell: ir.Cell | None) -> int | None:
    if cell is None:
        return None
    found = settler.amount(cell.value, cell.origin)
    if found is None:
        raise Unavailable
    return found


def bound_table(settler: LayerSettler, ded: ir.Deductible, amount: int) -> int:
    """最低 / 最高 written on the table line: bound the table's amount (dated like the table)."""
    day, facts = settler.day, settler.facts
    lower = ded.base_lower.lookup(day, facts) if ded.base_lower is not None else None
    upper = ded.base_upper.lookup(day, facts) if ded.base_upper is not None else None
    lo, hi = _value(settler, lower), _value(settler, upper)
    if lo is not None and amount < lo:
        settler.say(f"起付线 {fmt_yuan(amount)} 元低于最低 {fmt_yuan(lo)} 元，按 {fmt_yuan(lo)} 元计",
                    lower.origin if lower else None)
        amount = lo
    if hi is not None and amount > hi:
        settler.say(f"起付线 {fmt_yuan(amount)} 元高于最高 {fmt_yuan(hi)} 元，按 {fmt_yuan(hi)} 元计",
                    upper.origin if upper else None)
        amount = hi
    return amount


def bound_reduced(settler: LayerSettler, ded: ir.Deductible, unreduced: int, reduced: int) -> int:
    """最低 / 最高 written on the 第 n 次 or 逐次 line: bound the reduced deductible; a floor limits the reduction
    and never raises the deductible above its unreduced amount."""
    lower = ded.lower.lookup(settler.facts) if ded.lower is not None else None
    upper = ded.upper.lookup(settler.facts) if ded.upper is not None else None
    lo, hi = _value(settler, lower), _value(settler, upper)
    amount = reduced
    if lo is not None and amount < lo:
        amount = min(lo, unreduced)
        tail = "" if lo <= unreduced else f"（不超过减免前的 {fmt_yuan(unreduced)} 元）"
        settler.say(f"减免后不低于最低 {fmt_yuan(lo)} 元{tail}：起付线计 {fmt_yuan(amount)} 元",
                    lower.origin if lower else None)
    if hi is not None and amount > hi:
        amount = hi
        settler.say(f"减免后不高于最高 {fmt_yuan(hi)} 元：起付线计 {fmt_yuan(amount)} 元", upper.origin if upper else None)
    return amount


def compound(settler: LayerSettler, ded: ir.Deductible, amount: int) -> int:
    """逐次: the n-th admission's deductible is the factor times the (n−1)-th's, rounded at each step."""
    rule = ded.compound
    assert rule is not None
    n = settler.count("deductible")
    if n == 1 or not ir.in_force(rule.start, rule.end, settler.day):
        return amount
    chain = [amount]
    for _ in range(n - 1):
        chain.append((Money(chain[-1]) * rule.factor).rounded(settler.policy.rounding).fen)
    shown = [f"{fmt_yuan(x)} 元" for x in chain]
    if len(shown) > CHAIN_SHOWN:
        shown = [*shown[:2], "…", *shown[-2:]]
    settler.say(f"本年第 {n} 次住院：起付线逐次按上一次的 {rule.factor} 计（每次{settler.policy.rounding}到分）："
                f"{' → '.join(shown)}", rule.origin)
    return bound_reduced(settler, ded, amount, chain[-1])


__all__ = ["Unavailable", "bound_reduced", "bound_table", "compound"]
