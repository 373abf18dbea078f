"""The steps after the ratio inside a layer, settled with their trace lines: 支付后扣除 / 封顶后扣除, 封顶线 每 X and
定额 每 X. Each reads a whole number of units from a 天数/次数 field of the claim; a claim without it (or with a
fraction of a unit) cannot be settled and is refused whole, never paid as if the field were 0.

Order inside LayerSettler.settle: ratio (or brackets, 定额 …) → 支付后扣除 → caps (封顶线 每 X first, then the
scoped caps) → 封顶后扣除; the caps' running totals count what is finally paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import Protocol

from policylang import ir
from policylang.eval.accumulators import show_amount
from policylang.ir import terms
from policylang.ir.claims import Claim
from policylang.ir.units import fmt_yuan

Pay = int | Fraction


class LayerSettler(Protocol):
    """What these steps read and write of eval.layers.LayerSettler (a protocol, so the modules form no cycle)."""

    layer: ir.Layer
    claim: Claim
    day: dt.date  # the date that picks parameter versions (版本 按)
    facts: ir.Facts
    say: Callable
    why: str
    deducted: int | Fraction

    def amount(self, value: ir.Value, origin=None) -> int | None: ...

    def figure(self, suffix: str, value: int | Fraction) -> None: ...


def _label(cell: ir.Cell) -> str:
    return f"（{cell.label()}）" if cell.keys else ""


def units(s: LayerSettler, field: str, what: str, origin=None) -> int | None:
    """The claim's whole number of units of a 天数/次数 field; None (explained, claim refused) when it has none."""
    value = s.facts.get(field)
    if value is None or isinstance(value, bool) or not isinstance(value, int | Fraction):
        s.say(f"缺少“{field}”，无法按{field}计算{what}", origin)
        s.why = f"缺少“{field}”"
        return None
    if Fraction(value).denominator != 1 or value < 0:
        s.say(f"“{field}”应为不小于 0 的整数，无法按{field}计算{what}", origin)
        s.why = f"“{field}”不是整数"
        return None
    return int(value)


def per_unit_amount(s: LayerSettler, param: ir.Param, field: str, what: str) -> tuple[ir.Cell, int, int] | None:
    """(cell, amount per unit, units) of a per-unit table for this claim, or None."""
    cell = terms.required_cell(param, s.day, s.facts)
    amount = s.amount(cell.value, cell.origin)
    if amount is None:
        return None
    n = units(s, field, what, cell.origin)
    return None if n is None else (cell, amount, n)


def deduct(s: LayerSettler, pay: Pay, after_caps: bool) -> Pay | None:
    """支付后扣除 (after_caps False, first) or 封顶后扣除 (then records L扣除): each deduction of that position,
    never below 0."""
    if not after_caps:
        s.deducted = 0
    for d in s.layer.deductions:
        if d.after_caps != after_caps:
            continue
        kind = "封顶后扣除" if d.after_caps else "支付后扣除"
        if d.per is None:
            cell = terms.required_cell(d.param, s.day, s.facts)
            total = s.amount(cell.value, cell.origin)
            if total is None:
                return None
            how = f"{kind}每次 {fmt_yuan(total)} 元{_label(cell)}"
        else:
            found = per_unit_amount(s, d.param, d.per, "扣除额")
            if found is None:
                return None
            cell, amount, n = found
            total = amount * n
            how = f"{kind}每{d.per} {fmt_yuan(amount)} 元{_label(cell)} × {d.per} {n} = {fmt_yuan(total)} 元"
        after = pay - total if pay > total else 0
        short = "（支付额不足扣除，本层本次不支付）" if pay < total else ""
        s.say(f"{how}：本次支付由 {show_amount(pay)} 减至 {show_amount(after)}{short}", cell.origin)
        s.deducted += pay - after
        pay = after
    if after_caps and s.layer.deductions:
        s.figure("扣除", s.deducted)
    return pay


def unit_caps(s: LayerSettler, pay: Pay) -> Pay | None:
    """封顶线 每 床日数 200 元: this claim's payment is at most 200 元 × its 床日数."""
    for cap in s.layer.unit_caps:
        found = per_unit_amount(s, cap.param, cap.field, "封顶线")
        if found is None:
            return None
        cell, amount, n = found
        limit = amount * n
        name = f"封顶线 每{cap.field} {fmt_yuan(amount)} 元{_label(cell)} × {cap.field} {n} = {fmt_yuan(limit)} 元"
        if pay > limit:
            s.say(f"达到{name}：本次支付由 {show_amount(pay)} 减至 {show_amount(limit)}", cell.origin)
            pay = limit
        else:
            s.say(f"未超过{name}", cell.origin)
    return pay


def fixed_per_unit(s: LayerSettler, fixed: ir.Fixed, eligible: int) -> int | None:
    """定额 每 护理天数 50 元: the standard × the claim's units, but never more than what reaches the layer."""
    assert fixed.per is not None
    found = per_unit_amount(s, fixed.param, fixed.per, "定额")
    if found is None:
        return None
    cell, standard, n = found
    total = standard * n
    paid = min(eligible, total)
    how = "按定额标准支付" if eligible >= total else "实际费用低于定额标准，按实际费用支付"
    s.say(f"定额标准 每{fixed.per} {fmt_yuan(standard)} 元{_label(cell)} × {fixed.per} {n} = {fmt_yuan(total)} 元，"
          f"实际 {fmt_yuan(eligible)} 元，{how} {fmt_yuan(paid)} 元", cell.origin)
    return paid


__all__ = ["deduct", "fixed_per_unit", "unit_caps", "units"]
